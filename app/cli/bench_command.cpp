#include "bench_equations.h"
#include "commands.h"
#include "run_folder.h"

#include "plexus/config/presets.h"
#include "plexus/data/npy_file.h"
#include "plexus/data/recording_import.h"
#include "plexus/lab/perturbed_rollout.h"
#include "plexus/sim/simulator.h"
#include "plexus/train/trainer.h"
#include "plexus/util/memory.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <vector>

#include <unistd.h>

#include "plexus/config/config_loader.h"
#include "plexus/data/csv_export.h"
#include "plexus/util/errors.h"

namespace plexus::cli {

namespace {

namespace fs = std::filesystem;

constexpr const char* kUsage = R"(plexus-cli bench [simulate | train | perturb | equations | import] [options]

  (no part)  both parts below with their defaults
  simulate   times the simulator on a preset (default fig_2 at full size): one JSON line per repeat and a
             summary line with the median: steps, seconds, steps/s and peak resident memory
             [--preset NAME] [--frames N] [--repeat K] [--set KEY=VALUE ...]
  train      times training iterations of the fig_2 model (B = 8) for N = 200, 1000, 4000 on random frames of a
             short simulation: iterations/s, ms per iteration, peak memory, and which step ran ("cpu kernels",
             or autograd and why) [--preset NAME (another model, e.g. supp_14 for PDE_N5, at B = 8)]
             [--neurons 200,1000,4000] [--iterations K] [--threads T] [--device cpu|cuda] [--set KEY=VALUE ...]
             [--autograd]  (LibTorch autograd instead of the hand-written CPU step, for comparison)
  perturb    the lab's perturbed roll-out (plexus-cli perturb --preset supp_5) of the fig_2 model, both sides, on
             an untrained model (the cost does not depend on the weights): seconds per roll-out, median of K
             [--neurons 1000] [--frames 1000] [--repeat 5] [--threads T]
  equations  the expression search (plexus-cli equations) on 24 curves of forms the generator never uses, from
             noisy samples: per curve the chosen expression, its R² against the noise-free curve, its size against
             the true form's, whether the exact form was found, seconds; then a summary
             [--noise 0.01] [--points 200] [--threads T] [--seed S] [--only TEXT (the curves whose formula
             contains TEXT)] [--cycles N] [--patience N] [--exhaustive N (the exhaustive start's largest size, 0: none)]
             [--exhaustive-arithmetic N (the same for forms without functions)]
  import     writes a synthetic float32 recording as suite2p does (F.npy, ROIs by frames) and imports it
             (plexus-cli import --format npy --layout neurons-by-time): seconds, the data's size, the peak resident
             memory above what the process held before, and their ratio; the files are deleted after
             [--neurons 10000] [--frames 50000] [--dir FOLDER (default: the system's temporary folder)]
)";

double secondsSince(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void benchTrain(const CliArgs& args)
{
    const int threads = static_cast<int>(args.intValue("threads", 2));
    setComputeThreads(threads);
    const long long iterations = std::max(10LL, args.intValue("iterations", 300));
    std::vector<long long> sizes;
    for (const auto& n : parseIndexList(args.value("neurons", "200,1000,4000"), 1000000))
        sizes.push_back(n);
    for (long long n : sizes) {
        ExperimentConfig config = loadPreset(args.value("preset", "fig_2")).config;
        applyConfigOverride(config, "simulation.n_neurons=" + std::to_string(n), "");
        applyConfigOverride(config, "training.batch_size=8", "");
        applyConfigOverride(config, "training.small_init_batch_size=false", ""); // B = 8 from the first step
        for (const auto& setting : args.values("set"))
            applyConfigOverride(config, setting, "");
        applyConfigOverride(config, "simulation.n_frames=400", "");
        applyConfigOverride(config, "simulation.start_frame=-100", "");
        auto data = std::make_shared<const Dataset>(simulate(config));
        TrainingOptions options;
        options.device = args.value("device");
        options.iterations = 1000000000;
        options.cpuKernels = !args.has("autograd");
        Trainer trainer(config, data, options);
        for (int i = 0; i < 20; ++i) // warm-up: allocator and thread pool
            trainer.step();
        const auto start = std::chrono::steady_clock::now();
        for (long long i = 0; i < iterations; ++i)
            trainer.step();
        const double seconds = secondsSince(start);
        std::printf("{\"bench\": \"train\", \"neurons\": %lld, \"batch\": 8, \"threads\": %d, \"device\": \"%s\", "
                    "\"step\": \"%s\", \"iterations\": %lld, \"it_per_s\": %.1f, \"ms_per_it\": %.2f, \"peak_rss_mb\": %.1f}\n",
                    n, threads, trainer.deviceName().c_str(), trainer.stepKernel().c_str(), iterations, iterations / seconds, 1000.0 * seconds / iterations,
                    peakResidentBytes() / 1e6);
        std::fflush(stdout);
    }
}

void benchPerturb(const CliArgs& args)
{
    const int threads = static_cast<int>(args.intValue("threads", 2));
    setComputeThreads(threads);
    const long long n = args.positiveIntValue("neurons", 1000), frames = args.positiveIntValue("frames", 1000);
    const long long repeat = args.positiveIntValue("repeat", 5);
    ExperimentConfig config = loadPreset("fig_2").config;
    applyConfigOverride(config, "simulation.n_neurons=" + std::to_string(n), "");
    applyConfigOverride(config, "simulation.n_frames=" + std::to_string(frames), "");
    applyConfigOverride(config, "training.W_init_std=0.01", "");
    auto data = std::make_shared<const Dataset>(simulate(config));
    Trainer trainer(config, data);
    std::vector<double> seconds;
    for (long long r = 0; r < repeat; ++r) {
        const auto start = std::chrono::steady_clock::now();
        const PerturbationResult result = runPerturbation(trainer.model(), *data, config, presetPerturbation("supp_5"),
                                                          frames, Progress{{}, &g_stopRequested});
        seconds.push_back(secondsSince(start));
        std::printf("{\"bench\": \"perturb\", \"neurons\": %lld, \"frames\": %lld, \"threads\": %d, \"seconds\": %.3f, "
                    "\"diverged_at\": %lld, \"peak_rss_mb\": %.1f}\n",
                    n, static_cast<long long>(result.score.frames), threads, seconds.back(),
                    static_cast<long long>(result.score.divergedAt), peakResidentBytes() / 1e6);
        std::fflush(stdout);
    }
    std::sort(seconds.begin(), seconds.end());
    std::printf("{\"bench\": \"perturb_median\", \"repeats\": %lld, \"seconds\": %.3f}\n", repeat,
                seconds[seconds.size() / 2]);
}

/// A float32 [neurons, frames] NPY written a neuron at a time: slow oscillations with a per-neuron phase.
void writeSyntheticRecording(const std::string& path, long long neurons, long long frames)
{
    NpyWriter writer(path, {neurons, frames});
    std::vector<float> row(static_cast<std::size_t>(frames));
    for (long long n = 0; n < neurons; ++n) {
        for (long long t = 0; t < frames; ++t)
            row[static_cast<std::size_t>(t)] = static_cast<float>(std::sin(0.01 * static_cast<double>(t) + 0.37 * n));
        writer.write(row.data(), frames);
    }
    writer.commit();
}

void benchImport(const CliArgs& args)
{
    const long long neurons = args.positiveIntValue("neurons", 10000), frames = args.positiveIntValue("frames", 50000);
    const fs::path dir = fs::path(args.value("dir", fs::temp_directory_path().string())) /
                         ("plexus-bench-import-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const std::string source = (dir / "F.npy").string(), target = (dir / "dataset.h5").string();
    try {
        writeSyntheticRecording(source, neurons, frames);
        const std::int64_t before = peakResidentBytes();
        RecordingOptions options;
        options.format = "npy";
        options.rate = 30.0;
        options.layout = MatrixLayout::NeuronsByTime;
        const auto start = std::chrono::steady_clock::now();
        importRecordingTo(source, options, target, "demo", nullptr, Progress{{}, &g_stopRequested});
        const double seconds = secondsSince(start);
        const double data = static_cast<double>(fs::file_size(source)), peak = static_cast<double>(peakResidentBytes());
        std::printf("{\"bench\": \"import\", \"neurons\": %lld, \"frames\": %lld, \"seconds\": %.2f, "
                    "\"data_mb\": %.1f, \"file_mb\": %.1f, \"rss_before_mb\": %.1f, \"peak_rss_mb\": %.1f, "
                    "\"peak_over_data\": %.2f}\n",
                    neurons, frames, seconds, data / 1e6, static_cast<double>(fs::file_size(target)) / 1e6,
                    static_cast<double>(before) / 1e6, peak / 1e6, (peak - static_cast<double>(before)) / data);
    } catch (...) {
        fs::remove_all(dir);
        throw;
    }
    fs::remove_all(dir);
}

} // namespace

int runBench(const Args& argv)
{
    if (printHelpIfAsked(argv, kUsage))
        return 0;
    std::string part = !argv.empty() && argv[0].rfind("--", 0) != 0 ? argv[0] : "all";
    Args rest(argv.begin() + (part == "all" ? 0 : 1), argv.end());
    if (part != "all" && part != "simulate" && part != "train" && part != "equations" && part != "perturb" &&
        part != "import")
        throw InputError("bench: expected simulate, train, perturb, equations or import, got '" + part + "'");
    if (part == "import") {
        benchImport(CliArgs(rest, {"neurons", "frames", "dir"}, {}));
        return 0;
    }
    if (part == "perturb") {
        benchPerturb(CliArgs(rest, {"neurons", "frames", "repeat", "threads"}, {}));
        return 0;
    }
    if (part == "equations") {
        benchEquations(CliArgs(rest, {"noise", "points", "threads", "seed", "only", "cycles", "patience", "exhaustive",
                                      "exhaustive-arithmetic"}, {}));
        return 0;
    }
    CliArgs args(rest, {"preset", "frames", "repeat", "set", "neurons", "iterations", "threads", "device"}, {"autograd"});
    if (part == "train" || part == "all")
        benchTrain(args);
    if (part == "train")
        return 0;
    Args loadArgs = {"--preset", args.value("preset", "fig_2")};
    for (const auto& s : args.values("set"))
        loadArgs.insert(loadArgs.end(), {"--set", s});
    if (args.has("frames"))
        loadArgs.insert(loadArgs.end(), {"--set", "simulation.n_frames=" + args.value("frames")});
    ExperimentConfig config = loadExperiment(CliArgs(loadArgs, {"preset", "set"}, {}));
    const long long repeat = std::max(1LL, args.intValue("repeat", 1));
    const auto steps = config.simulation.nFrames - config.simulation.startFrame + 1;
    std::vector<double> seconds;
    for (long long r = 0; r < repeat; ++r) {
        const auto start = std::chrono::steady_clock::now();
        Dataset d = simulate(config, Progress{{}, &g_stopRequested});
        seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
        std::printf("{\"bench\": \"simulate\", \"preset\": \"%s\", \"neurons\": %lld, \"steps\": %lld, "
                    "\"seconds\": %.3f, \"steps_per_s\": %.1f, \"peak_rss_mb\": %.1f}\n",
                    args.value("preset", "fig_2").c_str(), static_cast<long long>(d.neurons()),
                    static_cast<long long>(steps), seconds.back(), steps / seconds.back(),
                    peakResidentBytes() / 1e6);
        std::fflush(stdout);
    }
    std::sort(seconds.begin(), seconds.end());
    const double median = seconds[seconds.size() / 2];
    std::printf("{\"bench\": \"simulate_median\", \"repeats\": %lld, \"seconds\": %.3f, \"steps_per_s\": %.1f}\n",
                repeat, median, steps / median);
    return 0;
}

} // namespace plexus::cli
