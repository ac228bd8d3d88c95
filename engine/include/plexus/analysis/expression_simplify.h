#pragma once

#include "plexus/analysis/expression.h"

namespace plexus {

/// The same function with fewer nodes where that is exact: operators on constants folded into one constant,
/// constants gathered to the left of + and × chains (c₁·(c₂·A) → (c₁c₂)·A, A/c → (1/c)·A, A − c → (−c) + A),
/// A − A → 0 and A/A → 1 for identical subtrees, like terms of a sum merged (tanh(x) − x + tanh(x) → 2·tanh(x) − x). Never changes the value anywhere the original is finite.
Expression simplified(const Expression& expression);

} // namespace plexus
