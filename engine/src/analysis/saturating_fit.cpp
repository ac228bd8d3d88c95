#include "plexus/analysis/saturating_fit.h"

#include "plexus/analysis/linear_fit.h"

#include <unsupported/Eigen/LevenbergMarquardt>

#include <cmath>
#include <limits>

namespace plexus {

Eigen::ArrayXd SaturatingCurve::operator()(const Eigen::ArrayXd& x) const
{
    return a * (b * x + c).tanh() + d;
}

namespace {

/// Residuals a·tanh(b·x + c) + d − y and their exact Jacobian, for Eigen's Levenberg–Marquardt.
struct SaturatingResidual : Eigen::DenseFunctor<double>
{
    SaturatingResidual(const Eigen::ArrayXd& x, const Eigen::ArrayXd& y)
        : Eigen::DenseFunctor<double>(4, static_cast<int>(x.size())), x(x), y(y)
    {
    }

    int operator()(const InputType& p, ValueType& residuals) const
    {
        residuals = (p[0] * (p[1] * x + p[2]).tanh() + p[3] - y).matrix();
        return 0;
    }

    int df(const InputType& p, JacobianType& jacobian) const
    {
        const Eigen::ArrayXd t = (p[1] * x + p[2]).tanh();
        const Eigen::ArrayXd slope = p[0] * (1.0 - t.square());
        jacobian.col(0) = t.matrix();
        jacobian.col(1) = (slope * x).matrix();
        jacobian.col(2) = slope.matrix();
        jacobian.col(3).setOnes();
        return 0;
    }

    const Eigen::ArrayXd& x;
    const Eigen::ArrayXd& y;
};

/// a and d of the least-squares a·t + d for a fixed shape t = tanh(b·x + c); returns the squared error.
double solveAmplitude(const Eigen::ArrayXd& t, const Eigen::ArrayXd& y, SaturatingCurve& curve)
{
    const double tMean = t.mean(), yMean = y.mean();
    const double spread = (t - tMean).square().sum();
    curve.a = spread > 0.0 ? ((t - tMean) * (y - yMean)).sum() / spread : 0.0;
    curve.d = yMean - curve.a * tMean;
    return (curve.a * t + curve.d - y).square().sum();
}

/// The best point of a grid of slopes (from nearly straight to a step) and centres across the points' range.
SaturatingCurve coarseFit(const Eigen::ArrayXd& x, const Eigen::ArrayXd& y)
{
    const double low = x.minCoeff(), high = x.maxCoeff();
    const double halfSpan = std::max(1e-12, 0.5 * (high - low));
    const Eigen::ArrayXf xf = x.cast<float>(); // single precision: Eigen's vectorised tanh, enough for a start
    SaturatingCurve best;
    double bestError = std::numeric_limits<double>::infinity();
    for (double scale : {0.05, 0.2, 0.5, 1.0, 2.0, 5.0, 20.0})
        for (int k = 0; k <= 8; ++k) {
            SaturatingCurve trial;
            trial.b = scale / halfSpan;
            trial.c = -trial.b * (low + (high - low) * k / 8.0);
            const Eigen::ArrayXf t = (static_cast<float>(trial.b) * xf + static_cast<float>(trial.c)).tanh();
            const double error = solveAmplitude(t.cast<double>(), y, trial);
            if (error < bestError) {
                bestError = error;
                best = trial;
            }
        }
    return best;
}

} // namespace

SaturatingCurve fitSaturatingCurve(const Eigen::ArrayXd& x, const Eigen::ArrayXd& y)
{
    SaturatingCurve curve = coarseFit(x, y);
    SaturatingResidual residual(x, y);
    Eigen::LevenbergMarquardt<SaturatingResidual> solver(residual);
    solver.setMaxfev(40);
    Eigen::VectorXd p(4);
    p << curve.a, curve.b, curve.c, curve.d;
    const double before = (curve(x) - y).square().sum();
    solver.minimize(p);
    SaturatingCurve refined{p[0], p[1], p[2], p[3]};
    if (p.allFinite() && (refined(x) - y).square().sum() <= before)
        curve = refined;
    curve.r2 = predictionR2(y, curve(x));
    return curve;
}

} // namespace plexus
