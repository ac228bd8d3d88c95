#pragma once

#include "plexus/analysis/expression.h"

#include <string>
#include <vector>

namespace plexus {

/// One constant of the generator's expression next to the constant found in its place.
struct CoefficientMatch
{
    std::string term;          ///< where it sits: "x", "tanh(a·x + b)", "constant", with its role ("coefficient", "a", "b")
    double found = 0.0;
    double truth = 0.0;
    double relativeError = 0.0; ///< |found − truth| / |truth|; the absolute difference where truth is 0
};

/// How a found expression compares with the generator's. Both are read as sums of terms c·f(x), where f is a product
/// of the variable and functions of affine arguments a·x + b (tanh(x − h)/w and tanh(x/w − h/w) are the same
/// term); the structure matches when every term of one has a term of the same shape in the other.
struct ExpressionMatch
{
    bool structureMatches = false;
    std::vector<CoefficientMatch> coefficients; ///< when the structure matches: every constant of the truth
    /// A constant term of the found expression that the truth lacks and that was passed over as negligible (0: none).
    double ignoredConstant = 0.0;
    double largestRelativeError() const;
};

/// `negligibleConstant`: a constant term of `found` that the truth lacks, at most this large, does not make the
/// structures differ (a learned curve's small offset at 0; the caller sets the scale, e.g. 1 % of the curve's range).
ExpressionMatch matchExpressions(const Expression& found, const Expression& truth, double negligibleConstant = 0.0);

} // namespace plexus
