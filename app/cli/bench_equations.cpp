#include "bench_equations.h"

#include "commands.h"

#include "plexus/analysis/expression_match.h"
#include "plexus/analysis/expression_parser.h"
#include "plexus/analysis/expression_simplify.h"
#include "plexus/analysis/symbolic_regression.h"
#include "plexus/sim/rng.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <string>
#include <tuple>
#include <vector>

namespace plexus::cli {

namespace {

/// Forms the generator never uses (docs/equations.md, "The 24-curve benchmark"): polynomials, rational functions,
/// sin/exp compositions, nested tanh, logs and roots, each on its own range.
const std::vector<std::tuple<const char*, double, double>>& benchmarkCurves()
{
    static const std::vector<std::tuple<const char*, double, double>> curves = {
        {"x*x - 2*x + 1", -3, 3},
        {"0.5*x*x*x - x + 2", -3, 3},
        {"x*x*x*x - 3*x*x", -2, 2},
        {"0.3*x*x*x + 1.5*x*x", -3, 3},
        {"x/(1 + x*x)", -4, 4},
        {"(x + 1)/(x*x + 2)", -4, 4},
        {"3*x/(2 + abs(x))", -4, 4},
        {"1/(1 + exp(-2*x))", -4, 4},
        {"sin(1.5*x)*exp(-0.2*x)", -5, 5},
        {"exp(-x*x)", -3, 3},
        {"x*exp(-0.5*x*x)", -4, 4},
        {"sin(x) + 0.5*cos(2*x)", -5, 5},
        {"exp(sin(x))", -5, 5},
        {"sin(exp(0.3*x))", -4, 4},
        {"x*sin(x)", -6, 6},
        {"exp(0.3*x) - 1", -4, 4},
        {"tanh(tanh(2*x))", -3, 3},
        {"tanh(x)*tanh(0.5*x)", -4, 4},
        {"tanh(sin(2*x))", -3, 3},
        {"2*tanh(x - 1) + 0.5*x", -4, 4},
        {"log(x*x + 1)", -4, 4},
        {"sqrt(x + 5)", -4, 4},
        {"abs(x) - 0.2*x*x", -4, 4},
        {"cos(x)*x*x", -3, 3},
    };
    return curves;
}

double r2Against(const Eigen::ArrayXd& truth, const Eigen::ArrayXd& fitted)
{
    return 1.0 - (fitted - truth).square().sum() / (truth - truth.mean()).square().sum();
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0.0 : v[v.size() / 2];
}

} // namespace

void benchEquations(const CliArgs& args)
{
    const double noise = args.doubleValue("noise", 0.01);
    const int points = static_cast<int>(args.positiveIntValue("points", 200));
    SymbolicRegressionOptions options;
    options.threads = static_cast<int>(args.intValue("threads", 2));
    options.seed = static_cast<std::uint64_t>(args.intValue("seed", 0));
    options.cycles = static_cast<int>(args.positiveIntValue("cycles", options.cycles));
    options.patience = static_cast<int>(args.positiveIntValue("patience", options.patience));
    options.exhaustiveComplexity = static_cast<int>(args.intValue("exhaustive", options.exhaustiveComplexity));
    options.exhaustiveArithmeticComplexity =
        static_cast<int>(args.intValue("exhaustive-arithmetic", options.exhaustiveArithmeticComplexity));
    options.exhaustiveForms = listExhaustiveForms(options);
    const std::string only = args.value("only", "");
    int accurate = 0, compact = 0, exact = 0, count = 0;
    std::vector<double> seconds;
    for (const auto& [formula, low, high] : benchmarkCurves()) {
        if (g_stopRequested)
            break;
        ++count;
        if (std::string(formula).find(only) == std::string::npos)
            continue;
        const Expression truth = simplified(parseExpression(formula));
        const Eigen::ArrayXd x = Eigen::ArrayXd::LinSpaced(points, low, high);
        const Eigen::ArrayXd clean = truth.evaluate(x);
        const double spread = std::sqrt((clean - clean.mean()).square().mean());
        Rng rng(static_cast<std::uint64_t>(count));
        Eigen::ArrayXd y = clean;
        for (Eigen::Index i = 0; i < y.size(); ++i)
            y[i] += noise * spread * rng.normal();
        const auto start = std::chrono::steady_clock::now();
        const SymbolicRegressionResult result = symbolicRegression(x, y, options, Progress{{}, &g_stopRequested});
        seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
        const ParetoEntry* best = result.best();
        const double r2 = best ? r2Against(clean, best->expression.evaluate(x)) : 0.0;
        const int extra = best ? best->complexity - truth.complexity() : 99;
        const bool same = best && matchExpressions(best->expression, truth).structureMatches;
        accurate += r2 >= 0.999;
        compact += extra <= 2;
        exact += same;
        std::printf("{\"bench\": \"equations\", \"truth\": \"%s\", \"truth_complexity\": %d, \"chosen\": \"%s\", "
                    "\"complexity\": %d, \"r2_vs_clean\": %.6f, \"exact_form\": %s, \"seconds\": %.2f}\n",
                    truth.text(6).c_str(), truth.complexity(), best ? best->expression.text(6).c_str() : "",
                    best ? best->complexity : 0, r2, same ? "true" : "false", seconds.back());
        std::fflush(stdout);
    }
    std::printf("{\"bench\": \"equations summary\", \"curves\": %d, \"noise\": %g, \"points\": %d, \"threads\": %d, "
                "\"r2_at_least_0.999\": %d, \"complexity_at_most_true_plus_2\": %d, \"exact_form\": %d, "
                "\"median_seconds\": %.2f, \"max_seconds\": %.2f}\n",
                static_cast<int>(seconds.size()), noise, points, options.threads, accurate, compact, exact,
                median(seconds), seconds.empty() ? 0.0 : *std::max_element(seconds.begin(), seconds.end()));
}

} // namespace plexus::cli
