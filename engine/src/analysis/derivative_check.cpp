#include "plexus/analysis/derivative_check.h"

#include "plexus/util/errors.h"

#include <cmath>
#include <map>

namespace plexus {

namespace {

/// Per-neuron parameters in double, from the type table (docs/method.md §A.5 column orders).
struct NeuronParameters
{
    Eigen::VectorXd decay, offset, gain, self, width, threshold;
};

NeuronParameters expand(const Dataset& d)
{
    const Eigen::Index n = d.neurons();
    const bool n2 = d.signalModel == "PDE_N2";
    NeuronParameters p{Eigen::VectorXd::Zero(n), Eigen::VectorXd::Zero(n), Eigen::VectorXd::Zero(n),
                       Eigen::VectorXd::Zero(n), Eigen::VectorXd::Ones(n), Eigen::VectorXd::Zero(n)};
    for (Eigen::Index i = 0; i < n; ++i) {
        auto row = d.typeParameters.row(d.types[static_cast<std::size_t>(i)]);
        if (n2) {
            p.gain(i) = row(0);
            p.self(i) = row(1);
            p.decay(i) = row(2);
        } else {
            p.decay(i) = row(0);
            p.offset(i) = row(1);
            p.gain(i) = row(2);
            p.self(i) = row(3);
            p.width(i) = row(4);
            p.threshold(i) = row(5);
        }
    }
    return p;
}

Eigen::VectorXd message(const Dataset& d, const NeuronParameters& p, const Eigen::MatrixXd& w,
                        const Eigen::VectorXd& u)
{
    if (d.signalModel == "PDE_N2")
        return w * u.array().tanh().matrix();
    if (d.signalModel == "PDE_N4")
        return w * ((u - p.threshold).array() / p.width.array()).tanh().matrix();
    // PDE_N5: the tanh width is the receiver's; evaluate per distinct receiver width.
    Eigen::VectorXd msg(u.size());
    std::map<double, bool> widths;
    for (Eigen::Index i = 0; i < u.size(); ++i)
        widths[p.width(i)] = true;
    const Eigen::ArrayXd leak = p.width.array().log() / 50.0;
    for (const auto& [width, unused] : widths) {
        Eigen::VectorXd psi = (((u - p.threshold).array() / width).tanh() - u.array() * leak).matrix();
        Eigen::VectorXd all = w * psi;
        for (Eigen::Index i = 0; i < u.size(); ++i)
            if (p.width(i) == width)
                msg(i) = all(i);
    }
    return msg;
}

} // namespace

DerivativeCheck checkDerivative(const Dataset& d, const Progress& progress)
{
    if (d.connectivity.rows() != d.neurons() || d.typeParameters.rows() == 0)
        throw InputError("this dataset has no true W or parameter table (an import?), so its derivative cannot "
                         "be checked against the equations");
    const NeuronParameters p = expand(d);
    const Eigen::MatrixXd w = d.connectivity.cast<double>();
    Eigen::VectorXf externalFloat(d.neurons());
    DerivativeCheck check;
    for (std::int64_t f = 0; f < d.frames(); ++f) {
        const Eigen::VectorXd u = d.activity.row(f).transpose().cast<double>();
        d.externalColumn(f, externalFloat);
        const Eigen::VectorXd external = externalFloat.cast<double>();
        Eigen::ArrayXd coupling = p.gain.array() * message(d, p, w, u).array();
        if (d.inputMode == "multiplicative")
            coupling *= external.array();
        Eigen::ArrayXd formula = -p.decay.array() * u.array() + p.offset.array() + p.self.array() * u.array().tanh() +
                                 coupling;
        if (d.inputMode == "additive")
            formula += external.array();
        for (Eigen::Index i = 0; i < formula.size(); ++i) {
            const double error = std::fabs(d.derivative(f, i) - formula(i));
            const double relative = error / std::max(1.0, std::fabs(formula(i)));
            check.maxAbsoluteError = std::max(check.maxAbsoluteError, error);
            if (relative > check.maxRelativeError) {
                check.maxRelativeError = relative;
                check.worstFrame = f;
                check.worstNeuron = i;
            }
        }
        ++check.framesChecked;
        if (f % 500 == 0) {
            if (progress.shouldStop())
                throw CancelledError();
            progress.update("checking", f, d.frames());
        }
    }
    progress.update("checking", d.frames(), d.frames());
    return check;
}

} // namespace plexus
