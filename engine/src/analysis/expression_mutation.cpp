#include "expression_mutation.h"

#include "plexus/analysis/expression_simplify.h"

#include <cmath>

namespace plexus {

ExpressionMutation::ExpressionMutation(const SymbolicRegressionOptions& options, Rng& rng) : options_(options), rng_(rng)
{
}

Expression ExpressionMutation::randomLeaf()
{
    if (rng_.uniform() < 0.5)
        return Expression::variable();
    return Expression::constant(rng_.normal() * 2.0);
}

Operator ExpressionMutation::randomUnary()
{
    return options_.unaryOperators[rng_.below(options_.unaryOperators.size())];
}

Operator ExpressionMutation::randomBinary()
{
    return options_.binaryOperators[rng_.below(options_.binaryOperators.size())];
}

Expression ExpressionMutation::randomTree(int maxNodes)
{
    const bool canUnary = maxNodes >= 2 && !options_.unaryOperators.empty();
    const bool canBinary = maxNodes >= 3 && !options_.binaryOperators.empty();
    if ((!canUnary && !canBinary) || rng_.uniform() < 0.3)
        return randomLeaf();
    if (canUnary && (!canBinary || rng_.uniform() < 0.35))
        return Expression::unary(randomUnary(), randomTree(maxNodes - 1));
    const int leftBudget = 1 + static_cast<int>(rng_.below(static_cast<std::uint64_t>(maxNodes - 2)));
    return Expression::binary(randomBinary(), randomTree(leftBudget), randomTree(maxNodes - 1 - leftBudget));
}

std::size_t ExpressionMutation::randomNode(const Expression& e, bool operatorsOnly)
{
    if (!operatorsOnly)
        return rng_.below(e.nodes().size());
    std::vector<std::size_t> operators;
    for (std::size_t i = 0; i < e.nodes().size(); ++i)
        if (arity(e.nodes()[i].op) > 0)
            operators.push_back(i);
    if (operators.empty())
        return e.nodes().size();
    return operators[rng_.below(operators.size())];
}

Expression ExpressionMutation::perturbConstant(const Expression& e)
{
    Eigen::VectorXd c = e.constants();
    if (c.size() == 0)
        return changeOperator(e);
    const Eigen::Index k = static_cast<Eigen::Index>(rng_.below(static_cast<std::uint64_t>(c.size())));
    c[k] = rng_.uniform() < 0.1 ? -c[k] : c[k] * std::exp(0.5 * rng_.normal()) + 0.1 * rng_.normal();
    Expression child = e;
    child.setConstants(c);
    return child;
}

Expression ExpressionMutation::changeOperator(const Expression& e)
{
    const std::size_t i = randomNode(e, false);
    std::vector<ExpressionNode> nodes = e.nodes();
    ExpressionNode& node = nodes[i];
    switch (arity(node.op)) {
    case 0:
        node = node.op == Operator::Variable ? ExpressionNode{Operator::Constant, rng_.normal() * 2.0}
                                             : ExpressionNode{Operator::Variable, 0.0};
        break;
    case 1:
        node.op = randomUnary();
        break;
    default:
        node.op = randomBinary();
        break;
    }
    return Expression(std::move(nodes));
}

Expression ExpressionMutation::wrapInFunction(const Expression& e)
{
    if (options_.unaryOperators.empty())
        return combineWithLeaf(e);
    const std::size_t i = randomNode(e, false);
    return e.replaced(i, Expression::unary(randomUnary(), e.subtree(i)));
}

Expression ExpressionMutation::combineWithLeaf(const Expression& e)
{
    const std::size_t i = randomNode(e, false);
    const Expression leaf = rng_.uniform() < 0.6 ? randomLeaf() : randomTree(3); // x, c, or e.g. x·x, tanh(x)
    const Expression sub = e.subtree(i);
    const Operator op = randomBinary();
    return e.replaced(i, rng_.uniform() < 0.5 ? Expression::binary(op, sub, leaf) : Expression::binary(op, leaf, sub));
}

Expression ExpressionMutation::addTerm(const Expression& e)
{
    const Expression term =
        Expression::binary(Operator::Multiply, Expression::constant(rng_.normal()), randomTree(3));
    return Expression::binary(Operator::Add, e, term);
}

Expression ExpressionMutation::replaceSubtree(const Expression& e)
{
    const std::size_t i = randomNode(e, false);
    return e.replaced(i, randomTree(1 + static_cast<int>(rng_.below(4))));
}

Expression ExpressionMutation::deleteOperator(const Expression& e)
{
    const std::size_t i = randomNode(e, true);
    if (i >= e.nodes().size())
        return replaceSubtree(e);
    std::size_t keep = i + 1;
    if (arity(e.nodes()[i].op) == 2 && rng_.uniform() < 0.5)
        keep = e.subtreeEnd(i + 1);
    return e.replaced(i, e.subtree(keep));
}

Expression ExpressionMutation::crossover(const Expression& e, const Expression& other)
{
    const std::size_t i = randomNode(e, false);
    const std::size_t j = rng_.below(other.nodes().size());
    return e.replaced(i, other.subtree(j));
}

Expression ExpressionMutation::combineParents(const Expression& e, const Expression& other)
{
    const Expression part = other.subtree(rng_.below(other.nodes().size()));
    return Expression::binary(randomBinary(), e, part);
}

Expression ExpressionMutation::edit(const Expression& parent, const Expression& other)
{
    // Weights: constants and operators are tuned most often; growth and pruning keep the sizes moving both ways.
    static const double weights[] = {3.0, 2.0, 1.5, 2.0, 1.0, 1.5, 1.5, 1.5, 1.0};
    double total = 0.0;
    for (double w : weights)
        total += w;
    double pick = rng_.uniform() * total;
    int kind = 0;
    while (kind < 8 && pick >= weights[kind])
        pick -= weights[kind++];
    switch (kind) {
    case 0: return perturbConstant(parent);
    case 1: return changeOperator(parent);
    case 2: return wrapInFunction(parent);
    case 3: return combineWithLeaf(parent);
    case 4: return addTerm(parent);
    case 5: return replaceSubtree(parent);
    case 6: return deleteOperator(parent);
    case 7: return crossover(parent, other);
    default: return combineParents(parent, other);
    }
}

Expression ExpressionMutation::mutate(const Expression& parent, const Expression& other)
{
    for (int attempt = 0; attempt < 10; ++attempt) {
        Expression child = simplified(edit(parent, other));
        if (child.complexity() <= options_.maxComplexity)
            return child;
    }
    return {};
}

} // namespace plexus
