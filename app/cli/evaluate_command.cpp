#include "commands.h"
#include "progress_line.h"
#include "run_folder.h"
#include "trained_run.h"

#include "plexus/analysis/evaluation.h"
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

void printWithoutTruth(const Evaluation& e)
{
    const RecordingScore& w = e.withoutTruth;
    std::printf("one-step      du/dt R² %.3f (slope %.3f) on %lld %s frames%s\n", w.oneStepR2, w.oneStepFit.slope,
                static_cast<long long>(w.scoredFrames), w.heldOut ? "held-out" : "training",
                w.heldOut ? (" from frame " + std::to_string(w.firstScoredFrame)).c_str()
                          : " (in-sample: training.held_out_fraction is 0)");
    std::printf("roll-out      %lld frames against the data%s: %s @400, %s @800, mean neuron r %.3f\n",
                static_cast<long long>(w.rollout.frames), w.rollout.divergedAt >= 0 ? " (diverged)" : "",
                rolloutText(w.rollout, 400, w.rollout.at400).c_str(), rolloutText(w.rollout, 800, w.rollout.at800).c_str(),
                w.rollout.meanNeuronCorrelation);
    std::printf("clusters      %d, silhouette of the latents %.3f\n", w.clusters, w.silhouette);
    if (!e.stabilityRun.empty()) {
        const ModelAgreement& s = e.stability;
        std::printf("stability     against %s: W R² %.3f slope %.3f | clusters %d and %d, ARI %.3f | φ* R² %.3f, ψ* R² "
                    "%.3f\n",
                    e.stabilityRun.c_str(), s.connectivity.r2, s.connectivity.slope, s.clustersFirst, s.clustersSecond,
                    s.clusterAdjustedRand, s.updateR2, s.transferR2);
    }
}

void printTable(const Evaluation& e)
{
    if (!e.hasTruth) {
        std::printf("ground truth  none (a recording): the scores below need none\n");
        printWithoutTruth(e);
        for (const CurveEquation& c : e.equations)
            if (const ParetoEntry* best = c.search.best())
                std::printf("equation      %-32s %s  (R² %.5f)\n", c.name.c_str(),
                            best->expression.readable(c.variable).c_str(), best->r2);
        return;
    }
    std::printf("connectivity  raw R² %.4f slope %.4f | corrected R² %.4f slope %.4f\n", e.connectivity.raw.r2,
                e.connectivity.raw.slope, e.connectivity.corrected.r2, e.connectivity.corrected.slope);
    std::printf("types         %d clusters, accuracy %.3f (median label) %.3f (matched), ARI %.3f  (function profiles)\n",
                e.types.clusters, e.types.accuracyMedianLabel, e.types.accuracyMatched, e.types.adjustedRand);
    std::printf("              %d clusters, accuracy %.3f (median label) %.3f (matched), ARI %.3f  (latents alone, the paper's)\n",
                e.typesFromLatents.clusters, e.typesFromLatents.accuracyMedianLabel, e.typesFromLatents.accuracyMatched,
                e.typesFromLatents.adjustedRand);
    std::printf("functions     type:     ");
    for (std::size_t k = 0; k < e.functions.updateR2PerType.size(); ++k)
        std::printf(" %7zu", k);
    std::printf("\n              φ* R²:    ");
    for (double r2 : e.functions.updateR2PerType)
        std::printf(" %7.3f", r2);
    std::printf("\n              ψ* R²:    ");
    for (double r2 : e.functions.transferR2PerType)
        std::printf(" %7.3f", r2);
    std::printf("\nroll-out      %lld frames%s: %s @400, %s @800, mean neuron r %.3f\n",
                static_cast<long long>(e.rollout.frames), e.rollout.divergedAt >= 0 ? " (diverged)" : "",
                rolloutText(e.rollout, 400, e.rollout.at400).c_str(), rolloutText(e.rollout, 800, e.rollout.at800).c_str(),
                e.rollout.meanNeuronCorrelation);
    for (const CurveEquation& c : e.equations)
        if (const ParetoEntry* best = c.search.best())
            std::printf("equation      %-32s %s  (R² %.5f%s)\n", c.name.c_str(), best->expression.readable(c.variable).c_str(),
                        best->r2, c.truth.empty() ? "" : c.match.structureMatches ? ", the generator's form" : ", not the generator's form");
    printWithoutTruth(e);
    if (e.stimulus.available)
        std::printf("stimulus Ω*   R² %.3f slope %.3f (√Ω* scaled ×%.3g to the data's frame-0 maximum)\n",
                    e.stimulus.fit.r2, e.stimulus.fit.slope, e.stimulus.scale);
}

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
    printTable(e);
    const std::string json = (runDir / "metrics.json").string();
    writeFileAtomic(json, evaluationToJson(e));
    std::printf("wrote %s\n", json.c_str());
    return 0;
}

} // namespace plexus::cli
