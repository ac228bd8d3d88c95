#pragma once

#include "plexus/analysis/expression.h"

#include <Eigen/Core>

namespace plexus {

/// Fits the constants of `expression` in place, from their current values, to minimise Σ (expression(x) − y)² by
/// Levenberg–Marquardt (Eigen's, Jacobian by finite differences), with at most `maxEvaluations` evaluations,
/// stopping once a step changes the error or the constants by less than `tolerance` (relative).
/// Keeps the starting constants when the fit does not lower the error. Returns the mean squared error at the
/// constants kept (+inf where the expression is not finite at every x).
double fitConstants(Expression& expression, const Eigen::ArrayXd& x, const Eigen::ArrayXd& y, int maxEvaluations = 60,
                    double tolerance = 1e-12);

/// Mean squared error of `expression` on the points (+inf where it is not finite at every x).
double meanSquaredError(const Expression& expression, const Eigen::ArrayXd& x, const Eigen::ArrayXd& y);

} // namespace plexus
