#pragma once

#include "plexus/analysis/expression.h"

#include <vector>

namespace plexus {

/// Every expression of at most `maxComplexity` nodes over x, constants and the given operators — the search's
/// exhaustive start (docs/equations.md, "Exhaustive start"), in order of size. Each form appears once up to the exact
/// rewritings of simplified() and the order of the operands of + and ×: no operator applies to constants alone, no
/// form that simplifies to fewer nodes, log(exp A) and exp(log A) left out. Constants are placeholders to be fitted.
std::vector<Expression> enumerateExpressions(int maxComplexity, const std::vector<Operator>& unaryOperators,
                                             const std::vector<Operator>& binaryOperators);

} // namespace plexus
