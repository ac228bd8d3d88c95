#pragma once

#include "plexus/analysis/expression.h"

#include <string>

namespace plexus {

/// Reads a formula in one variable: numbers (decimal or scientific), the variable (`variable`, default x),
/// + - * / (also · and ×), unary minus, ** with a small whole exponent (2 to 4, expanded into products),
/// parentheses, and tanh exp sin cos log abs sqrt. Reads back Expression::text() exactly.
/// Throws InputError naming the position and what was expected.
Expression parseExpression(const std::string& text, const std::string& variable = "x");

} // namespace plexus
