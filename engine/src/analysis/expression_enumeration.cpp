#include "plexus/analysis/expression_enumeration.h"

#include "plexus/analysis/expression_simplify.h"

#include <string>
#include <unordered_set>

namespace plexus {

namespace {

/// A placeholder constant with no special value (0 and 1 would be simplified away).
constexpr double kPlaceholder = 0.7137;

/// The form of an expression: its operators in prefix order, every constant the same.
std::string formKey(const Expression& e)
{
    std::string key;
    key.reserve(e.nodes().size());
    for (const ExpressionNode& node : e.nodes())
        key.push_back(static_cast<char>('a' + static_cast<int>(node.op)));
    return key;
}

bool redundantUnary(Operator op, const Expression& operand)
{
    const Operator inner = operand.nodes()[0].op;
    return (op == Operator::Log && inner == Operator::Exp) || (op == Operator::Exp && inner == Operator::Log);
}

bool commutative(Operator op) { return op == Operator::Add || op == Operator::Multiply; }

class Enumerator
{
public:
    Enumerator(const std::vector<Operator>& unary, const std::vector<Operator>& binary)
        : unary_(unary), binary_(binary)
    {
    }

    std::vector<Expression> run(int maxComplexity)
    {
        bySize_.assign(static_cast<std::size_t>(std::max(maxComplexity, 1)) + 1, {});
        bySize_[1] = {Expression::variable(), Expression::constant(kPlaceholder)};
        for (const Expression& e : bySize_[1])
            seen_.insert(formKey(e));
        for (int size = 2; size <= maxComplexity; ++size)
            grow(size);
        std::vector<Expression> all;
        for (const auto& list : bySize_)
            all.insert(all.end(), list.begin(), list.end());
        return all;
    }

private:
    void grow(int size)
    {
        for (const Expression& operand : bySize_[static_cast<std::size_t>(size - 1)])
            if (operand.hasVariable())
                for (Operator op : unary_)
                    if (!redundantUnary(op, operand))
                        keep(Expression::unary(op, operand), size);
        for (int left = 1; left <= size - 2; ++left)
            for (const Expression& l : bySize_[static_cast<std::size_t>(left)])
                for (const Expression& r : bySize_[static_cast<std::size_t>(size - 1 - left)])
                    if (l.hasVariable() || r.hasVariable())
                        for (Operator op : binary_)
                            if (!commutative(op) || formKey(l) <= formKey(r))
                                keep(Expression::binary(op, l, r), size);
    }

    void keep(const Expression& candidate, int size)
    {
        Expression e = simplified(candidate);
        if (e.complexity() != size || !seen_.insert(formKey(e)).second)
            return;
        bySize_[static_cast<std::size_t>(size)].push_back(std::move(e));
    }

    const std::vector<Operator>& unary_;
    const std::vector<Operator>& binary_;
    std::vector<std::vector<Expression>> bySize_;
    std::unordered_set<std::string> seen_;
};

} // namespace

std::vector<Expression> enumerateExpressions(int maxComplexity, const std::vector<Operator>& unaryOperators,
                                             const std::vector<Operator>& binaryOperators)
{
    return Enumerator(unaryOperators, binaryOperators).run(maxComplexity);
}

} // namespace plexus
