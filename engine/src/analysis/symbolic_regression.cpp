#include "plexus/analysis/symbolic_regression.h"

#include "plexus/analysis/constant_fit.h"
#include "plexus/analysis/expression_enumeration.h"
#include "plexus/analysis/expression_simplify.h"
#include "expression_mutation.h"
#include "plexus/sim/rng.h"
#include "plexus/util/errors.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <memory>

#include <omp.h>

namespace plexus {

namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();
/// Relative errors below this count as exact (rounding): a more complex expression cannot beat an exact one.
constexpr double kExactError = 1e-12;
/// Weight of the crowding of a complexity in tournaments (PySR's adaptive parsimony, simplified).
constexpr double kCrowdingWeight = 10.0;
constexpr int kTournamentSize = 12;
/// Children whose value is the small difference of large terms (Expression::largestCancellation) are refused.
constexpr double kLargestCancellation = 20.0;
constexpr double kTournamentWinProbability = 0.86;

struct Candidate
{
    Expression expression;
    double error = kInfinity;   ///< MSE / variance of y on the search points
    std::uint64_t birth = 0;
};

/// The best expression per complexity seen so far.
using HallOfFame = std::map<int, Candidate>;

void offer(HallOfFame& hall, const Candidate& candidate)
{
    const int complexity = candidate.expression.complexity();
    auto it = hall.find(complexity);
    if (it == hall.end() || candidate.error < it->second.error)
        hall[complexity] = candidate;
}

/// The search's error of an expression (MSE / variance of y, constants fitted from their current values); infinite
/// for values that are not finite and for the small difference of large terms.
double searchError(Expression& e, const Eigen::ArrayXd& x, const Eigen::ArrayXd& y, double variance, int evaluations)
{
    const double error = fitConstants(e, x, y, evaluations, 1e-8) / variance;
    if (std::isfinite(error) && e.largestCancellation(x) > kLargestCancellation)
        return kInfinity;
    return error;
}

/// The points the search fits: at most `count`, evenly spaced through the data (in their order).
void searchPoints(const Eigen::ArrayXd& x, const Eigen::ArrayXd& y, int count, Eigen::ArrayXd& xs, Eigen::ArrayXd& ys)
{
    const Eigen::Index n = x.size();
    if (n <= count) {
        xs = x;
        ys = y;
        return;
    }
    xs.resize(count);
    ys.resize(count);
    for (int i = 0; i < count; ++i) {
        const Eigen::Index k = static_cast<Eigen::Index>(std::llround(static_cast<double>(i) * (n - 1) / (count - 1)));
        xs[i] = x[k];
        ys[i] = y[k];
    }
}

/// One population evolved by regularised evolution: a child of a tournament winner replaces the oldest member.
class Island
{
public:
    Island(const SymbolicRegressionOptions& options, std::uint64_t seed, const Eigen::ArrayXd& x,
           const Eigen::ArrayXd& y, double variance, std::vector<Candidate> start)
        : options_(options), rng_(seed), mutation_(options, rng_), x_(x), y_(y), variance_(variance),
          population_(std::move(start))
    {
        for (Candidate& c : population_)
            c.birth = ++births_;
        while (static_cast<int>(population_.size()) < options_.populationSize) {
            Candidate c = evaluated(simplified(mutation_.randomTree(1 + static_cast<int>(rng_.below(6)))));
            if (std::isfinite(c.error))
                population_.push_back(std::move(c));
        }
        for (const Candidate& c : population_)
            offer(hall_, c);
    }

    /// Replaces a few members with copies from the shared hall of fame (migration between islands).
    void immigrate(const HallOfFame& shared)
    {
        if (shared.empty())
            return;
        std::vector<const Candidate*> entries;
        for (const auto& [complexity, candidate] : shared)
            entries.push_back(&candidate);
        const int migrants = std::max(1, options_.populationSize / 20);
        for (int m = 0; m < migrants; ++m) {
            Candidate migrant = *entries[rng_.below(entries.size())];
            migrant.birth = ++births_;
            population_[rng_.below(population_.size())] = std::move(migrant);
        }
    }

    void evolve(const Progress& progress)
    {
        for (int m = 0; m < options_.mutationsPerCycle && !progress.shouldStop(); ++m) {
            const Candidate& parent = tournament();
            const Candidate& other = tournament();
            Expression child = mutation_.mutate(parent.expression, other.expression);
            if (child.empty())
                continue;
            Candidate c = evaluated(std::move(child));
            if (!std::isfinite(c.error))
                continue;
            offer(hall_, c);
            replaceOldest(std::move(c));
        }
    }

    const HallOfFame& hallOfFame() const { return hall_; }

private:
    Candidate evaluated(Expression e)
    {
        Candidate c;
        c.error = searchError(e, x_, y_, variance_, 20);
        c.expression = std::move(e);
        c.birth = ++births_;
        return c;
    }

    /// PySR's tournament: a few members drawn at random, ranked by error with a penalty for crowded complexities;
    /// the first wins with probability 0.86, else the second with 0.86, and so on (weaker members keep a chance).
    const Candidate& tournament()
    {
        std::map<int, int> crowd;
        for (const Candidate& c : population_)
            ++crowd[c.expression.complexity()];
        const int size = std::min<int>(kTournamentSize, static_cast<int>(population_.size()));
        std::vector<std::pair<double, const Candidate*>> drawn;
        for (int k = 0; k < size; ++k) {
            const Candidate& c = population_[rng_.below(population_.size())];
            const double share = static_cast<double>(crowd[c.expression.complexity()]) / population_.size();
            drawn.emplace_back(std::log(c.error + kExactError) + kCrowdingWeight * share, &c);
        }
        std::sort(drawn.begin(), drawn.end(),
                  [](const auto& a, const auto& b) { return a.first < b.first; });
        for (const auto& [score, candidate] : drawn)
            if (rng_.uniform() < kTournamentWinProbability)
                return *candidate;
        return *drawn.back().second;
    }

    void replaceOldest(Candidate c)
    {
        auto oldest = std::min_element(population_.begin(), population_.end(),
                                       [](const Candidate& a, const Candidate& b) { return a.birth < b.birth; });
        *oldest = std::move(c);
    }

    const SymbolicRegressionOptions& options_;
    Rng rng_;
    ExpressionMutation mutation_;
    const Eigen::ArrayXd& x_;
    const Eigen::ArrayXd& y_;
    double variance_;
    std::vector<Candidate> population_;
    HallOfFame hall_;
    std::uint64_t births_ = 0;
};

/// The exhaustive start (docs/equations.md): every form of options.exhaustiveForms (listed here when not given) with
/// its constants fitted; the best of each complexity go into the hall of fame, and the best `keep` of all are
/// returned by increasing error. Deterministic whatever the number of threads.
std::vector<Candidate> exhaustiveStart(const Eigen::ArrayXd& x, const Eigen::ArrayXd& y, double variance,
                                       const SymbolicRegressionOptions& options, int threads, std::size_t keep,
                                       HallOfFame& hall, const Progress& progress)
{
    progress.update("expression search: every small form", 0, options.cycles);
    std::vector<Expression> forms =
        options.exhaustiveForms ? *options.exhaustiveForms : *listExhaustiveForms(options);
    if (forms.empty())
        return {};
    std::vector<double> errors(forms.size(), kInfinity);
#pragma omp parallel for schedule(dynamic, 64) num_threads(threads)
    for (int i = 0; i < static_cast<int>(forms.size()); ++i)
        if (!progress.shouldStop())
            errors[static_cast<std::size_t>(i)] = searchError(forms[static_cast<std::size_t>(i)], x, y, variance, 40);
    std::vector<std::size_t> ranked;
    for (std::size_t i = 0; i < forms.size(); ++i)
        if (std::isfinite(errors[i]))
            ranked.push_back(i);
    const auto better = [&](std::size_t a, std::size_t b) {
        return errors[a] < errors[b] || (errors[a] == errors[b] && a < b);
    };
    std::sort(ranked.begin(), ranked.end(), better);
    std::vector<Candidate> start;
    for (std::size_t i : ranked) {
        if (!hall.count(forms[i].complexity()))
            hall[forms[i].complexity()] = Candidate{forms[i], errors[i], 0}; // the first of its size is its best
        if (start.size() < keep)
            start.push_back(Candidate{forms[i], errors[i], 0});
    }
    return start;
}

/// Island `island`'s share of the exhaustive start: every islands-th of the best, up to half a population.
std::vector<Candidate> startShare(const std::vector<Candidate>& start, int island, int islands, int populationSize)
{
    std::vector<Candidate> share;
    for (std::size_t k = static_cast<std::size_t>(island);
         k < start.size() && static_cast<int>(share.size()) < populationSize / 2; k += static_cast<std::size_t>(islands))
        share.push_back(start[k]);
    return share;
}

/// A hall of fame's entries that no simpler entry matches or beats, as (complexity, error) steps down.
std::vector<Candidate> paretoFront(const HallOfFame& hall)
{
    std::vector<Candidate> front;
    double bestSoFar = kInfinity;
    for (const auto& [complexity, candidate] : hall) {
        if (candidate.error < bestSoFar && (bestSoFar > kExactError || front.empty())) {
            front.push_back(candidate);
            bestSoFar = candidate.error;
        }
    }
    return front;
}

/// The front's errors, for the patience test: improved when any complexity's error fell by more than 1 %.
bool improved(const HallOfFame& before, const HallOfFame& after)
{
    for (const auto& [complexity, candidate] : after) {
        const auto it = before.find(complexity);
        const double previous = it == before.end() ? kInfinity : it->second.error;
        if (candidate.error < 0.99 * previous && previous > kExactError)
            return true;
    }
    return false;
}

/// Refits the constants of a front expression on every point, from its own constants and a few perturbed starts.
/// A refit that slides into a cancellation of large terms (the search refused those) is not taken.
double polish(Expression& e, const Eigen::ArrayXd& x, const Eigen::ArrayXd& y, Rng& rng)
{
    const Expression found = e;
    double best = meanSquaredError(e, x, y);
    const auto tryFrom = [&](Expression trial) {
        const double error = fitConstants(trial, x, y, 400);
        if (error < best && trial.largestCancellation(x) <= kLargestCancellation) {
            best = error;
            e = std::move(trial);
        }
    };
    tryFrom(found);
    const Eigen::VectorXd start = found.constants();
    for (int restart = 0; restart < 4 && start.size() > 0; ++restart) {
        Expression trial = found;
        Eigen::VectorXd c = start;
        for (Eigen::Index k = 0; k < c.size(); ++k)
            c[k] *= std::exp(0.3 * rng.normal());
        trial.setConstants(c);
        tryFrom(std::move(trial));
    }
    return best;
}

std::vector<ParetoEntry> finalFront(const HallOfFame& hall, const Eigen::ArrayXd& x, const Eigen::ArrayXd& y,
                                    double variance, std::uint64_t seed)
{
    Rng rng(seed ^ 0x5EEDF00DULL);
    HallOfFame polished;
    for (const Candidate& c : paretoFront(hall)) {
        Candidate p = c;
        p.error = polish(p.expression, x, y, rng) / variance;
        if (std::isfinite(p.error))
            offer(polished, p);
    }
    std::vector<ParetoEntry> front;
    double previousError = 1.0; // the null model: the mean of y, no nodes
    int previousComplexity = 0;
    for (const Candidate& c : paretoFront(polished)) {
        ParetoEntry entry;
        entry.expression = c.expression;
        entry.complexity = c.expression.complexity();
        entry.meanSquaredError = c.error * variance;
        entry.r2 = 1.0 - c.error;
        const double error = std::max(c.error, kExactError);
        entry.score = std::max(0.0, std::log(std::max(previousError, kExactError) / error)) /
                      std::max(1, entry.complexity - previousComplexity);
        previousError = error;
        previousComplexity = entry.complexity;
        front.push_back(std::move(entry));
    }
    return front;
}

void checkInput(const Eigen::ArrayXd& x, const Eigen::ArrayXd& y)
{
    if (x.size() != y.size())
        throw InputError("symbolic regression: " + std::to_string(x.size()) + " x values but " +
                         std::to_string(y.size()) + " y values");
    if (x.size() < 3)
        throw InputError("symbolic regression: at least 3 points are needed, got " + std::to_string(x.size()));
    if (!x.allFinite() || !y.allFinite())
        throw InputError("symbolic regression: the curve has values that are not finite numbers");
}

} // namespace

int chooseFromFront(const std::vector<ParetoEntry>& front, double errorFactor, double acceptableError)
{
    const auto relativeError = [](const ParetoEntry& e) { return std::max(1.0 - e.r2, kExactError); };
    // Every entry within the acceptable error is a fit: the simplest of them (the front is by increasing size).
    for (std::size_t i = 0; i < front.size(); ++i)
        if (1.0 - front[i].r2 <= acceptableError)
            return static_cast<int>(i);
    // Otherwise PySR's "best": the steepest step among the entries within the factor of the smallest error.
    double smallest = kInfinity;
    for (const ParetoEntry& e : front)
        smallest = std::min(smallest, relativeError(e));
    int chosen = -1;
    for (std::size_t i = 0; i < front.size(); ++i)
        if (relativeError(front[i]) <= errorFactor * smallest &&
            (chosen < 0 || front[i].score > front[static_cast<std::size_t>(chosen)].score))
            chosen = static_cast<int>(i);
    return chosen;
}

std::shared_ptr<const std::vector<Expression>> listExhaustiveForms(const SymbolicRegressionOptions& options)
{
    const int general = std::min(options.exhaustiveComplexity, options.maxComplexity);
    auto forms = std::make_shared<std::vector<Expression>>();
    if (general >= 1)
        *forms = enumerateExpressions(general, options.unaryOperators, options.binaryOperators);
    const int arithmetic = std::min(options.exhaustiveArithmeticComplexity, options.maxComplexity);
    if (arithmetic > general)
        for (Expression& e : enumerateExpressions(arithmetic, {}, options.binaryOperators))
            if (e.complexity() > general)
                forms->push_back(std::move(e));
    return forms;
}

SymbolicRegressionResult symbolicRegression(const Eigen::ArrayXd& x, const Eigen::ArrayXd& y,
                                            const SymbolicRegressionOptions& options, const Progress& progress)
{
    checkInput(x, y);
    SymbolicRegressionResult result;
    const double variance = std::max((y - y.mean()).square().mean(), 1e-300);
    Eigen::ArrayXd xs, ys;
    searchPoints(x, y, std::max(3, options.searchPoints), xs, ys);

    const int threads = options.threads > 0 ? options.threads : omp_get_max_threads();
    const int islandCount = std::max(1, options.islands);
    HallOfFame shared;
    const std::vector<Candidate> start =
        exhaustiveStart(xs, ys, variance, options, threads,
                        static_cast<std::size_t>(islandCount) * static_cast<std::size_t>(options.populationSize / 2),
                        shared, progress);
    std::vector<Island> islands;
    islands.reserve(static_cast<std::size_t>(islandCount));
    for (int i = 0; i < islandCount; ++i)
        islands.emplace_back(options, options.seed * 1000003ULL + static_cast<std::uint64_t>(i) + 1, xs, ys, variance,
                             startShare(start, i, islandCount, options.populationSize));
    for (const Island& island : islands)
        for (const auto& [complexity, candidate] : island.hallOfFame())
            offer(shared, candidate);

    int quiet = 0;
    for (int cycle = 0; cycle < options.cycles && !progress.shouldStop(); ++cycle) {
        const HallOfFame before = shared;
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
        for (int i = 0; i < static_cast<int>(islands.size()); ++i) {
            islands[static_cast<std::size_t>(i)].immigrate(before);
            islands[static_cast<std::size_t>(i)].evolve(progress);
        }
        for (const Island& island : islands)
            for (const auto& [complexity, candidate] : island.hallOfFame())
                offer(shared, candidate);
        result.cyclesRun = cycle + 1;
        progress.update("expression search", cycle + 1, options.cycles);
        quiet = improved(before, shared) ? 0 : quiet + 1;
        if (quiet >= options.patience)
            break;
    }
    result.cancelled = progress.shouldStop();
    result.pareto = finalFront(shared, x, y, variance, options.seed);
    result.chosen =
        chooseFromFront(result.pareto, options.selectionErrorFactor, options.acceptableError);
    return result;
}

} // namespace plexus
