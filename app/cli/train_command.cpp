#include "commands.h"
#include "progress_line.h"
#include "run_folder.h"
#include "training_loop.h"

#include "plexus/config/config_loader.h"
#include "plexus/data/dataset_file.h"
#include "plexus/runtime/run_folder.h"
#include "plexus/runtime/run_folder_lock.h"
#include "plexus/sim/simulator.h"
#include "plexus/analysis/evaluation.h"
#include "plexus/train/trainer.h"
#include "plexus/util/atomic_file.h"
#include "plexus/util/errors.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <thread>

namespace plexus::cli {

namespace fs = std::filesystem;

namespace {

constexpr const char* kUsage = R"(plexus-cli train RUN_DIR [--preset NAME | --config FILE] [options]

Trains the GNN on RUN_DIR/dataset.h5 with the training settings of RUN_DIR/config.yaml (or of --preset/--config;
when RUN_DIR has no dataset yet, that experiment is simulated first). Writes RUN_DIR/checkpoints/ and appends
RUN_DIR/metrics.csv (iteration, wall time, each loss term, W R², slope, clusters).
  --iterations N     stop after N iterations in total (default: n_epochs × iterations per epoch)
  --resume           continue from the newest checkpoint in RUN_DIR
  --restart          start over; earlier checkpoints and metrics are moved to RUN_DIR/previous-<time>/
  --device D         cpu or cuda (default: training.device of the config, "auto")
  --threads T        compute threads (default: all cores)
  --metrics-every K  iterations between metrics rows and W R² updates (default 500)
  --checkpoint-every K  iterations between checkpoints (default: iterations per epoch / 20; one per epoch too)
  --set KEY=VALUE    override a config value (repeatable; saved to RUN_DIR/config.yaml once accepted)
Ctrl-C stops after the current iteration, saves a checkpoint and exits with code 130; --resume continues from it.
One process at a time works in a run folder: a second one is refused (exit 2) with the holder's pid and command.
A checkpoint of another experiment or model shape (or a --set that changes the model) is refused on --resume.
Training that diverges (loss not finite, or blown up far above its best) stops with exit 1; the checkpoints taken
during the blow-up move to checkpoints/diverged/, and --resume continues from the last one taken before it.
)";

ExperimentConfig trainingConfig(const CliArgs& args, const fs::path& runDir)
{
    if (args.has("preset") || args.has("config"))
        return loadExperiment(args);
    const fs::path path = runDir / "config.yaml";
    if (!fs::exists(path))
        throw InputError(runDir.string() + " has no config.yaml; give --preset NAME or --config FILE");
    Args load = {"--config", path.string()};
    for (const auto& s : args.values("set"))
        load.insert(load.end(), {"--set", s});
    return loadExperiment(CliArgs(load, {"config", "set"}, {}));
}

std::shared_ptr<const Dataset> datasetFor(const ExperimentConfig& config, const fs::path& runDir)
{
    const fs::path path = RunFolder(runDir.string()).datasetPath();
    if (fs::exists(path))
        return std::make_shared<const Dataset>(loadDataset(path.string()));
    ProgressLine line;
    Progress progress = progressOn(line);
    auto data = std::make_shared<const Dataset>(simulate(config, progress));
    saveDataset(*data, path.string(), progress);
    saveConfigFile(config, RunFolder(runDir.string()).configPath());
    line.finish();
    std::printf("simulated %s: %lld frames x %lld neurons\n", path.c_str(), static_cast<long long>(data->frames()),
                static_cast<long long>(data->neurons()));
    return data;
}

/// Writes the effective config to RUN_DIR/config.yaml when it differs from what is there (accepted --set values).
void saveEffectiveConfig(const ExperimentConfig& config, const RunFolder& folder)
{
    const std::string text = configToYaml(config);
    if (folder.hasConfig() && readTextFile(folder.configPath()) == text)
        return;
    writeFileAtomic(folder.configPath(), text);
    std::printf("saved the effective config to %s\n", folder.configPath().c_str());
}

TrainingOptions trainingOptions(const CliArgs& args, const fs::path& runDir)
{
    TrainingOptions options;
    options.device = args.value("device");
    if (!options.device.empty() && options.device != "cpu" && options.device != "cuda")
        throw InputError("--device: expected cpu or cuda, got '" + options.device + "'");
    options.iterations = args.positiveIntValue("iterations", -1);
    options.checkpointInterval = args.positiveIntValue("checkpoint-every", -1);
    options.runDir = runDir.string();
    options.stopRequested = [] { return g_stopRequested.load(); };
    return options;
}

} // namespace

int runTrain(const Args& argv)
{
    if (printHelpIfAsked(argv, kUsage))
        return 0;
    CliArgs args(argv, {"preset", "config", "iterations", "device", "threads", "metrics-every", "checkpoint-every", "set"},
                 {"resume", "restart"});
    const fs::path runDir = args.requirePositional("RUN_DIR");
    if (args.has("resume") && args.has("restart"))
        throw InputError("--resume and --restart exclude each other");
    TrainingOptions options = trainingOptions(args, runDir);
    const std::int64_t every = args.positiveIntValue("metrics-every", 500);
    setComputeThreads(computeThreads(args));
    ExperimentConfig config = trainingConfig(args, runDir);
    const NewFolderGuard cleanup(runDir.string()); // a refused or stopped first use leaves no empty folder
    const auto lock = RunFolderLock::acquire(runDir.string(), commandLine("train", argv));
    const RunFolder folder(runDir.string());
    const bool hasCheckpoints = folder.hasCheckpoint();
    if (hasCheckpoints && !args.has("resume") && !args.has("restart"))
        throw InputError(runDir.string() + " holds checkpoints of an earlier training; add --resume to continue it "
                                           "or --restart to start over (the old files are kept aside)");
    auto data = datasetFor(config, runDir);
    if (data->neurons() != config.simulation.nNeurons)
        throw InputError((runDir / "dataset.h5").string() + " holds " + std::to_string(data->neurons()) +
                         " neurons but the config says simulation.n_neurons = " +
                         std::to_string(config.simulation.nNeurons) +
                         "; train with the run's own config.yaml (no --preset/--config) or use another RUN_DIR");
    Trainer trainer(config, data, options);
    if (args.has("resume")) {
        const ResumeResult resumed = trainer.resume(); // refuses a checkpoint of another experiment, writes nothing
        for (const std::string& skipped : resumed.skipped)
            std::printf("warning: %s; moved to checkpoints/damaged/, resuming from an earlier checkpoint\n", skipped.c_str());
        if (resumed.checkpoint.empty())
            std::printf("no checkpoint in %s; starting from the beginning\n", runDir.c_str());
        else
            std::printf("resuming from %s\n", resumed.checkpoint.c_str());
    }
    if (args.has("restart")) {
        const std::string aside = folder.archiveTraining();
        if (!aside.empty())
            std::printf("earlier training moved to %s\n", aside.c_str());
    }
    saveEffectiveConfig(config, folder);
    std::printf("training %s on %s (%s): %lld neurons, %lld iterations (%lld per epoch), from iteration %lld\n",
                config.dataset.c_str(), trainer.deviceName().c_str(), trainer.stepKernel().c_str(),
                static_cast<long long>(data->neurons()),
                static_cast<long long>(trainer.totalIterations()), static_cast<long long>(trainer.iterationsPerEpoch()),
                static_cast<long long>(trainer.iteration()));
    std::fflush(stdout);
    ProgressLine line("it");
    LoopResult result;
    try {
        LoopOptions loop{every};
        loop.groundTruth = hasGroundTruth(*data);
        result = runTrainingLoop(trainer, loop, line);
    } catch (const DivergedError& e) {
        line.finish();
        throw std::runtime_error(e.what());
    }
    if (result.end == LoopEnd::Stopped) {
        std::printf("stopped at iteration %lld; checkpoint saved. Continue with: plexus-cli train %s --resume\n",
                    static_cast<long long>(trainer.iteration()), runDir.c_str());
        return kExitStopped;
    }
    std::printf("trained %lld iterations in %.1f s: %s\n", static_cast<long long>(trainer.iteration()),
                result.last.wallSeconds, metricsText(result.last, hasGroundTruth(*data)).c_str());
    std::printf("next: plexus-cli evaluate %s\n", runDir.c_str());
    return 0;
}

} // namespace plexus::cli
