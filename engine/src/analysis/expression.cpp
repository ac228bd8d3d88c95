#include "plexus/analysis/expression.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace plexus {

int arity(Operator op)
{
    switch (op) {
    case Operator::Constant:
    case Operator::Variable:
        return 0;
    case Operator::Add:
    case Operator::Subtract:
    case Operator::Multiply:
    case Operator::Divide:
        return 2;
    default:
        return 1;
    }
}

const char* operatorName(Operator op)
{
    switch (op) {
    case Operator::Add: return "+";
    case Operator::Subtract: return "-";
    case Operator::Multiply: return "*";
    case Operator::Divide: return "/";
    case Operator::Tanh: return "tanh";
    case Operator::Exp: return "exp";
    case Operator::Sin: return "sin";
    case Operator::Cos: return "cos";
    case Operator::Log: return "log";
    case Operator::Abs: return "abs";
    case Operator::Sqrt: return "sqrt";
    default: return "";
    }
}

Expression::Expression(std::vector<ExpressionNode> nodes) : nodes_(std::move(nodes)) {}

Expression Expression::constant(double value) { return Expression({{Operator::Constant, value}}); }

Expression Expression::variable() { return Expression({{Operator::Variable, 0.0}}); }

Expression Expression::unary(Operator op, const Expression& operand)
{
    std::vector<ExpressionNode> nodes{{op, 0.0}};
    nodes.insert(nodes.end(), operand.nodes_.begin(), operand.nodes_.end());
    return Expression(std::move(nodes));
}

Expression Expression::binary(Operator op, const Expression& left, const Expression& right)
{
    std::vector<ExpressionNode> nodes{{op, 0.0}};
    nodes.insert(nodes.end(), left.nodes_.begin(), left.nodes_.end());
    nodes.insert(nodes.end(), right.nodes_.begin(), right.nodes_.end());
    return Expression(std::move(nodes));
}

std::size_t Expression::subtreeEnd(std::size_t index) const
{
    int open = 1;
    std::size_t i = index;
    while (open > 0) {
        if (i >= nodes_.size())
            throw std::logic_error("Expression: malformed prefix sequence");
        open += arity(nodes_[i].op) - 1;
        ++i;
    }
    return i;
}

Expression Expression::subtree(std::size_t index) const
{
    return Expression(std::vector<ExpressionNode>(nodes_.begin() + static_cast<std::ptrdiff_t>(index),
                                                  nodes_.begin() + static_cast<std::ptrdiff_t>(subtreeEnd(index))));
}

Expression Expression::replaced(std::size_t index, const Expression& replacement) const
{
    std::vector<ExpressionNode> nodes(nodes_.begin(), nodes_.begin() + static_cast<std::ptrdiff_t>(index));
    nodes.insert(nodes.end(), replacement.nodes_.begin(), replacement.nodes_.end());
    nodes.insert(nodes.end(), nodes_.begin() + static_cast<std::ptrdiff_t>(subtreeEnd(index)), nodes_.end());
    return Expression(std::move(nodes));
}

int Expression::constantCount() const
{
    int count = 0;
    for (const ExpressionNode& node : nodes_)
        count += node.op == Operator::Constant;
    return count;
}

bool Expression::hasVariable() const
{
    for (const ExpressionNode& node : nodes_)
        if (node.op == Operator::Variable)
            return true;
    return false;
}

Eigen::VectorXd Expression::constants() const
{
    Eigen::VectorXd values(constantCount());
    int k = 0;
    for (const ExpressionNode& node : nodes_)
        if (node.op == Operator::Constant)
            values[k++] = node.value;
    return values;
}

void Expression::setConstants(const Eigen::VectorXd& values)
{
    int k = 0;
    for (ExpressionNode& node : nodes_)
        if (node.op == Operator::Constant)
            node.value = values[k++];
}

namespace {

void applyUnary(Operator op, Eigen::ArrayXd& a)
{
    switch (op) {
    case Operator::Tanh: a = a.tanh(); break;
    case Operator::Exp: a = a.exp(); break;
    case Operator::Sin: a = a.sin(); break;
    case Operator::Cos: a = a.cos(); break;
    case Operator::Log: a = a.log(); break;
    case Operator::Abs: a = a.abs(); break;
    case Operator::Sqrt: a = a.sqrt(); break;
    default: throw std::logic_error("Expression: not a unary operator");
    }
}

/// `right` = left op right (the operands' buffers of the evaluation stack).
void applyBinary(Operator op, const Eigen::ArrayXd& left, Eigen::ArrayXd& right)
{
    switch (op) {
    case Operator::Add: right = left + right; break;
    case Operator::Subtract: right = left - right; break;
    case Operator::Multiply: right = left * right; break;
    case Operator::Divide: right = left / right; break;
    default: throw std::logic_error("Expression: not a binary operator");
    }
}

} // namespace

Eigen::ArrayXd Expression::evaluate(const Eigen::ArrayXd& x) const
{
    // Postfix evaluation of the reversed prefix sequence on a stack of reused buffers (no allocation once warm).
    thread_local std::vector<Eigen::ArrayXd> stack;
    if (stack.size() < nodes_.size())
        stack.resize(nodes_.size());
    std::size_t top = 0;
    for (std::size_t i = nodes_.size(); i-- > 0;) {
        const ExpressionNode& node = nodes_[i];
        switch (arity(node.op)) {
        case 0:
            if (node.op == Operator::Variable)
                stack[top] = x;
            else
                stack[top].setConstant(x.size(), node.value);
            ++top;
            break;
        case 1:
            applyUnary(node.op, stack[top - 1]);
            break;
        default:
            applyBinary(node.op, stack[top - 1], stack[top - 2]);
            --top;
            break;
        }
    }
    if (top != 1)
        throw std::logic_error("Expression: malformed prefix sequence");
    return stack[0];
}

double Expression::largestCancellation(const Eigen::ArrayXd& x) const
{
    std::vector<Eigen::ArrayXd> stack(nodes_.size());
    std::size_t top = 0;
    double largest = 1.0;
    for (std::size_t i = nodes_.size(); i-- > 0;) {
        const ExpressionNode& node = nodes_[i];
        switch (arity(node.op)) {
        case 0:
            stack[top++] = node.op == Operator::Variable ? x : Eigen::ArrayXd::Constant(x.size(), node.value);
            break;
        case 1:
            applyUnary(node.op, stack[top - 1]);
            break;
        default:
            if (node.op == Operator::Add || node.op == Operator::Subtract) {
                const double parts = stack[top - 1].matrix().norm() + stack[top - 2].matrix().norm();
                applyBinary(node.op, stack[top - 1], stack[top - 2]);
                const double whole = stack[top - 2].matrix().norm();
                largest = std::max(largest, whole > 0.0 ? parts / whole : (parts > 0.0 ? INFINITY : 1.0));
            } else {
                applyBinary(node.op, stack[top - 1], stack[top - 2]);
            }
            --top;
            break;
        }
    }
    return largest;
}

double Expression::evaluate(double x) const
{
    Eigen::ArrayXd one(1);
    one[0] = x;
    return evaluate(one)[0];
}

namespace {

struct TextStyle
{
    std::string variable = "x";
    std::string times = "*";
    std::string minus = "-";
    int digits = 17;        ///< significant digits (machine text)
    int decimals = -1;      ///< fixed decimals (readable text), or −1
};

std::string number(double value, const TextStyle& style)
{
    char text[64];
    const double magnitude = std::fabs(value);
    if (style.decimals >= 0 && magnitude >= 1.0 && magnitude < 1e5)
        std::snprintf(text, sizeof text, "%.*f", style.decimals, magnitude);
    else if (style.decimals >= 0 && magnitude >= 0.01 && magnitude < 1.0) // at least 3 significant digits: 0.125
        std::snprintf(text, sizeof text, "%.*g", std::max(3, style.decimals), magnitude);
    else if (style.decimals >= 0)
        std::snprintf(text, sizeof text, "%.3g", magnitude);
    else
        std::snprintf(text, sizeof text, "%.*g", style.digits, magnitude);
    return (value < 0 ? style.minus : std::string()) + text;
}

int precedence(Operator op)
{
    switch (op) {
    case Operator::Add:
    case Operator::Subtract:
        return 1;
    case Operator::Multiply:
    case Operator::Divide:
        return 2;
    default:
        return 4;
    }
}

class Printer
{
public:
    Printer(const std::vector<ExpressionNode>& nodes, const Expression& expression, TextStyle style)
        : nodes_(nodes), expression_(expression), style_(std::move(style))
    {
    }

    std::string print(std::size_t i) const { return print(i, 0, false, true); }

private:
    /// A negative constant, or a product whose first factor is one: printed after a + as "− |term|".
    bool startsNegative(std::size_t i) const
    {
        const ExpressionNode& node = nodes_[i];
        if (node.op == Operator::Constant)
            return node.value < 0;
        if (node.op == Operator::Multiply || node.op == Operator::Divide)
            return startsNegative(i + 1);
        return false;
    }

    /// `leading`: the text starts the output or follows "(", where a minus sign needs no parentheses.
    std::string print(std::size_t i, int parentPrecedence, bool negate, bool leading) const
    {
        const ExpressionNode& node = nodes_[i];
        switch (arity(node.op)) {
        case 0: {
            if (node.op == Operator::Variable)
                return style_.variable;
            const double value = negate ? -node.value : node.value;
            std::string text = number(value, style_);
            return value < 0 && !leading ? "(" + text + ")" : text;
        }
        case 1:
            return std::string(operatorName(node.op)) + "(" + print(i + 1, 0, false, true) + ")";
        default:
            return printBinary(i, parentPrecedence, negate, leading);
        }
    }

    std::string printBinary(std::size_t i, int parentPrecedence, bool negate, bool leading) const
    {
        const Operator op = nodes_[i].op;
        const std::size_t left = i + 1;
        const std::size_t right = expression_.subtreeEnd(left);
        const int own = precedence(op);
        const bool parenthesised = own < parentPrecedence;
        const bool leftLeading = parenthesised || leading;
        std::string text;
        if (op == Operator::Add || op == Operator::Subtract) {
            const bool flip = startsNegative(right);
            const bool subtract = (op == Operator::Subtract) != flip;
            text = print(left, own, false, leftLeading) + (subtract ? " " + style_.minus + " " : " + ") +
                   print(right, own + 1, flip, false);
        } else {
            const std::string symbol = op == Operator::Multiply ? style_.times : "/";
            text = print(left, own, negate, leftLeading) + symbol + print(right, own + 1, false, false);
        }
        return parenthesised ? "(" + text + ")" : text;
    }

    const std::vector<ExpressionNode>& nodes_;
    const Expression& expression_;
    TextStyle style_;
};

} // namespace

std::string Expression::text(int digits) const
{
    if (nodes_.empty())
        return "";
    TextStyle style;
    style.digits = digits;
    return Printer(nodes_, *this, style).print(0);
}

std::string Expression::readable(const std::string& name, int decimals) const
{
    if (nodes_.empty())
        return "";
    TextStyle style;
    style.variable = name;
    style.times = "·";
    style.minus = "−";
    style.decimals = decimals;
    return Printer(nodes_, *this, style).print(0);
}

} // namespace plexus
