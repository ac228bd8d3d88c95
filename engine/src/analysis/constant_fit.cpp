#include "plexus/analysis/constant_fit.h"

#include <unsupported/Eigen/LevenbergMarquardt>

#include <cmath>
#include <limits>

namespace plexus {

namespace {

/// Residuals e(x; c) − y of the expression as a function of its constants c, for Eigen's Levenberg–Marquardt.
struct ResidualFunctor : Eigen::DenseFunctor<double>
{
    ResidualFunctor(Expression& e, const Eigen::ArrayXd& x, const Eigen::ArrayXd& y)
        : Eigen::DenseFunctor<double>(e.constantCount(), static_cast<int>(x.size())), expression(e), x(x), y(y)
    {
    }

    int operator()(const InputType& constants, ValueType& residuals) const
    {
        expression.setConstants(constants);
        residuals = (expression.evaluate(x) - y).matrix();
        for (Eigen::Index i = 0; i < residuals.size(); ++i)
            if (!std::isfinite(residuals[i]))
                residuals[i] = 1e10; // outside the domain: steer away
        return 0;
    }

    int df(const InputType& constants, JacobianType& jacobian) const
    {
        ValueType base(values()), shifted(values());
        (*this)(constants, base);
        InputType c = constants;
        for (int k = 0; k < inputs(); ++k) {
            const double step = 1e-7 * std::max(1.0, std::fabs(constants[k]));
            c[k] = constants[k] + step;
            (*this)(c, shifted);
            jacobian.col(k) = (shifted - base) / step;
            c[k] = constants[k];
        }
        expression.setConstants(constants);
        return 0;
    }

    Expression& expression;
    const Eigen::ArrayXd& x;
    const Eigen::ArrayXd& y;
};

} // namespace

double meanSquaredError(const Expression& expression, const Eigen::ArrayXd& x, const Eigen::ArrayXd& y)
{
    const Eigen::ArrayXd residual = expression.evaluate(x) - y;
    if (!residual.allFinite())
        return std::numeric_limits<double>::infinity();
    return residual.square().mean();
}

double fitConstants(Expression& expression, const Eigen::ArrayXd& x, const Eigen::ArrayXd& y, int maxEvaluations,
                    double tolerance)
{
    const Eigen::VectorXd start = expression.constants();
    const double startError = meanSquaredError(expression, x, y);
    if (start.size() == 0)
        return startError;
    ResidualFunctor functor(expression, x, y);
    Eigen::LevenbergMarquardt<ResidualFunctor> solver(functor);
    solver.setMaxfev(maxEvaluations);
    solver.setXtol(tolerance);
    solver.setFtol(tolerance);
    Eigen::VectorXd constants = start;
    solver.minimize(constants);
    expression.setConstants(constants);
    const double error = meanSquaredError(expression, x, y);
    if (constants.allFinite() && error <= startError)
        return error;
    expression.setConstants(start);
    return startError;
}

} // namespace plexus
