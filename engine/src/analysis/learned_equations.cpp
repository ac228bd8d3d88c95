#include "plexus/analysis/learned_equations.h"

#include "plexus/analysis/evaluation.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace plexus {

namespace {

Expression times(double c, const Expression& e)
{
    return Expression::binary(Operator::Multiply, Expression::constant(c), e);
}

Expression plus(const Expression& a, const Expression& b) { return Expression::binary(Operator::Add, a, b); }

/// The 0.5 % and 99.5 % quantiles of the activity of some neurons (at most 4 000 frames looked at).
std::pair<double, double> activityRange(const Dataset& data, const std::vector<std::int64_t>& neurons)
{
    std::vector<float> values;
    const std::int64_t stride = std::max<std::int64_t>(1, data.frames() / 4000);
    for (std::int64_t f = 0; f < data.frames(); f += stride)
        for (std::int64_t n : neurons)
            values.push_back(data.activity(f, n));
    if (values.empty())
        return {-1.0, 1.0};
    auto at = [&](double q) {
        const std::size_t k = static_cast<std::size_t>(q * static_cast<double>(values.size() - 1));
        std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(k), values.end());
        return static_cast<double>(values[k]);
    };
    const double low = at(0.005), high = at(0.995);
    return high > low ? std::pair{low, high} : std::pair{low - 1.0, low + 1.0};
}

Eigen::VectorXf samplesOn(std::pair<double, double> range, int count)
{
    return Eigen::VectorXf::LinSpaced(count, static_cast<float>(range.first), static_cast<float>(range.second));
}

/// The most common true type among some neurons (−1 without ground truth).
int majorityType(const Dataset& data, const std::vector<std::int64_t>& neurons)
{
    if (data.types.empty() || data.typeParameters.rows() == 0)
        return -1;
    std::map<int, int> counts;
    for (std::int64_t n : neurons)
        ++counts[data.types[static_cast<std::size_t>(n)]];
    int best = -1, bestCount = 0;
    for (const auto& [type, count] : counts)
        if (count > bestCount) {
            best = type;
            bestCount = count;
        }
    return best;
}

CurveEquation curveOf(const std::string& name, const std::string& function, int cluster, const Eigen::VectorXf& r,
                      const Eigen::MatrixXf& curves)
{
    CurveEquation c;
    c.name = name;
    c.function = function;
    c.cluster = cluster;
    c.variable = "u";
    c.x = r.cast<double>().array();
    c.y = curves.colwise().mean().transpose().cast<double>().array();
    return c;
}

/// Rows of ψ* divided by each neuron's normalisation statistic.
Eigen::MatrixXf normalisedTransfer(const LearnedModel& model, const Eigen::VectorXf& r,
                                   const std::vector<std::int64_t>& neurons, const Eigen::VectorXf& upper)
{
    Eigen::MatrixXf psi = model.transferCurves(r, neurons);
    for (std::size_t i = 0; i < neurons.size(); ++i) {
        const float scale = upper(neurons[i]) != 0.0f ? upper(neurons[i]) : 1.0f;
        psi.row(static_cast<Eigen::Index>(i)) /= scale;
    }
    return psi;
}

} // namespace

SymbolicRegressionOptions learnedCurveSearchOptions()
{
    SymbolicRegressionOptions options;
    options.acceptableError = 1e-4;
    return options;
}

Expression trueUpdateExpression(const std::string& model, const Eigen::RowVectorXd& p)
{
    const Expression x = Expression::variable();
    const Expression tanhX = Expression::unary(Operator::Tanh, x);
    if (model == "PDE_N2")
        return plus(times(-p(2), x), times(p(1), tanhX));
    if (model == "PDE_N4" || model == "PDE_N5") {
        Expression phi = plus(times(-p(0), x), times(p(3), tanhX));
        return p(1) != 0.0 ? plus(phi, Expression::constant(p(1))) : phi;
    }
    return {};
}

Expression trueTransferExpression(const std::string& model, const Eigen::RowVectorXd& p, double scale)
{
    const Expression x = Expression::variable();
    const double k = 1.0 / scale;
    if (model == "PDE_N2")
        return times(k, Expression::unary(Operator::Tanh, x));
    if (model != "PDE_N4" && model != "PDE_N5")
        return {};
    const Expression argument = p(5) != 0.0 ? Expression::binary(Operator::Subtract, x, Expression::constant(p(5))) : x;
    Expression psi = times(k, Expression::unary(Operator::Tanh, Expression::binary(Operator::Divide, argument,
                                                                                   Expression::constant(p(4)))));
    if (model == "PDE_N5" && std::log(p(4)) != 0.0)
        psi = Expression::binary(Operator::Subtract, psi, times(k * std::log(p(4)) / 50.0, x));
    return psi;
}

std::vector<CurveEquation> learnedCurves(const LearnedModel& model, const Dataset& data, const ExperimentConfig& config,
                                         int samples)
{
    const double xnorm = activityScale(data);
    const std::vector<std::int32_t> labels = recoverTypes(model, config, xnorm);
    const Eigen::VectorXf upper = transferScales(model, config, xnorm);
    const Eigen::VectorXf trueUpper =
        data.typeParameters.rows() > 0 ? trueTransferScales(data, config, xnorm) : Eigen::VectorXf();
    const int clusters = labels.empty() ? 0 : 1 + *std::max_element(labels.begin(), labels.end());
    std::vector<std::vector<std::int64_t>> members(static_cast<std::size_t>(clusters));
    for (std::size_t n = 0; n < labels.size(); ++n)
        members[static_cast<std::size_t>(labels[n])].push_back(static_cast<std::int64_t>(n));
    const bool sharedTransfer = model.signalModel() == "PDE_N2";

    std::vector<CurveEquation> curves;
    for (int k = 0; k < clusters; ++k) {
        const std::vector<std::int64_t>& neurons = members[static_cast<std::size_t>(k)];
        const Eigen::VectorXf r = samplesOn(activityRange(data, neurons), samples);
        const int type = majorityType(data, neurons);
        CurveEquation phi = curveOf("update function φ*, cluster " + std::to_string(k), "update", k, r,
                                    model.updateCurves(r, neurons));
        CurveEquation psi = curveOf("transfer function ψ*, cluster " + std::to_string(k), "transfer", k, r,
                                    normalisedTransfer(model, r, neurons, upper));
        phi.trueType = psi.trueType = type;
        if (type >= 0) {
            phi.truth = trueUpdateExpression(data.signalModel, data.typeParameters.row(type));
            psi.truth = trueTransferExpression(data.signalModel, data.typeParameters.row(type), trueUpper(type));
        }
        curves.push_back(std::move(phi));
        if (!sharedTransfer)
            curves.push_back(std::move(psi));
    }
    if (sharedTransfer) {
        std::vector<std::int64_t> all(static_cast<std::size_t>(model.neurons()));
        for (std::int64_t n = 0; n < model.neurons(); ++n)
            all[static_cast<std::size_t>(n)] = n;
        const Eigen::VectorXf r = samplesOn(activityRange(data, all), samples);
        CurveEquation psi = curveOf("transfer function ψ*", "transfer", -1, r, normalisedTransfer(model, r, all, upper));
        if (data.typeParameters.rows() > 0)
            psi.truth = trueTransferExpression(data.signalModel, data.typeParameters.row(0), trueUpper(0));
        curves.push_back(std::move(psi));
    }
    return curves;
}

} // namespace plexus
