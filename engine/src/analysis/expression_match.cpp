#include "plexus/analysis/expression_match.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>

namespace plexus {

namespace {

struct Affine
{
    double a = 0.0; ///< slope
    double b = 0.0; ///< offset
};

/// A factor of a term: the variable, or a function of an affine argument a·x + b, or anything else (kept as text).
struct Factor
{
    std::string key;               ///< "x", "tanh(a·x + b)", or the text of another subtree
    std::vector<double> constants; ///< a and b for a function of an affine argument
};

struct Term
{
    double coefficient = 1.0;
    std::vector<Factor> factors; ///< sorted by key
    std::string key() const
    {
        std::string k;
        for (const Factor& f : factors)
            k += (k.empty() ? "" : "·") + f.key;
        return k.empty() ? "constant" : k;
    }
};

std::optional<Affine> affineAt(const Expression& e, std::size_t i)
{
    const ExpressionNode& node = e.nodes()[i];
    if (node.op == Operator::Constant)
        return Affine{0.0, node.value};
    if (node.op == Operator::Variable)
        return Affine{1.0, 0.0};
    if (arity(node.op) != 2)
        return std::nullopt;
    const std::size_t right = e.subtreeEnd(i + 1);
    const auto l = affineAt(e, i + 1);
    const auto r = affineAt(e, right);
    if (!l || !r)
        return std::nullopt;
    switch (node.op) {
    case Operator::Add: return Affine{l->a + r->a, l->b + r->b};
    case Operator::Subtract: return Affine{l->a - r->a, l->b - r->b};
    case Operator::Multiply:
        if (l->a == 0.0)
            return Affine{l->b * r->a, l->b * r->b};
        if (r->a == 0.0)
            return Affine{r->b * l->a, r->b * l->b};
        return std::nullopt;
    case Operator::Divide:
        if (r->a == 0.0 && r->b != 0.0)
            return Affine{l->a / r->b, l->b / r->b};
        return std::nullopt;
    default:
        return std::nullopt;
    }
}

/// Text of a subtree with its constants replaced by '#' (the shape of a factor that is not of the simple kinds).
std::string shapeText(const Expression& sub)
{
    Expression shape = sub;
    shape.setConstants(Eigen::VectorXd::Zero(shape.constantCount()));
    std::string text = shape.text(3);
    std::replace(text.begin(), text.end(), '0', '#');
    return text;
}

/// A function of an affine argument in canonical form: odd functions (tanh, sin) and even ones (cos, abs) get a
/// positive slope, exp's offset moves into the coefficient.
Term functionTerm(Operator op, Affine arg)
{
    Term t;
    if (arg.a < 0 && (op == Operator::Tanh || op == Operator::Sin)) {
        arg = {-arg.a, -arg.b};
        t.coefficient = -1.0;
    } else if (arg.a < 0 && (op == Operator::Cos || op == Operator::Abs)) {
        arg = {-arg.a, -arg.b};
    }
    if (op == Operator::Exp) {
        t.coefficient *= std::exp(arg.b);
        arg.b = 0.0;
    }
    t.factors.push_back({std::string(operatorName(op)) + "(a·x + b)", {arg.a, arg.b}});
    return t;
}

Term product(const Term& l, const Term& r)
{
    Term t;
    t.coefficient = l.coefficient * r.coefficient;
    t.factors = l.factors;
    t.factors.insert(t.factors.end(), r.factors.begin(), r.factors.end());
    std::stable_sort(t.factors.begin(), t.factors.end(), [](const Factor& a, const Factor& b) { return a.key < b.key; });
    return t;
}

std::vector<Term> termsAt(const Expression& e, std::size_t i)
{
    const ExpressionNode& node = e.nodes()[i];
    switch (node.op) {
    case Operator::Constant: return {Term{node.value, {}}};
    case Operator::Variable: return {Term{1.0, {{"x", {}}}}};
    default: break;
    }
    if (arity(node.op) == 1) {
        if (const auto arg = affineAt(e, i + 1); arg && arg->a != 0.0)
            return {functionTerm(node.op, *arg)};
        const Expression sub = e.subtree(i);
        return {Term{1.0, {{shapeText(sub), {}}}}};
    }
    const std::size_t right = e.subtreeEnd(i + 1);
    std::vector<Term> l = termsAt(e, i + 1), r = termsAt(e, right);
    switch (node.op) {
    case Operator::Add:
        l.insert(l.end(), r.begin(), r.end());
        return l;
    case Operator::Subtract:
        for (Term& t : r)
            t.coefficient = -t.coefficient;
        l.insert(l.end(), r.begin(), r.end());
        return l;
    case Operator::Multiply: {
        std::vector<Term> out;
        for (const Term& a : l)
            for (const Term& b : r)
                out.push_back(product(a, b));
        return out;
    }
    default: { // division: by a constant scales; by anything else is a factor of its own
        if (r.size() == 1 && r[0].factors.empty() && r[0].coefficient != 0.0) {
            for (Term& t : l)
                t.coefficient /= r[0].coefficient;
            return l;
        }
        const Term divisor{1.0, {{"1/(" + shapeText(e.subtree(right)) + ")", {}}}};
        for (Term& t : l)
            t = product(t, divisor);
        return l;
    }
    }
}

/// The expression's terms, like terms merged, by key.
std::map<std::string, Term> termsOf(const Expression& e)
{
    std::map<std::string, Term> merged;
    for (const Term& t : termsAt(e, 0)) {
        auto it = merged.find(t.key());
        if (it == merged.end())
            merged.emplace(t.key(), t);
        else
            it->second.coefficient += t.coefficient;
    }
    return merged;
}

CoefficientMatch compare(const std::string& where, double found, double truth)
{
    CoefficientMatch m{where, found, truth, 0.0};
    m.relativeError = truth != 0.0 ? std::fabs(found - truth) / std::fabs(truth) : std::fabs(found - truth);
    return m;
}

} // namespace

double ExpressionMatch::largestRelativeError() const
{
    double largest = 0.0;
    for (const CoefficientMatch& c : coefficients)
        largest = std::max(largest, c.relativeError);
    return largest;
}

ExpressionMatch matchExpressions(const Expression& found, const Expression& truth, double negligibleConstant)
{
    ExpressionMatch match;
    if (found.empty() || truth.empty())
        return match;
    std::map<std::string, Term> f = termsOf(found);
    const std::map<std::string, Term> t = termsOf(truth);
    const auto offset = f.find("constant");
    if (offset != f.end() && !t.count("constant") && std::fabs(offset->second.coefficient) <= negligibleConstant) {
        match.ignoredConstant = offset->second.coefficient;
        f.erase(offset);
    }
    if (f.size() != t.size())
        return match;
    for (const auto& [key, term] : t)
        if (!f.count(key))
            return match;
    match.structureMatches = true;
    for (const auto& [key, term] : t) {
        const Term& other = f.at(key);
        match.coefficients.push_back(compare(key + ": coefficient", other.coefficient, term.coefficient));
        for (std::size_t k = 0; k < term.factors.size(); ++k) {
            const std::vector<double>& tc = term.factors[k].constants;
            const std::vector<double>& fc = other.factors[k].constants;
            for (std::size_t j = 0; j < tc.size() && j < fc.size(); ++j)
                match.coefficients.push_back(compare(term.factors[k].key + ": " + (j == 0 ? "a" : "b"), fc[j], tc[j]));
        }
    }
    return match;
}

} // namespace plexus
