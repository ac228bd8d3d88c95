#include "commands.h"
#include "progress_line.h"
#include "run_folder.h"
#include "trained_run.h"

#include "plexus/analysis/evaluation.h"
#include "plexus/analysis/evaluation_text.h"
#include "plexus/analysis/learned_equations.h"
#include "plexus/config/config_loader.h"
#include "plexus/data/dataset_file.h"
#include "plexus/train/trainer.h"
#include "plexus/util/atomic_file.h"
#include "plexus/util/errors.h"

#include <cstdio>
#include <filesystem>
#include <thread>

namespace plexus::cli {

namespace fs = std::filesystem;

namespace {

constexpr const char* kUsage = R"(plexus-cli evaluate RUN_DIR [--checkpoint FILE] [--rollout-frames N] [--threads T]
                            [--no-equations] [--compare OTHER_RUN]

Scores the newest checkpoint of RUN_DIR (or FILE) against the ground truth, prints a table and writes
RUN_DIR/metrics.json: W R² and slope (raw and ψ*-corrected), neuron types (clusters, accuracy with the authors'
median-label mapping and with optimal matching, adjusted Rand index), φ*/ψ* R² per type, and a roll-out of
N frames (default 1000) against the noise-free simulation (R² and slope at frames 400 and 800), and the learned
functions as formulas (plexus-cli equations; --no-equations skips that search, seconds per curve).

--compare OTHER_RUN: how far the newest checkpoint of another run of the same neurons agrees (another seed, the
other half of a recording): ψ*-corrected W R² and slope, clusters and their adjusted Rand index, φ*/ψ* R²
(docs/recordings.md, "Stability"); in metrics.json under without_truth.stability.
)";

} // namespace

int runEvaluate(const Args& argv)
{
    if (printHelpIfAsked(argv, kUsage))
        return 0;
    CliArgs args(argv, {"checkpoint", "rollout-frames", "threads", "compare"}, {"no-equations"});
    const fs::path runDir = args.requirePositional("RUN_DIR");
    setComputeThreads(computeThreads(args));
    const std::int64_t rolloutFrames = args.intValue("rollout-frames", 1000);
    if (rolloutFrames < 0)
        throw InputError("--rollout-frames: expected 0 or more, got " + args.value("rollout-frames"));
    const std::string checkpoint = args.value("checkpoint", Trainer::latestCheckpoint(runDir.string()));
    const TrainedRun run = loadTrainedRun(runDir.string(), checkpoint);
    ProgressLine line("frames");
    Progress progress = progressOn(line);
    Evaluation e = evaluate(run.trainer->model(), *run.data, run.config, rolloutFrames, progress);
    if (!args.has("no-equations") && !g_stopRequested) {
        e.equations = learnedCurves(run.trainer->model(), *run.data, run.config);
        SymbolicRegressionOptions options = learnedCurveSearchOptions();
        options.threads = computeThreads(args);
        fitEquations(e.equations, options, progress);
    }
    if (args.has("compare")) {
        const std::string other = args.value("compare");
        const TrainedRun second = loadTrainedRun(other, Trainer::latestCheckpoint(other));
        e.stability = compareModels({run.trainer->model(), run.config, activityScale(*run.data)},
                                    {second.trainer->model(), second.config, activityScale(*second.data)});
        e.stabilityRun = other;
    }
    line.finish();
    std::printf("checkpoint    %s\n", checkpoint.c_str());
    std::fputs(evaluationText(e).c_str(), stdout);
    const std::string json = (runDir / "metrics.json").string();
    writeFileAtomic(json, evaluationToJson(e));
    std::printf("wrote %s\n", json.c_str());
    return 0;
}

} // namespace plexus::cli
