#pragma once

#include "plexus/analysis/expression.h"
#include "plexus/util/progress.h"

#include <Eigen/Core>

#include <cstdint>
#include <memory>
#include <vector>

namespace plexus {

/// Settings of the expression search (docs/equations.md). The defaults fit one curve of a few hundred points in
/// seconds on two cores.
struct SymbolicRegressionOptions
{
    std::uint64_t seed = 0;
    int maxComplexity = 20;       ///< most nodes an expression may have
    int islands = 8;              ///< populations evolved apart (in parallel), meeting through the hall of fame
    int populationSize = 48;
    int cycles = 60;              ///< generations of every island
    int mutationsPerCycle = 48;   ///< children per island and cycle
    int patience = 15;            ///< stop once the Pareto front has not improved for this many cycles
    int searchPoints = 100;       ///< the search fits at most this many points (evenly spaced); the front is refitted on all
    int threads = 0;              ///< 0: every core
    /// Every form of at most this many nodes is fitted before the evolution starts (0: none); the best seed the islands.
    int exhaustiveComplexity = 7;
    /// The same for the forms without functions (rational functions of x: + − × ÷ only), which are fewer, up to
    /// this many nodes (0: none beyond exhaustiveComplexity).
    int exhaustiveArithmeticComplexity = 9;
    /// The exhaustive start's forms when already listed (listExhaustiveForms, for several curves searched with the
    /// same settings); null: each search lists them (≈ 0.65 s).
    std::shared_ptr<const std::vector<Expression>> exhaustiveForms;
    std::vector<Operator> unaryOperators{Operator::Tanh, Operator::Exp, Operator::Sin, Operator::Cos,
                                         Operator::Log, Operator::Abs, Operator::Sqrt};
    std::vector<Operator> binaryOperators{Operator::Add, Operator::Subtract, Operator::Multiply, Operator::Divide};
    /// The choice rule: the simplest expression whose relative error (1 − R²) is at most `acceptableError`; where
    /// there is none, among those within this factor of the smallest error, the one with the steepest fall of log
    /// error per added node (PySR's "best" rule, with a looser factor).
    double selectionErrorFactor = 4.0;
    /// 1 − R² that counts as a fit: the resolution of the curve itself, within which the simplest expression wins (0
    /// for measured points, whose noise the factor above handles; learned curves use learnedCurveSearchOptions()).
    double acceptableError = 0.0;
};

/// One expression of the Pareto front: the most accurate one found at its complexity.
struct ParetoEntry
{
    Expression expression;
    int complexity = 0;
    double meanSquaredError = 0.0;
    double r2 = 0.0;              ///< 1 − MSE / variance of y
    double score = 0.0;           ///< −Δ log(MSE) / Δ complexity from the next simpler entry (0 for the first)
};

struct SymbolicRegressionResult
{
    std::vector<ParetoEntry> pareto; ///< by increasing complexity and decreasing error
    int chosen = -1;                 ///< index into `pareto` of the expression the rule chose (−1: nothing found)
    int cyclesRun = 0;
    bool cancelled = false;

    const ParetoEntry* best() const { return chosen >= 0 ? &pareto[static_cast<std::size_t>(chosen)] : nullptr; }
};

/// Every form the exhaustive start of these options fits: each form of at most exhaustiveComplexity nodes and each
/// without functions of at most exhaustiveArithmeticComplexity (docs/equations.md, "Exhaustive start").
std::shared_ptr<const std::vector<Expression>> listExhaustiveForms(const SymbolicRegressionOptions& options);

/// The choice from a Pareto front (by increasing complexity; docs/equations.md, "The choice from the front"): the
/// simplest entry whose relative error 1 − R² is at most `acceptableError`; where there is none, the highest score
/// among the entries within `errorFactor` of the smallest error. −1 for an empty front.
int chooseFromFront(const std::vector<ParetoEntry>& front, double errorFactor, double acceptableError);

/// Searches expressions y ≈ f(x) by regularised evolution over expression trees (mutation, crossover, constant
/// fitting by Levenberg–Marquardt on every child), keeping the best expression per complexity (the hall of fame),
/// and chooses one from the Pareto front. Deterministic for a seed, whatever the number of threads.
/// Reports progress per cycle; a stop request ends the search early with what was found (`cancelled`).
/// Throws InputError for fewer than 3 points, different lengths or non-finite values.
SymbolicRegressionResult symbolicRegression(const Eigen::ArrayXd& x, const Eigen::ArrayXd& y,
                                            const SymbolicRegressionOptions& options = {},
                                            const Progress& progress = {});

} // namespace plexus
