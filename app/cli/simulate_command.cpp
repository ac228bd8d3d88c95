#include "commands.h"
#include "progress_line.h"
#include "run_folder.h"

#include "plexus/data/dataset_file.h"
#include "plexus/data/observation.h"
#include "plexus/runtime/run_folder.h"
#include "plexus/runtime/run_folder_lock.h"
#include "plexus/sim/simulator.h"
#include "plexus/util/errors.h"

#include <chrono>
#include <cstdio>
#include <filesystem>

namespace plexus::cli {

namespace fs = std::filesystem;

std::atomic<bool> g_stopRequested{false};

namespace {

constexpr const char* kUsage = R"(plexus-cli simulate (--preset NAME | --config FILE) --out RUN_DIR [options]

Simulates the experiment and writes RUN_DIR/config.yaml and RUN_DIR/dataset.h5.
  --preset NAME        a built-in experiment (list: plexus-cli presets)
  --config FILE        an experiment YAML file (the authors' files load as they are)
  --out RUN_DIR        the run folder to create or fill
  --set KEY=VALUE      override a config value, e.g. --set simulation.n_neurons=500 (repeatable)
  --force              replace an existing dataset in RUN_DIR
  --observe KEY=V,…    record it as a microscope would (docs/recordings.md): every=K keeps every K-th frame,
                       noise=S adds Gaussian noise of S × the activity's std, smoothing=T a calcium-like low-pass of
                       T simulation frames; du/dt is then estimated from what was observed (derivative=savgol|central,
                       window=W, order=P; smooth=1 trains on the smoothed activity too). The ground truth stays in the dataset for scoring only.
Ctrl-C stops the simulation (exit code 130); nothing is written then, and a folder made for it is removed.
)";

void printSummary(const ExperimentConfig& config, const Dataset& d, double seconds, const std::string& path)
{
    const auto& s = config.simulation;
    const std::int64_t steps = s.nFrames - s.startFrame + 1;
    std::printf("Simulated %s (%s): %lld neurons, %lld types, %lld frames (dt = %g), %lld warm-up steps\n",
                config.dataset.empty() ? "experiment" : config.dataset.c_str(), d.signalModel.c_str(),
                static_cast<long long>(d.neurons()), static_cast<long long>(s.nNeuronTypes),
                static_cast<long long>(d.frames()), d.deltaT, static_cast<long long>(-s.startFrame));
    std::printf("  time        %.2f s, %.0f steps/s\n", seconds, static_cast<double>(steps) / seconds);
    const auto& u = d.activity.array();
    const double mean = u.mean();
    const double std = std::sqrt((u - mean).square().mean());
    std::printf("  activity u  mean %.3f, std %.3f, range [%.2f, %.2f]\n", mean, std, u.minCoeff(), u.maxCoeff());
    std::printf("  du/dt       mean |du/dt| %.3f\n", d.derivative.array().abs().mean());
    const double nonZero = static_cast<double>((d.connectivity.array() != 0.0f).count()) / d.connectivity.size();
    std::printf("  true W      %.1f %% non-zero, max |W| %.4f\n", 100.0 * nonZero, d.connectivity.cwiseAbs().maxCoeff());
    if (d.stimulusReceivers() > 0)
        std::printf("  input       %s (%s) on %lld neurons, range [%.3f, %.3f]\n", d.inputType.c_str(),
                    d.inputMode.c_str(), static_cast<long long>(d.stimulusReceivers()), d.stimulus.minCoeff(),
                    d.stimulus.maxCoeff());
    std::printf("  wrote       %s (%s)\n", path.c_str(), formatBytes(static_cast<double>(fs::file_size(path))).c_str());
}

} // namespace

int runSimulate(const Args& argv)
{
    if (printHelpIfAsked(argv, kUsage))
        return 0;
    CliArgs args(argv, {"preset", "config", "out", "set", "observe"}, {"force"});
    const bool observed = args.has("observe");
    const ObservationOptions observation = observed ? parseObservation(args.value("observe")) : ObservationOptions{};
    if (!args.has("out"))
        throw InputError("missing --out RUN_DIR (the folder that receives config.yaml and dataset.h5)");
    ExperimentConfig config = loadExperiment(args);
    const fs::path runDir = args.value("out");
    const RunFolder folder(runDir.string());
    const std::string datasetPath = folder.datasetPath();
    if (fs::exists(datasetPath) && !args.has("force"))
        throw InputError(datasetPath + " already exists; use --force to replace it, or another --out folder");
    checkSimulationMemory(config); // before any folder is made
    const NewFolderGuard cleanup(runDir.string()); // declared before the lock: removes the folder after it is released
    ProgressLine line;
    try {
        // The lock also proves the folder writable before any work is done.
        const auto lock = RunFolderLock::acquire(runDir.string(), commandLine("simulate", argv));
        Progress progress = progressOn(line);
        const auto start = std::chrono::steady_clock::now();
        Dataset data = simulate(config, progress);
        if (observed)
            data = observe(data, observation);
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        saveDataset(data, datasetPath, progress);
        saveConfigFile(config, folder.configPath());
        line.finish();
        printSummary(config, data, seconds, datasetPath);
        if (observed)
            std::printf("  observed    every %lld frame(s), noise %g × std, smoothing %g frames: %lld frames, dt = %g; "
                        "du/dt estimated from them\n",
                        static_cast<long long>(observation.every), observation.noise, observation.smoothing,
                        static_cast<long long>(data.frames()), data.deltaT);
    } catch (...) {
        line.finish();
        throw;
    }
    return 0;
}

} // namespace plexus::cli
