#pragma once

#include "plexus/analysis/expression.h"
#include "plexus/analysis/symbolic_regression.h"
#include "plexus/sim/rng.h"

namespace plexus {

/// The random edits of the expression search (docs/equations.md): new random trees, and a child from a parent by one
/// of: perturb a constant, change an operator, wrap a subtree in a function, combine a subtree with a new leaf or small tree, add a
/// term, replace a subtree, delete an operator (keep one operand), or take a subtree of another expression
/// (crossover), or join the parent with a subtree of another by an operator. Children are simplified; none exceeds the options' maximum complexity.
class ExpressionMutation
{
public:
    ExpressionMutation(const SymbolicRegressionOptions& options, Rng& rng);

    /// A random tree of at most `maxNodes` nodes.
    Expression randomTree(int maxNodes);
    /// A child of `parent` (`other` is the second parent of a crossover); empty when no valid child was made.
    Expression mutate(const Expression& parent, const Expression& other);

private:
    Expression randomLeaf();
    Operator randomUnary();
    Operator randomBinary();
    std::size_t randomNode(const Expression& e, bool operatorsOnly);
    Expression edit(const Expression& parent, const Expression& other);

    Expression perturbConstant(const Expression& e);
    Expression changeOperator(const Expression& e);
    Expression wrapInFunction(const Expression& e);
    Expression combineWithLeaf(const Expression& e);
    Expression addTerm(const Expression& e);
    Expression replaceSubtree(const Expression& e);
    Expression deleteOperator(const Expression& e);
    Expression crossover(const Expression& e, const Expression& other);
    Expression combineParents(const Expression& e, const Expression& other);

    const SymbolicRegressionOptions& options_;
    Rng& rng_;
};

} // namespace plexus
