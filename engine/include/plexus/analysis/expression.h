#pragma once

#include <Eigen/Core>

#include <cstdint>
#include <string>
#include <vector>

namespace plexus {

/// The operators of an expression tree (docs/equations.md): constants, the variable x, four binary operators and
/// seven unary functions.
enum class Operator : std::uint8_t
{
    Constant,
    Variable,
    Add,
    Subtract,
    Multiply,
    Divide,
    Tanh,
    Exp,
    Sin,
    Cos,
    Log,
    Abs,
    Sqrt,
};

/// 0 for constants and the variable, 1 for the functions, 2 for + − × ÷.
int arity(Operator op);
/// The name used in text: "+", "tanh", … ("" for constants and the variable).
const char* operatorName(Operator op);

/// One node of an expression in prefix order: an operator and, for a constant, its value.
struct ExpressionNode
{
    Operator op = Operator::Constant;
    double value = 0.0;
};

/// A formula in one variable x, stored as its nodes in prefix order (an operator before its operands), so that a
/// subtree is a contiguous range. Its complexity is the number of nodes (as PySR counts it). Value type.
class Expression
{
public:
    Expression() = default;
    explicit Expression(std::vector<ExpressionNode> nodes);

    static Expression constant(double value);
    static Expression variable();
    static Expression unary(Operator op, const Expression& operand);
    static Expression binary(Operator op, const Expression& left, const Expression& right);

    const std::vector<ExpressionNode>& nodes() const { return nodes_; }
    bool empty() const { return nodes_.empty(); }
    int complexity() const { return static_cast<int>(nodes_.size()); }

    /// One past the last node of the subtree that starts at `index`.
    std::size_t subtreeEnd(std::size_t index) const;
    /// The subtree that starts at `index`, as an expression of its own.
    Expression subtree(std::size_t index) const;
    /// This expression with the subtree at `index` replaced by `replacement`.
    Expression replaced(std::size_t index, const Expression& replacement) const;

    /// The constants in prefix order, and the same expression with them replaced (same count).
    Eigen::VectorXd constants() const;
    void setConstants(const Eigen::VectorXd& values);
    int constantCount() const;
    bool hasVariable() const;

    /// Values at every x (NaN or ±inf where an operator leaves its domain: log or √ of a negative, division by 0).
    Eigen::ArrayXd evaluate(const Eigen::ArrayXd& x) const;
    double evaluate(double x) const;
    /// The largest cancellation at a + or − over the points: (‖left‖ + ‖right‖) / ‖left ± right‖ (RMS norms), 1 when
    /// there is no sum. Large values mean the result is the small difference of large terms — a Taylor-series trick
    /// such as 1094 − 1096·cos(0.07·x) that fits the range and nothing beyond it.
    double largestCancellation(const Eigen::ArrayXd& x) const;

    /// Text that other tools evaluate: the variable `x`, + - * /, tanh exp sin cos log abs sqrt, decimal constants
    /// with `digits` significant digits (17: the exact double). Parsed back by parseExpression.
    std::string text(int digits = 17) const;
    /// Text for people: −1.00·u + 2.01·tanh(u) (Unicode minus and dot, constants to `decimals` places, `name` for x).
    std::string readable(const std::string& name = "u", int decimals = 2) const;

private:
    std::vector<ExpressionNode> nodes_;
};

} // namespace plexus
