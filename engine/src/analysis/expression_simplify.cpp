#include "plexus/analysis/expression_simplify.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace plexus {

namespace {

bool isConstant(const Expression& e) { return e.complexity() == 1 && e.nodes()[0].op == Operator::Constant; }

double constantOf(const Expression& e) { return e.nodes()[0].value; }

bool identical(const Expression& a, const Expression& b)
{
    if (a.complexity() != b.complexity())
        return false;
    for (int i = 0; i < a.complexity(); ++i)
        if (a.nodes()[i].op != b.nodes()[i].op || a.nodes()[i].value != b.nodes()[i].value)
            return false;
    return true;
}

/// c₁ ∘ (c₂ ∘ A) → (c₁ ∘ c₂) ∘ A for an associative ∘ (+ or ×) whose left operand is the constant c₁.
Expression gatherConstant(Operator op, double c, const Expression& other)
{
    if ((op == Operator::Add && c == 0.0) || (op == Operator::Multiply && c == 1.0))
        return other;
    if (op == Operator::Multiply && c == 0.0)
        return Expression::constant(0.0);
    if (other.nodes()[0].op == op) {
        const Expression inner = other.subtree(1);
        if (isConstant(inner)) {
            const double merged = op == Operator::Add ? c + constantOf(inner) : c * constantOf(inner);
            return Expression::binary(op, Expression::constant(merged), other.subtree(other.subtreeEnd(1)));
        }
    }
    // −c₁·f(−c₂·A) → c₁·f(c₂·A) for an odd f (tanh, sin): the same function without its two minus signs.
    const Operator outer = other.nodes()[0].op;
    if (op == Operator::Multiply && c < 0.0 && (outer == Operator::Tanh || outer == Operator::Sin) &&
        other.complexity() >= 4 && other.nodes()[1].op == Operator::Multiply &&
        other.nodes()[2].op == Operator::Constant && other.nodes()[2].value < 0.0) {
        const Expression argument = Expression::binary(Operator::Multiply, Expression::constant(-other.nodes()[2].value),
                                                       other.subtree(3));
        return Expression::binary(op, Expression::constant(-c), Expression::unary(outer, argument));
    }
    return Expression::binary(op, Expression::constant(c), other);
}

/// A sum's terms with their signs and constant factors: c₁·T₁ + c₂·T₂ + … (T empty for a constant term).
void flattenSum(const Expression& e, std::size_t i, double sign, std::vector<std::pair<double, Expression>>& terms)
{
    const Operator op = e.nodes()[i].op;
    if (op == Operator::Add || op == Operator::Subtract) {
        const std::size_t right = e.subtreeEnd(i + 1);
        flattenSum(e, i + 1, sign, terms);
        flattenSum(e, right, op == Operator::Add ? sign : -sign, terms);
        return;
    }
    Expression term = e.subtree(i);
    if (isConstant(term)) {
        terms.emplace_back(sign * constantOf(term), Expression());
        return;
    }
    if (op == Operator::Multiply && e.nodes()[i + 1].op == Operator::Constant) {
        terms.emplace_back(sign * e.nodes()[i + 1].value, term.subtree(term.subtreeEnd(1)));
        return;
    }
    terms.emplace_back(sign, std::move(term));
}

/// Like terms of a sum merged (tanh(x) − x + tanh(x) → 2·tanh(x) − x), constants first; the sum unchanged when
/// nothing merges or the merged form would be longer.
Expression collectLikeTerms(const Expression& sum)
{
    std::vector<std::pair<double, Expression>> terms, merged;
    flattenSum(sum, 0, 1.0, terms);
    for (const auto& [c, t] : terms) {
        auto same = std::find_if(merged.begin(), merged.end(), [&t = t](const auto& m) {
            return m.second.empty() == t.empty() && (t.empty() || identical(m.second, t));
        });
        if (same == merged.end())
            merged.emplace_back(c, t);
        else
            same->first += c;
    }
    if (merged.size() == terms.size())
        return sum;
    std::stable_partition(merged.begin(), merged.end(), [](const auto& m) { return m.second.empty(); });
    Expression result;
    for (const auto& [c, t] : merged) {
        if (c == 0.0)
            continue;
        if (t.empty()) {
            result = Expression::constant(c);
            continue;
        }
        const double size = result.empty() ? c : std::fabs(c);
        const Expression scaled = size == 1.0 ? t : Expression::binary(Operator::Multiply, Expression::constant(size), t);
        if (result.empty())
            result = scaled;
        else
            result = Expression::binary(c < 0 ? Operator::Subtract : Operator::Add, result, scaled);
    }
    if (result.empty())
        result = Expression::constant(0.0);
    return result.complexity() <= sum.complexity() ? result : sum;
}

Expression simplifyBinary(Operator op, const Expression& left, const Expression& right)
{
    if (isConstant(left) && isConstant(right)) {
        const double value = Expression::binary(op, left, right).evaluate(0.0);
        if (std::isfinite(value))
            return Expression::constant(value);
    }
    if (op == Operator::Subtract && identical(left, right))
        return Expression::constant(0.0);
    if (op == Operator::Divide && identical(left, right))
        return Expression::constant(1.0);
    if (op == Operator::Divide && isConstant(right) && constantOf(right) != 0.0)
        return gatherConstant(Operator::Multiply, 1.0 / constantOf(right), left);
    if (op == Operator::Subtract && isConstant(right))
        return gatherConstant(Operator::Add, -constantOf(right), left);
    if ((op == Operator::Add || op == Operator::Multiply) && isConstant(right))
        return gatherConstant(op, constantOf(right), left);
    if ((op == Operator::Add || op == Operator::Multiply) && isConstant(left))
        return gatherConstant(op, constantOf(left), right);
    if (op == Operator::Add || op == Operator::Subtract)
        return collectLikeTerms(Expression::binary(op, left, right));
    return Expression::binary(op, left, right);
}

Expression simplifyAt(const Expression& e, std::size_t index)
{
    const ExpressionNode& node = e.nodes()[index];
    switch (arity(node.op)) {
    case 0:
        return Expression({node});
    case 1: {
        const Expression operand = simplifyAt(e, index + 1);
        // abs of something never negative is that thing: abs(exp A), abs(√A), abs(abs A).
        const Operator inner = operand.nodes()[0].op;
        if (node.op == Operator::Abs && (inner == Operator::Exp || inner == Operator::Sqrt || inner == Operator::Abs))
            return operand;
        Expression result = Expression::unary(node.op, operand);
        if (isConstant(operand)) {
            const double value = result.evaluate(0.0);
            if (std::isfinite(value))
                return Expression::constant(value);
        }
        return result;
    }
    default: {
        const std::size_t right = e.subtreeEnd(index + 1);
        return simplifyBinary(node.op, simplifyAt(e, index + 1), simplifyAt(e, right));
    }
    }
}

} // namespace

Expression simplified(const Expression& expression)
{
    if (expression.empty())
        return expression;
    return simplifyAt(expression, 0);
}

} // namespace plexus
