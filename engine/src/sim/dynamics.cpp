#include "plexus/sim/dynamics.h"

#include "plexus/util/errors.h"

#include <cmath>
#include <map>

#include <omp.h>

namespace plexus {

DynamicsModel parseDynamicsModel(const std::string& name)
{
    if (name == "PDE_N2")
        return DynamicsModel::PdeN2;
    if (name == "PDE_N4")
        return DynamicsModel::PdeN4;
    if (name == "PDE_N5")
        return DynamicsModel::PdeN5;
    throw InputError("graph_model.signal_model_name: expected PDE_N2, PDE_N4 or PDE_N5, got '" + name + "'");
}

InputMode parseInputMode(const std::string& name)
{
    if (name == "none")
        return InputMode::None;
    if (name == "additive")
        return InputMode::Additive;
    if (name == "multiplicative")
        return InputMode::Multiplicative;
    throw InputError("simulation.external_input_mode: expected none, additive or multiplicative, got '" + name + "'");
}

std::size_t parameterCount(DynamicsModel model)
{
    return model == DynamicsModel::PdeN2 ? 3 : 6;
}

std::vector<std::string> parameterNames(DynamicsModel model)
{
    if (model == DynamicsModel::PdeN2)
        return {"g", "s", "c"};
    return {"a", "b", "g", "s", "w", "h"};
}

Dynamics::Dynamics(DynamicsModel model, InputMode mode, Eigen::MatrixXf w, const std::vector<std::int32_t>& types,
                   const Eigen::MatrixXd& params)
    : m_model(model), m_mode(mode), m_w(std::move(w))
{
    const Eigen::Index n = m_w.rows();
    if (m_w.cols() != n || static_cast<Eigen::Index>(types.size()) != n)
        throw InputError("dynamics: W must be N×N and types hold N entries");
    if (params.cols() != static_cast<Eigen::Index>(parameterCount(model)))
        throw InputError("dynamics: parameter table has " + std::to_string(params.cols()) + " columns, expected " +
                         std::to_string(parameterCount(model)));
    for (auto t : types)
        if (t < 0 || t >= params.rows())
            throw InputError("dynamics: neuron type " + std::to_string(t) + " has no parameter row");
    for (auto* v : {&m_decay, &m_offset, &m_gain, &m_self, &m_width, &m_threshold, &m_leak})
        v->setZero(n);
    m_width.setOnes();
    for (Eigen::Index i = 0; i < n; ++i) {
        auto p = params.row(types[static_cast<std::size_t>(i)]);
        if (model == DynamicsModel::PdeN2) {
            m_gain(i) = static_cast<float>(p(0));
            m_self(i) = static_cast<float>(p(1));
            m_decay(i) = static_cast<float>(p(2));
        } else {
            m_decay(i) = static_cast<float>(p(0));
            m_offset(i) = static_cast<float>(p(1));
            m_gain(i) = static_cast<float>(p(2));
            m_self(i) = static_cast<float>(p(3));
            m_width(i) = static_cast<float>(p(4));
            m_threshold(i) = static_cast<float>(p(5));
            m_leak(i) = static_cast<float>(std::log(p(4)) / 50.0);
        }
    }
    if (model == DynamicsModel::PdeN5) {
        std::map<float, std::vector<Eigen::Index>> byWidth;
        for (Eigen::Index i = 0; i < n; ++i)
            byWidth[m_width(i)].push_back(i);
        for (auto& [width, rows] : byWidth) {
            const auto groupRows = static_cast<Eigen::Index>(rows.size());
            ReceiverGroup g{width, rows, Eigen::MatrixXf(groupRows, n), Eigen::VectorXf(groupRows)};
            for (std::size_t r = 0; r < rows.size(); ++r)
                g.w.row(static_cast<Eigen::Index>(r)) = m_w.row(rows[r]);
            m_groups.push_back(std::move(g));
        }
    }
    m_transfer.resize(n);
    m_message.resize(n);
}

namespace {

/// out = w·x, rows split over the OpenMP threads when the matrix is large enough to pay for the hand-off
/// (the mat-vec is memory bound from N ≈ 1000 on, and each core brings its own share of bandwidth).
void parallelMatVec(const Eigen::MatrixXf& w, const Eigen::VectorXf& x, Eigen::VectorXf& out)
{
    const Eigen::Index rows = w.rows();
    const int threads = rows * w.cols() >= (1 << 18) ? omp_get_max_threads() : 1;
    if (threads <= 1) {
        out.noalias() = w * x;
        return;
    }
#pragma omp parallel for schedule(static) num_threads(threads)
    for (int b = 0; b < threads; ++b) {
        const Eigen::Index first = rows * b / threads, last = rows * (b + 1) / threads;
        out.segment(first, last - first).noalias() = w.middleRows(first, last - first) * x;
    }
}

} // namespace

void Dynamics::message(const Eigen::Ref<const Eigen::VectorXf>& u)
{
    switch (m_model) {
    case DynamicsModel::PdeN2:
        m_transfer = u.array().tanh();
        parallelMatVec(m_w, m_transfer, m_message);
        return;
    case DynamicsModel::PdeN4:
        m_transfer = ((u - m_threshold).array() / m_width.array()).tanh();
        parallelMatVec(m_w, m_transfer, m_message);
        return;
    case DynamicsModel::PdeN5:
        for (auto& g : m_groups) {
            // Transfer seen by receivers of width w: tanh((u_j − h_j)/w) − u_j·θ_j.
            m_transfer = ((u - m_threshold).array() / g.width).tanh() - u.array() * m_leak.array();
            parallelMatVec(g.w, m_transfer, g.message);
            for (std::size_t r = 0; r < g.rows.size(); ++r)
                m_message(g.rows[r]) = g.message(static_cast<Eigen::Index>(r));
        }
        return;
    }
}

void Dynamics::derivative(const Eigen::Ref<const Eigen::VectorXf>& u, const Eigen::Ref<const Eigen::VectorXf>& external,
                          Eigen::Ref<Eigen::VectorXf> out)
{
    message(u);
    m_message.array() *= m_gain.array();
    if (m_mode == InputMode::Multiplicative)
        m_message.array() *= external.array();
    out = -m_decay.array() * u.array() + m_offset.array() + m_self.array() * u.array().tanh() + m_message.array();
    if (m_mode == InputMode::Additive)
        out += external;
}

} // namespace plexus
