#include "commands.h"
#include "run_folder.h"

#include "plexus/config/presets.h"
#include "plexus/sim/simulator.h"
#include "plexus/util/memory.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

namespace plexus::cli {

namespace {

constexpr const char* kUsage = R"(plexus-cli bench [--preset NAME] [--frames N] [--repeat K] [--set KEY=VALUE ...]

Times the simulator on a preset (default fig_2 at full size) and prints one JSON line per repeat and a
summary line with the median: steps, seconds, steps/s and peak resident memory.
)";

} // namespace

int runBench(const Args& argv)
{
    if (printHelpIfAsked(argv, kUsage))
        return 0;
    CliArgs args(argv, {"preset", "frames", "repeat", "set"}, {});
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
