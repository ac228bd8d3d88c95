// Symbolic regression (docs/equations.md): expression text and parsing, simplification, constant fitting, the
// search recovering the generator's families exactly and forms it was never told about from noisy samples,
// determinism for a seed whatever the threads, cancellation, and matching a found expression against the truth.
#include "plexus/analysis/constant_fit.h"
#include "plexus/analysis/curve_equation.h"
#include "plexus/analysis/expression.h"
#include "plexus/analysis/expression_enumeration.h"
#include "plexus/analysis/expression_match.h"
#include "plexus/analysis/expression_parser.h"
#include "plexus/analysis/expression_simplify.h"
#include "plexus/analysis/learned_equations.h"
#include "plexus/analysis/symbolic_regression.h"
#include "plexus/data/curve_csv.h"
#include "plexus/sim/rng.h"
#include "plexus/util/errors.h"

#include <QtTest/QtTest>

#include <atomic>
#include <cmath>
#include <fstream>
#include <set>

using namespace plexus;

namespace {

Eigen::ArrayXd grid(double low, double high, int n = 200) { return Eigen::ArrayXd::LinSpaced(n, low, high); }

/// y of a formula on x, with Gaussian noise of `noise` times the standard deviation of y.
Eigen::ArrayXd samplesOf(const std::string& formula, const Eigen::ArrayXd& x, double noise = 0.0, std::uint64_t seed = 3)
{
    Eigen::ArrayXd y = parseExpression(formula).evaluate(x);
    const double spread = std::sqrt((y - y.mean()).square().mean());
    Rng rng(seed);
    for (Eigen::Index i = 0; i < y.size(); ++i)
        y[i] += noise * spread * rng.normal();
    return y;
}

SymbolicRegressionOptions quickOptions(int threads = 2)
{
    SymbolicRegressionOptions options;
    options.threads = threads;
    return options;
}

/// Searches the formula's curve and checks that the chosen expression has the formula's structure with every
/// constant within `tolerance` (relative; absolute where the true constant is 0).
void expectExactForm(const std::string& formula, double low, double high, double tolerance)
{
    const Eigen::ArrayXd x = grid(low, high);
    const SymbolicRegressionResult result = symbolicRegression(x, samplesOf(formula, x), quickOptions());
    QVERIFY2(result.best(), formula.c_str());
    const ExpressionMatch match = matchExpressions(result.best()->expression, simplified(parseExpression(formula)));
    const std::string message = formula + " → " + result.best()->expression.text(6);
    QVERIFY2(match.structureMatches, message.c_str());
    QVERIFY2(match.largestRelativeError() <= tolerance, message.c_str());
}

/// An expression's operators in prefix order, every constant alike: its form.
std::string formOf(const Expression& e)
{
    std::string form;
    for (const ExpressionNode& node : e.nodes()) {
        form += node.op == Operator::Constant   ? std::string("c")
                : node.op == Operator::Variable ? std::string("x")
                                                : std::string(operatorName(node.op));
        form += ' ';
    }
    return form;
}

} // namespace

class TestSymbolicRegression : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void textIsParsedBackToTheSameValues()
    {
        const Eigen::ArrayXd x = grid(-3, 3, 31);
        for (const char* formula : {"-1.5*x + 2.25*tanh(x)", "x/(1 + x*x)", "exp(-(x - 0.5)*(x - 0.5))",
                                    "sqrt(abs(x)) - log(2 + cos(x))", "1 - (x - (2 - x))", "2/(x*x + 1)/3",
                                    "sin(x)**2 + -x*-3", "1e-05*x - 3.5e+02"}) {
            const Expression e = parseExpression(formula);
            const Expression back = parseExpression(e.text());
            QVERIFY2(((back.evaluate(x) - e.evaluate(x)).abs() <= 1e-12 * (1.0 + e.evaluate(x).abs())).all(), formula);
            const Expression readable = parseExpression(e.readable("x", 6), "x");
            QVERIFY2(((readable.evaluate(x) - e.evaluate(x)).abs() <= 1e-3 * (1.0 + e.evaluate(x).abs())).all(), formula);
        }
        QCOMPARE(parseExpression("2*tanh(x) - x").text(), std::string("2*tanh(x) - x"));
        QCOMPARE(parseExpression("-1*x + 2*tanh(x)").readable("u"), std::string("−1.00·u + 2.00·tanh(u)"));
        QCOMPARE(parseExpression("x - (-3)").text(), std::string("x + 3"));
    }

    void badTextNamesWhereAndWhat()
    {
        for (const char* bad : {"2*", "tanh x", "foo(x)", "(x + 1", "x ** 1.5", "x $ 2", ""}) {
            try {
                parseExpression(bad);
                QFAIL(bad);
            } catch (const InputError& e) {
                QVERIFY2(std::string(e.what()).find("expected") != std::string::npos, e.what());
            }
        }
    }

    void simplificationKeepsTheValues()
    {
        const Eigen::ArrayXd x = grid(-2, 2, 21);
        for (const char* formula : {"2*(3*x)", "x/4 + 1 + 2", "(x - 3) - 1", "tanh(2 + 1)*x", "x - x + tanh(x)",
                                    "abs(exp(x))", "1*x + 0", "(x*2)*0.5", "tanh(x) - x + tanh(x)",
                                    "3 + x - 2*sin(x) - 1 + sin(x)*4 - x"}) {
            const Expression e = parseExpression(formula);
            const Expression s = simplified(e);
            QVERIFY2(s.complexity() <= e.complexity(), formula);
            QVERIFY2(((s.evaluate(x) - e.evaluate(x)).abs() < 1e-12).all(), formula);
        }
        QCOMPARE(simplified(parseExpression("2*(3*x)")).complexity(), 3);
        QCOMPARE(simplified(parseExpression("x - x + tanh(x)")).text(), std::string("tanh(x)"));
        QCOMPARE(simplified(parseExpression("tanh(x) - x + tanh(x)")).text(), std::string("2*tanh(x) - x"));
        QCOMPARE(simplified(parseExpression("3 + x - 2*sin(x) - 1 + sin(x)*4 - x")).text(), std::string("2 + 2*sin(x)"));
        QCOMPARE(simplified(parseExpression("-1.5*tanh(-0.5*x)")).text(), std::string("1.5*tanh(0.5*x)"));
        QCOMPARE(simplified(parseExpression("-1.5*cos(-0.5*x)")).text(), std::string("-1.5*cos(-0.5*x)"));
    }

    void constantsAreFittedByLevenbergMarquardt()
    {
        const Eigen::ArrayXd x = grid(-4, 4);
        const Eigen::ArrayXd y = samplesOf("-1.7*x + 2.3*tanh(0.8*x - 0.4)", x);
        Expression e = parseExpression("1*x + 1*tanh(1*x + 0)");
        const double error = fitConstants(e, x, y, 400);
        QVERIFY2(error < 1e-18, std::to_string(error).c_str());
        QVERIFY(std::fabs(e.constants()[0] + 1.7) < 1e-6);
        Expression invalid = parseExpression("log(x)"); // not finite for x ≤ 0: rejected, not NaN
        QVERIFY(std::isinf(fitConstants(invalid, x, y)));
    }

    // The generator's families (docs/method.md §A.4), noise-free: exact structure, every constant within 1 %.
    void findsPdeN2UpdateFunctions()
    {
        expectExactForm("-1*x + 2*tanh(x)", -5, 5, 0.01);
        expectExactForm("-2*x + 1*tanh(x)", -4, 4, 0.01);
        expectExactForm("-3*x + 7*tanh(x)", -6, 6, 0.01);
    }
    void findsTransferFunctions()
    {
        expectExactForm("tanh(x)", -5, 5, 0.01);                         // PDE_N2
        expectExactForm("tanh((x - 0.5)/4)", -6, 6, 0.01);               // PDE_N4: width and threshold
        expectExactForm("tanh(x/2) - x*log(8)/50", -6, 6, 0.01);         // PDE_N5
    }

    // Forms the generator never uses, from 200 samples with 1 % noise: R² ≥ 0.999 on the noise-free curve and at
    // most 2 nodes more than the true form (rational functions are not found reliably yet: docs/equations.md).
    void findsFormsItWasNeverToldAbout()
    {
        const std::vector<std::tuple<std::string, double, double>> forms = {
            {"x*x - 2*x + 1", -3, 3}, {"exp(sin(x))", -5, 5}, {"sin(1.5*x)*exp(-0.2*x)", -5, 5},
            {"tanh(tanh(2*x))", -3, 3}, {"0.5*x*x*x - x + 2", -3, 3},
            {"log(x*x + 1)", -4, 4}, {"(x + 1)/(x*x + 2)", -4, 4}}; // the last two: the exhaustive start's
        for (const auto& [formula, low, high] : forms) {
            const Eigen::ArrayXd x = grid(low, high);
            const Eigen::ArrayXd clean = samplesOf(formula, x);
            const SymbolicRegressionResult result = symbolicRegression(x, samplesOf(formula, x, 0.01), quickOptions());
            QVERIFY2(result.best(), formula.c_str());
            const Eigen::ArrayXd fitted = result.best()->expression.evaluate(x);
            const double r2 = 1.0 - (fitted - clean).square().sum() / (clean - clean.mean()).square().sum();
            const std::string message = formula + " → " + result.best()->expression.text(6) + ", R² " + std::to_string(r2);
            QVERIFY2(r2 >= 0.999, message.c_str());
            QVERIFY2(result.best()->complexity <= simplified(parseExpression(formula)).complexity() + 2, message.c_str());
        }
    }

    void enumerationListsEveryFormOnce()
    {
        const std::vector<Expression> small =
            enumerateExpressions(3, {Operator::Tanh}, {Operator::Add, Operator::Multiply});
        std::set<std::string> forms;
        for (const Expression& e : small)
            forms.insert(formOf(e));
        const std::set<std::string> expected = {"x ", "c ", "tanh x ", "tanh tanh x ", "+ c x ", "* c x ", "* x x "};
        QCOMPARE(forms, expected); // x + x is 2·x; tanh(c), c + c and x·c are no new forms
        QCOMPARE(small.size(), expected.size());

        const std::vector<Operator> unary{Operator::Tanh, Operator::Exp, Operator::Sin, Operator::Cos,
                                          Operator::Log, Operator::Abs, Operator::Sqrt};
        const std::vector<Operator> binary{Operator::Add, Operator::Subtract, Operator::Multiply, Operator::Divide};
        const std::vector<Expression> all = enumerateExpressions(6, unary, binary);
        std::set<std::string> allForms;
        for (const Expression& e : all) {
            QVERIFY(e.complexity() <= 6);
            QCOMPARE(simplified(e).complexity(), e.complexity());
            QVERIFY2(allForms.insert(formOf(e)).second, formOf(e).c_str());
        }
        for (const char* formula : {"log(1 + x*x)", "exp(-2*(x*x))", "x*sin(x)", "sqrt(x + 5)", "tanh(x) - x",
                                    "3/(1 + exp(x))", "sin(exp(0.3*x))", "abs(x) - 2*x"})
            QVERIFY2(allForms.count(formOf(simplified(parseExpression(formula)))), formula);
    }

    void theFrontFallsAndTheChoiceIsOnIt()
    {
        const Eigen::ArrayXd x = grid(-5, 5);
        const SymbolicRegressionResult result = symbolicRegression(x, samplesOf("-x + 2*tanh(x)", x, 0.01), quickOptions());
        QVERIFY(result.pareto.size() >= 2);
        for (std::size_t k = 1; k < result.pareto.size(); ++k) {
            QVERIFY(result.pareto[k].complexity > result.pareto[k - 1].complexity);
            QVERIFY(result.pareto[k].meanSquaredError < result.pareto[k - 1].meanSquaredError);
        }
        QVERIFY(result.chosen >= 0 && result.chosen < static_cast<int>(result.pareto.size()));
    }

    void theChoiceTakesTheSimplestAcceptableFit()
    {
        const auto entry = [](int complexity, double relativeError, double score) {
            ParetoEntry e;
            e.complexity = complexity;
            e.r2 = 1.0 - relativeError;
            e.score = score;
            return e;
        };
        // demo_visual's type-0 ψ* (docs/equations.md): tanh(u) just above 1e−4, then formulas of the MLP's wiggles
        // with the steepest step last.
        const std::vector<ParetoEntry> front = {entry(1, 1.0, 0.0),     entry(2, 1.01e-4, 4.6), entry(4, 5.8e-5, 0.28),
                                                entry(6, 2.1e-5, 0.51), entry(8, 6.8e-6, 0.56), entry(12, 9.6e-7, 0.89)};
        QCOMPARE(chooseFromFront(front, 4.0, 1e-4), 2); // 0.0064 + tanh(u), not the 12-node formula
        QCOMPARE(chooseFromFront(front, 4.0, 0.0), 5);  // measured curves: only the smallest error's neighbours
        QCOMPARE(chooseFromFront(front, 100.0, 0.0), 5); // within 100×: the steepest step
        QCOMPARE(chooseFromFront(front, 1e6, 0.0), 1);   // within any factor: tanh(u)'s step is the steepest
        QCOMPARE(chooseFromFront({}, 4.0, 1e-4), -1);
    }

    void formsListedOnceGiveTheSameSearch()
    {
        const Eigen::ArrayXd x = grid(-3, 3, 120);
        const Eigen::ArrayXd y = samplesOf("log(x*x + 1)", x, 0.01);
        SymbolicRegressionOptions options = quickOptions(1);
        options.cycles = 3;
        const SymbolicRegressionResult listedHere = symbolicRegression(x, y, options);
        options.exhaustiveForms = listExhaustiveForms(options);
        QVERIFY(options.exhaustiveForms->size() > 200000);
        const SymbolicRegressionResult listedBefore = symbolicRegression(x, y, options);
        QCOMPARE(listedHere.best()->expression.text(), listedBefore.best()->expression.text());
        QVERIFY2(listedHere.best()->expression.text(6).rfind("log(", 0) == 0, listedHere.best()->expression.text(6).c_str());
    }

    void sameSeedSameResultWhateverTheThreads()
    {
        const Eigen::ArrayXd x = grid(-3, 3, 120);
        const Eigen::ArrayXd y = samplesOf("exp(-x*x) + 0.3*x", x, 0.01);
        SymbolicRegressionOptions options = quickOptions(1);
        options.seed = 7;
        options.cycles = 8;
        const SymbolicRegressionResult one = symbolicRegression(x, y, options);
        options.threads = 2;
        const SymbolicRegressionResult two = symbolicRegression(x, y, options);
        QCOMPARE(one.pareto.size(), two.pareto.size());
        for (std::size_t k = 0; k < one.pareto.size(); ++k)
            QCOMPARE(one.pareto[k].expression.text(), two.pareto[k].expression.text());
        options.seed = 8;
        const SymbolicRegressionResult other = symbolicRegression(x, y, options);
        bool differs = other.pareto.size() != one.pareto.size();
        for (std::size_t k = 0; !differs && k < one.pareto.size(); ++k)
            differs = other.pareto[k].expression.text() != one.pareto[k].expression.text();
        QVERIFY2(differs, "another seed should take another path");
    }

    void aStopRequestEndsTheSearchWithWhatItHas()
    {
        const Eigen::ArrayXd x = grid(-3, 3);
        std::atomic<bool> stop{false};
        Progress progress;
        progress.stopRequested = &stop;
        int reports = 0;
        progress.report = [&](const std::string&, std::int64_t, std::int64_t) {
            if (++reports == 2)
                stop = true;
        };
        SymbolicRegressionOptions options = quickOptions();
        options.cycles = 1000;
        options.patience = 1000;
        QElapsedTimer timer;
        timer.start();
        const SymbolicRegressionResult result = symbolicRegression(x, samplesOf("sin(x) + x*x", x), options, progress);
        QVERIFY(result.cancelled);
        QVERIFY(result.cyclesRun <= 3);
        QVERIFY(timer.elapsed() < 20000);
        QVERIFY(!result.pareto.empty());
    }

    void badCurvesAreRefused()
    {
        Eigen::ArrayXd x = grid(0, 1, 10), y = x;
        y[3] = std::nan("");
        QVERIFY_THROWS_EXCEPTION(InputError, symbolicRegression(x, y));
        QVERIFY_THROWS_EXCEPTION(InputError, symbolicRegression(grid(0, 1, 2), grid(0, 1, 2)));
        QVERIFY_THROWS_EXCEPTION(InputError, symbolicRegression(grid(0, 1, 5), grid(0, 1, 6)));
    }

    void matchingReadsTermsNotLayouts()
    {
        const Expression truth = parseExpression("tanh((x - 0.5)/4)");
        ExpressionMatch m = matchExpressions(parseExpression("tanh(0.25*x - 0.125)"), truth);
        QVERIFY(m.structureMatches);
        QVERIFY(m.largestRelativeError() < 1e-12);
        m = matchExpressions(parseExpression("-tanh(-0.2525*x + 0.125)"), truth); // odd: the same term
        QVERIFY(m.structureMatches);
        QVERIFY(std::fabs(m.largestRelativeError() - 0.01) < 1e-9);
        QVERIFY(matchExpressions(parseExpression("2*tanh(x)*1 - (x + x)/2"), parseExpression("-x + 2*tanh(x)")).structureMatches);
        QVERIFY(!matchExpressions(parseExpression("tanh(x) - x + 0.1"), parseExpression("-x + tanh(x)")).structureMatches);
        m = matchExpressions(parseExpression("tanh(x) - x + 0.1"), parseExpression("-x + tanh(x)"), 0.2);
        QVERIFY(m.structureMatches); // a small offset passed over when the caller says how small is negligible
        QCOMPARE(m.ignoredConstant, 0.1);
        QVERIFY(!matchExpressions(parseExpression("sin(x)"), parseExpression("tanh(x)")).structureMatches);
    }

    void generatorExpressionsAreTheSimulatorsFunctions()
    {
        Eigen::RowVectorXd n2(3);
        n2 << 10, 2, 1.5; // g, s, c
        QCOMPARE(trueUpdateExpression("PDE_N2", n2).evaluate(0.7), -1.5 * 0.7 + 2 * std::tanh(0.7));
        Eigen::RowVectorXd n5(6);
        n5 << 1, 0, 10, 2, 4, 0.5; // a, b, g, s, w, h
        QVERIFY(std::fabs(trueTransferExpression("PDE_N5", n5, 2.0).evaluate(1.3) -
                          (std::tanh((1.3 - 0.5) / 4) - 1.3 * std::log(4.0) / 50) / 2.0) < 1e-12);
    }

    void curvesAreReadFromCsvWithClearErrors()
    {
        const QString dir = QDir::tempPath() + "/plexus_curve_csv";
        QDir().mkpath(dir);
        const std::string good = (dir + "/good.csv").toStdString(), bad = (dir + "/bad.csv").toStdString();
        std::ofstream(good) << "x,y\n0,1\n1;2\n2\t3\n# note\n\n3 4\n";
        const Curve curve = readCurveCsv(good);
        QCOMPARE(curve.x.size(), Eigen::Index(4));
        QCOMPARE(curve.y[3], 4.0);
        std::ofstream(bad) << "x,y\n0,1\n1,2\n2,abc\n";
        try {
            readCurveCsv(bad);
            QFAIL("expected an error");
        } catch (const InputError& e) {
            QVERIFY2(std::string(e.what()).find("line 4") != std::string::npos, e.what());
        }
    }

    void jsonCarriesTheFrontAndTheChoice()
    {
        CurveEquation c;
        c.name = "a \"quoted\" curve";
        c.function = "curve";
        c.x = grid(-2, 2, 50);
        c.y = samplesOf("2*x + 1", c.x);
        std::vector<CurveEquation> curves{c};
        SymbolicRegressionOptions options = quickOptions();
        options.cycles = 5;
        fitEquations(curves, options);
        const std::string json = equationsToJson(curves);
        QVERIFY(json.find("\"curves\"") != std::string::npos);
        QVERIFY(json.find("\\\"quoted\\\"") != std::string::npos);
        const std::string key = "\"best\": {\"expression\": \"";
        const std::size_t at = json.find(key);
        QVERIFY(at != std::string::npos);
        const std::size_t end = json.find('"', at + key.size());
        const Expression back = parseExpression(json.substr(at + key.size(), end - at - key.size()));
        QVERIFY(((back.evaluate(c.x) - c.y).abs() < 1e-6).all());
    }
};

QTEST_GUILESS_MAIN(TestSymbolicRegression)
#include "test_symbolic_regression.moc"
