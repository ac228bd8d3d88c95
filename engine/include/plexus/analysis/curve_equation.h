#pragma once

#include "plexus/analysis/expression.h"
#include "plexus/analysis/expression_match.h"
#include "plexus/analysis/symbolic_regression.h"
#include "plexus/util/progress.h"

#include <Eigen/Core>

#include <string>
#include <vector>

namespace plexus {

/// One curve turned into a formula (docs/equations.md): the curve, the expression search's Pareto front and choice,
/// and, where the curve comes from a simulation, the generator's own expression and how the found one matches it.
struct CurveEquation
{
    std::string name;          ///< e.g. "update function φ*, cluster 2"
    std::string function;      ///< "update", "transfer" or "curve"
    int cluster = -1;          ///< the recovered type (−1: shared by every neuron, or a CSV curve)
    int trueType = -1;         ///< the true type most of the cluster's neurons have (−1: no ground truth)
    std::string variable = "x"; ///< the name the formula is shown with to people (u for activity)
    Eigen::ArrayXd x, y;       ///< the curve that was fitted
    SymbolicRegressionResult search;
    Expression truth;          ///< the generator's expression in x (empty without ground truth)
    ExpressionMatch match;     ///< found against truth (when there is one)
};

/// The size of a constant term that does not count against the structure when a found formula is compared with the
/// truth: 1 % of the curve's range (a learned φ* is pinned to 0 at u = 0 only approximately).
double negligibleOffset(const Eigen::ArrayXd& y);

/// Runs the expression search on each curve in turn (each search multi-threaded), with progress per curve and
/// cycle; a stop request ends the current search and skips the rest.
void fitEquations(std::vector<CurveEquation>& curves, const SymbolicRegressionOptions& options,
                  const Progress& progress = {});

/// `{"curves": [{"name", "function", "cluster", "best": {"expression", "complexity", "r2", "readable"},
///   "pareto": [{"expression", "complexity", "r2", "mse", "score"}, …], "truth": {"expression", "structure_matches",
///   "coefficients": [{"term", "found", "truth", "relative_error"}]}}]}` — expressions in the text syntax of
/// Expression::text (variable x), readable ones with the curve's variable.
std::string equationsToJson(const std::vector<CurveEquation>& curves);

} // namespace plexus
