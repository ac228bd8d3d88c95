#include "commands.h"
#include "progress_line.h"
#include "run_folder.h"
#include "trained_run.h"

#include "plexus/analysis/expression_parser.h"
#include "plexus/analysis/expression_simplify.h"
#include "plexus/analysis/learned_equations.h"
#include "plexus/config/config_loader.h"
#include "plexus/data/curve_csv.h"
#include "plexus/data/dataset_file.h"
#include "plexus/train/trainer.h"
#include "plexus/util/errors.h"

#include <cstdio>
#include <filesystem>

namespace plexus::cli {

namespace fs = std::filesystem;

namespace {

constexpr const char* kUsage = R"(plexus-cli equations RUN_DIR [--json] [options]
plexus-cli equations --csv FILE [--json] [options]

Turns curves into formulas by symbolic regression (docs/equations.md): a search over expression trees with
+ - * /, tanh exp sin cos log abs sqrt and fitted constants, keeping the most accurate expression of each size
(the Pareto front) and choosing one by the rule documented there.
  RUN_DIR              a trained run: per recovered type its update function φ*(u), and its transfer function
                       ψ*(u)/upper (shared for PDE_N2); with a simulation's ground truth, the generator's expression
                       beside each, with the relative error of every matched coefficient
  --csv FILE           any curve instead: two columns x,y (an optional header line)
  --truth FORMULA      with --csv: a known formula in x to compare with, e.g. -2*x + tanh(x): whether the
                       chosen expression has its structure, and the relative error of each matched constant
  --json               print {"curves": [{"name", "best": {"expression", "complexity", "r2"}, "pareto": [...]}]}
  --seed S             search seed (default 0; the result is the same for a seed, whatever the threads)
  --max-complexity C   most nodes in an expression (default 20)
  --cycles N           most generations of the search (default 60)
  --acceptable-error E 1 − R² that counts as a fit when choosing from the front (default 1e-4 for a run's
                       learned curves, 0 for --csv: the smallest error found, times 4, decides)
  --checkpoint FILE    a checkpoint other than the newest of RUN_DIR
  --threads T          compute threads (default: all cores)
)";

void printCurve(const CurveEquation& c)
{
    std::printf("%s\n", c.name.c_str());
    std::printf("  %-4s %-12s %s\n", "size", "R²", "expression");
    for (std::size_t k = 0; k < c.search.pareto.size(); ++k) {
        const ParetoEntry& e = c.search.pareto[k];
        std::printf("  %-4d %-12.8f %s%s\n", e.complexity, e.r2, e.expression.text(6).c_str(),
                    static_cast<int>(k) == c.search.chosen ? "   ◀ chosen" : "");
    }
    if (const ParetoEntry* best = c.search.best())
        std::printf("  chosen: %s = %s   (R² %.6f, %d nodes)\n", c.variable == "u" ? "f(u)" : "f(x)",
                    best->expression.readable(c.variable).c_str(), best->r2, best->complexity);
    if (c.truth.empty())
        return;
    const std::string whose = c.trueType >= 0 ? " (true type " + std::to_string(c.trueType) + ")" : "";
    std::printf("  generator%s: %s — structure %s", whose.c_str(), c.truth.readable(c.variable, 3).c_str(),
                c.match.structureMatches ? "matches" : "differs");
    if (c.match.ignoredConstant != 0.0)
        std::printf(" (up to a constant %.3g, under 1 %% of the curve's range)", c.match.ignoredConstant);
    std::printf("\n");
    for (const CoefficientMatch& m : c.match.coefficients)
        std::printf("    %-28s found %10.5f  true %10.5f  error %.2f %%\n", m.term.c_str(), m.found, m.truth,
                    100.0 * m.relativeError);
}

SymbolicRegressionOptions searchOptions(const CliArgs& args)
{
    SymbolicRegressionOptions options = args.has("csv") ? SymbolicRegressionOptions{} : learnedCurveSearchOptions();
    options.acceptableError = args.doubleValue("acceptable-error", options.acceptableError);
    if (options.acceptableError < 0.0 || options.acceptableError >= 1.0)
        throw InputError("--acceptable-error: expected a number in [0, 1), got " + args.value("acceptable-error"));
    options.seed = static_cast<std::uint64_t>(args.intValue("seed", 0));
    options.maxComplexity = static_cast<int>(args.positiveIntValue("max-complexity", options.maxComplexity));
    options.cycles = static_cast<int>(args.positiveIntValue("cycles", options.cycles));
    options.threads = computeThreads(args);
    if (options.maxComplexity < 3)
        throw InputError("--max-complexity: expected 3 or more, got " + args.value("max-complexity"));
    return options;
}

std::vector<CurveEquation> csvCurves(const std::string& path, const std::string& truth)
{
    const Curve curve = readCurveCsv(path);
    CurveEquation c;
    if (!truth.empty()) {
        try {
            c.truth = simplified(parseExpression(truth));
        } catch (const InputError& e) {
            throw InputError(std::string("--truth: ") + e.what());
        }
    }
    c.name = fs::path(path).filename().string();
    c.function = "curve";
    c.x = curve.x;
    c.y = curve.y;
    return {c};
}

std::vector<CurveEquation> runCurves(const std::string& runDir, const std::string& checkpoint)
{
    const TrainedRun run = loadTrainedRun(runDir, checkpoint);
    return learnedCurves(run.trainer->model(), *run.data, run.config);
}

} // namespace

int runEquations(const Args& argv)
{
    if (printHelpIfAsked(argv, kUsage))
        return 0;
    CliArgs args(argv, {"csv", "truth", "seed", "max-complexity", "cycles", "checkpoint", "threads", "acceptable-error"}, {"json"});
    const SymbolicRegressionOptions options = searchOptions(args);
    setComputeThreads(options.threads);
    std::vector<CurveEquation> curves;
    if (args.has("csv")) {
        if (!args.positionals().empty())
            throw InputError("equations: give either RUN_DIR or --csv FILE, not both");
        curves = csvCurves(args.value("csv"), args.value("truth"));
    } else {
        if (args.has("truth"))
            throw InputError("equations: --truth goes with --csv (a run's truth comes from its simulation)");
        curves = runCurves(args.requirePositional("RUN_DIR"), args.value("checkpoint"));
    }
    ProgressLine line("cycles");
    Progress progress = progressOn(line);
    fitEquations(curves, options, progress);
    line.finish();
    if (g_stopRequested)
        std::fprintf(stderr, "stopped: the expressions below are what was found so far\n");
    if (args.has("json")) {
        std::fputs(equationsToJson(curves).c_str(), stdout);
        return 0;
    }
    for (const CurveEquation& c : curves)
        printCurve(c);
    return 0;
}

} // namespace plexus::cli
