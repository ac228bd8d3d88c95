#include "plexus/analysis/expression_parser.h"

#include "plexus/util/errors.h"

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <map>

namespace plexus {

namespace {

const std::map<std::string, Operator>& functions()
{
    static const std::map<std::string, Operator> table{
        {"tanh", Operator::Tanh}, {"exp", Operator::Exp}, {"sin", Operator::Sin},   {"cos", Operator::Cos},
        {"log", Operator::Log},   {"abs", Operator::Abs}, {"sqrt", Operator::Sqrt},
    };
    return table;
}

/// Recursive descent over the grammar expression := term (± term)*, term := signed ((* | /) signed)*,
/// signed := (− | +) signed | power, power := atom (** whole)?, atom := number | variable | f(expression) | (expression).
class Parser
{
public:
    Parser(const std::string& text, const std::string& variable) : text_(text), variable_(variable) {}

    Expression parse()
    {
        Expression e = expression();
        skipSpace();
        if (pos_ != text_.size())
            fail("an operator or the end");
        return e;
    }

private:
    [[noreturn]] void fail(const std::string& expected) const
    {
        const std::string found = pos_ < text_.size() ? "'" + text_.substr(pos_, 8) + "'" : "the end";
        throw InputError("expression \"" + text_ + "\", character " + std::to_string(pos_ + 1) + ": expected " +
                         expected + ", found " + found);
    }

    void skipSpace()
    {
        while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_])))
            ++pos_;
    }

    bool accept(const std::string& token)
    {
        skipSpace();
        if (text_.compare(pos_, token.size(), token) != 0)
            return false;
        pos_ += token.size();
        return true;
    }

    Expression expression()
    {
        Expression e = term();
        for (;;) {
            if (accept("+"))
                e = Expression::binary(Operator::Add, e, term());
            else if (accept("-") || accept("−"))
                e = Expression::binary(Operator::Subtract, e, term());
            else
                return e;
        }
    }

    Expression term()
    {
        Expression e = signedFactor();
        for (;;) {
            if (text_.compare(pos_, 2, "**") != 0 && (accept("*") || accept("·") || accept("×")))
                e = Expression::binary(Operator::Multiply, e, signedFactor());
            else if (accept("/"))
                e = Expression::binary(Operator::Divide, e, signedFactor());
            else
                return e;
        }
    }

    Expression signedFactor()
    {
        if (accept("-") || accept("−")) {
            Expression operand = signedFactor();
            if (operand.complexity() == 1 && operand.nodes()[0].op == Operator::Constant)
                return Expression::constant(-operand.nodes()[0].value);
            return Expression::binary(Operator::Multiply, Expression::constant(-1.0), operand);
        }
        if (accept("+"))
            return signedFactor();
        return power();
    }

    Expression power()
    {
        Expression base = atom();
        if (!accept("**"))
            return base;
        skipSpace();
        const std::size_t start = pos_;
        while (pos_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_])))
            ++pos_;
        const int exponent = start == pos_ ? 0 : std::atoi(text_.substr(start, pos_ - start).c_str());
        if (exponent < 2 || exponent > 4) {
            pos_ = start;
            fail("a whole exponent from 2 to 4 after **");
        }
        Expression product = base;
        for (int k = 1; k < exponent; ++k)
            product = Expression::binary(Operator::Multiply, product, base);
        return product;
    }

    Expression atom()
    {
        skipSpace();
        if (accept("(")) {
            Expression inner = expression();
            if (!accept(")"))
                fail("')'");
            return inner;
        }
        if (pos_ < text_.size() && (std::isdigit(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '.'))
            return number();
        const std::size_t start = pos_;
        while (pos_ < text_.size() && (std::isalnum(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '_'))
            ++pos_;
        const std::string name = text_.substr(start, pos_ - start);
        if (name == variable_)
            return Expression::variable();
        const auto function = functions().find(name);
        if (function == functions().end()) {
            pos_ = start;
            fail("a number, " + variable_ + ", a function (tanh exp sin cos log abs sqrt) or '('");
        }
        if (!accept("("))
            fail("'(' after " + name);
        Expression operand = expression();
        if (!accept(")"))
            fail("')'");
        return Expression::unary(function->second, operand);
    }

    Expression number()
    {
        const char* begin = text_.c_str() + pos_;
        char* end = nullptr;
        const double value = std::strtod(begin, &end);
        if (end == begin || !std::isfinite(value))
            fail("a number");
        pos_ += static_cast<std::size_t>(end - begin);
        return Expression::constant(value);
    }

    const std::string& text_;
    std::string variable_;
    std::size_t pos_ = 0;
};

} // namespace

Expression parseExpression(const std::string& text, const std::string& variable)
{
    return Parser(text, variable).parse();
}

} // namespace plexus
