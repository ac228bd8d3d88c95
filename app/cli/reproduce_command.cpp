#include "commands.h"
#include "progress_line.h"
#include "run_folder.h"
#include "training_loop.h"

#include "plexus/analysis/evaluation.h"
#include "plexus/config/config_loader.h"
#include "plexus/config/presets.h"
#include "plexus/config/recipes.h"
#include "plexus/data/dataset_file.h"
#include "plexus/runtime/run_folder.h"
#include "plexus/runtime/reproduction.h"
#include "plexus/runtime/run_folder_lock.h"
#include "plexus/sim/simulator.h"
#include "plexus/train/trainer.h"
#include "plexus/util/atomic_file.h"
#include "plexus/util/errors.h"

#include <chrono>
#include <cstdio>
#include <filesystem>

namespace plexus::cli {

namespace fs = std::filesystem;

namespace {

constexpr const char* kUsage = R"(plexus-cli reproduce NAME|all [options]

Reproduces an experiment of the paper: simulates it (once), trains it with its reproduction recipe, evaluates, and
prints the paper's numbers next to the measured ones with pass/fail (docs/reproduction.md). Writes RUN_DIR/metrics.json
and RUN_DIR/reproduction.json. Running it again on the same folder continues the training (Ctrl-C keeps what is done).
  NAME                 an experiment with a recipe (plexus-cli reproduce --list), or all of the paper's
  --recipe R           which recipe: fast (the default: minutes to an hour) or paper (the paper's own settings)
  --budget-minutes M   stop training after M minutes (then evaluate what was learned); default: the recipe's
  --iterations N       at most N iterations in total (default: the recipe's)
  --out DIR            the run folder (default runs/reproduce/NAME; with all, DIR/NAME)
  --device D           cpu or cuda (default: the config's, "auto")
  --threads T          compute threads (default: all cores)
  --set KEY=VALUE      override a config value on top of the recipe (repeatable)
  --list               the experiments with a recipe, and their recipes
)";

struct Request
{
    std::string recipe;
    double budgetSeconds = 0.0;
    std::int64_t iterations = -1;
    std::string device;
    std::vector<std::string> overrides;
};

/// " (at most N iterations, M minutes)" as far as the variant sets them.
std::string budgetOf(const RecipeVariant& v)
{
    std::string parts;
    if (v.iterations > 0)
        parts = "at most " + std::to_string(v.iterations) + " iterations";
    if (v.minutes > 0) {
        char minutes[48];
        std::snprintf(minutes, sizeof minutes, "%s%g minutes of training", parts.empty() ? "at most " : ", ", v.minutes);
        parts += minutes;
    }
    return parts.empty() ? parts : " (" + parts + ")";
}

void listRecipes()
{
    for (const std::string& name : recipeNames()) {
        const ReproductionRecipe r = loadRecipe(name);
        std::printf("%-10s %s\n", name.c_str(), r.description.c_str());
        for (const auto& [variant, v] : r.variants)
            std::printf("           %s%s: %s%s\n", variant.c_str(), variant == r.defaultVariant ? " (default)" : "",
                        v.description.c_str(), budgetOf(v).c_str());
    }
}

std::shared_ptr<const Dataset> datasetOf(const ExperimentConfig& config, const RunFolder& folder)
{
    if (folder.hasDataset()) {
        auto data = std::make_shared<const Dataset>(loadDataset(folder.datasetPath()));
        if (data->neurons() == config.simulation.nNeurons)
            return data;
        throw InputError(folder.datasetPath() + " holds " + std::to_string(data->neurons()) +
                         " neurons, not this experiment's " + std::to_string(config.simulation.nNeurons) +
                         "; use another --out folder");
    }
    ProgressLine line;
    Progress progress = progressOn(line);
    auto data = std::make_shared<const Dataset>(simulate(config, progress));
    saveDataset(*data, folder.datasetPath(), progress);
    line.finish();
    return data;
}

/// `text` left-aligned in `width` characters (UTF-8 aware: "≥" and "—" count as one).
std::string padded(const std::string& text, std::size_t width)
{
    std::size_t characters = 0;
    for (unsigned char c : text)
        characters += (c & 0xC0) != 0x80;
    return text + std::string(width > characters ? width - characters : 0, ' ');
}

void printTable(const ReproductionResult& result)
{
    std::printf("\nreproduction of %s (recipe %s, %lld iterations, %s on %s)\n", result.experiment.c_str(),
                result.recipe.c_str(), static_cast<long long>(result.iterations),
                formatDuration(result.wallSeconds).c_str(), result.device.c_str());
    std::printf("  %s %s %s %s\n", padded("metric", 26).c_str(), padded("paper", 8).c_str(),
                padded("measured", 10).c_str(), "target");
    for (const ReproductionRow& r : result.rows) {
        char paper[32] = "—", measured[32];
        if (r.paper)
            std::snprintf(paper, sizeof paper, "%.3f", *r.paper);
        std::snprintf(measured, sizeof measured, r.count ? "%.0f" : "%.4f", r.measured);
        std::printf("  %s %s %s %s %s\n", padded(r.metric, 26).c_str(), padded(paper, 8).c_str(),
                    padded(measured, 10).c_str(), padded(r.tolerance, 20).c_str(), r.pass ? "pass" : "FAIL");
    }
}

/// One experiment, start to end. Returns the exit code (0, or kExitStopped after Ctrl-C).
int reproduceOne(const std::string& name, const Request& request, const fs::path& runDir, const Args& argv)
{
    const auto start = std::chrono::steady_clock::now();
    const ReproductionPlan plan = planReproduction(name, request.recipe, request.overrides, fs::current_path().string());
    const std::string& variantName = plan.variantName;
    const ExperimentConfig& config = plan.config;

    const NewFolderGuard cleanup(runDir.string());
    const auto lock = RunFolderLock::acquire(runDir.string(), commandLine("reproduce", argv));
    const RunFolder folder(runDir.string());
    std::printf("reproducing %s with the %s recipe in %s\n", name.c_str(), variantName.c_str(), runDir.c_str());
    auto data = datasetOf(config, folder);
    saveConfigFile(config, folder.configPath());

    TrainingOptions options;
    options.device = request.device;
    options.iterations = request.iterations > 0 ? request.iterations : plan.iterations();
    options.runDir = runDir.string();
    options.stopRequested = [] { return g_stopRequested.load(); };
    Trainer trainer(config, data, options);
    if (folder.hasCheckpoint())
        std::printf("continuing from %s\n", trainer.resume().checkpoint.c_str());
    std::printf("training on %s (%s): %lld of %lld iterations done\n", trainer.deviceName().c_str(),
                trainer.stepKernel().c_str(), static_cast<long long>(trainer.iteration()),
                static_cast<long long>(trainer.totalIterations()));
    // The command line's time budget, else the recipe's (minutes: its training time on the 2-core machine).
    const double budgetSeconds = request.budgetSeconds > 0 ? request.budgetSeconds : plan.budgetSeconds();
    if (budgetSeconds > 0)
        std::printf("time budget: %s of training\n", formatDuration(budgetSeconds).c_str());
    std::fflush(stdout);
    ProgressLine line("it");
    LoopOptions loop{plan.variant.metricsEvery, plan.variant.stopAtConnectivityR2, budgetSeconds};
    loop.stopSlopeSettled = plan.variant.stopSlopeSettled;
    const LoopResult result = runTrainingLoop(trainer, loop, line);
    if (result.end == LoopEnd::Stopped) {
        std::printf("stopped at iteration %lld; checkpoint saved. The same command continues.\n",
                    static_cast<long long>(trainer.iteration()));
        return kExitStopped;
    }
    if (result.end == LoopEnd::Budget)
        std::printf("time budget reached: training ended at iteration %lld\n", static_cast<long long>(trainer.iteration()));
    if (result.end == LoopEnd::Plateau)
        std::printf("%s\n", result.goalNotice.c_str());
    ProgressLine evaluating("frames");
    Progress progress = progressOn(evaluating);
    const Evaluation e = evaluate(trainer.model(), *data, config, 1000, progress);
    evaluating.finish();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const ReproductionResult reproduction =
        recordReproduction(plan, e, static_cast<int>(data->typeParameters.rows()), folder, seconds, trainer.iteration(),
                           trainer.deviceName());
    printTable(reproduction);
    if (e.connectivity.hasPerfectRecovery && e.connectivity.perfectRecovery.r2 < 0.999)
        std::printf("  (an exact recovery would score W R² %.4f, slope %.4f under this ψ normalisation: "
                    "docs/method.md §D.1)\n",
                    e.connectivity.perfectRecovery.r2, e.connectivity.perfectRecovery.slope);
    std::printf("wrote %s and %s\n", folder.evaluationPath().c_str(), folder.reproductionPath().c_str());
    return 0;
}

} // namespace

int runReproduce(const Args& argv)
{
    if (printHelpIfAsked(argv, kUsage))
        return 0;
    CliArgs args(argv, {"recipe", "budget-minutes", "iterations", "out", "device", "threads", "set"}, {"list"});
    if (args.has("list")) {
        listRecipes();
        return 0;
    }
    const std::string name = args.requirePositional("NAME (an experiment, or all; see --list)");
    Request request;
    request.recipe = args.value("recipe");
    request.budgetSeconds = 60.0 * args.doubleValue("budget-minutes", 0.0);
    if (args.has("budget-minutes") && !(request.budgetSeconds > 0))
        throw InputError("--budget-minutes: expected a positive number, got " + args.value("budget-minutes"));
    request.iterations = args.positiveIntValue("iterations", -1);
    request.device = args.value("device");
    if (!request.device.empty() && request.device != "cpu" && request.device != "cuda")
        throw InputError("--device: expected cpu or cuda, got '" + request.device + "'");
    request.overrides = args.values("set");
    setComputeThreads(computeThreads(args));
    if (name != "all") {
        planReproduction(name, request.recipe, request.overrides); // clear errors before anything is made
        return reproduceOne(name, request, args.value("out", "runs/reproduce/" + name), argv);
    }
    const fs::path parent = args.value("out", "runs/reproduce");
    for (const std::string& each : recipeNames()) {
        if (each.rfind("demo", 0) == 0)
            continue; // all = the paper's experiments
        const int code = reproduceOne(each, request, parent / each, argv);
        if (code != 0)
            return code;
    }
    return 0;
}

} // namespace plexus::cli
