#include "commands.h"
#include "progress_line.h"
#include "run_folder.h"

#include "plexus/data/dataset_file.h"
#include "plexus/train/compute_devices.h"
#include "plexus/util/errors.h"

#include <cmath>
#include <cstdio>

namespace plexus::cli {

namespace {

constexpr const char* kUsage = R"(plexus-cli info RUN_DIR
plexus-cli info --devices

Prints what a run's dataset holds: shape, neuron types, input, connectivity and activity statistics.
RUN_DIR may also be a dataset.h5 file.
--devices: what training can run on here (cpu, cuda: available or why not; the values of --device and
training.device), and exits.
)";

int printDevices()
{
    for (const ComputeDevice& d : computeDevices())
        std::printf("%-6s %-14s %s\n", d.name.c_str(), d.available ? "available" : "not available", d.detail.c_str());
    return 0;
}

void printActivityStats(const Dataset& d)
{
    std::printf("activity per type (mean, std, min, max of u):\n");
    const auto k = d.typeCount();
    for (std::int64_t type = 0; type < k; ++type) {
        double sum = 0, sumSq = 0, lo = INFINITY, hi = -INFINITY;
        std::int64_t count = 0;
        for (std::int64_t i = 0; i < d.neurons(); ++i) {
            if (d.types[static_cast<std::size_t>(i)] != type)
                continue;
            auto column = d.activity.col(i).cast<double>().array();
            sum += column.sum();
            sumSq += column.square().sum();
            lo = std::min(lo, column.minCoeff());
            hi = std::max(hi, column.maxCoeff());
            count += d.frames();
        }
        if (count == 0)
            continue;
        const double mean = sum / count;
        std::printf("  type %-3lld %8.3f %8.3f %8.3f %8.3f\n", static_cast<long long>(type), mean,
                    std::sqrt(std::max(0.0, sumSq / count - mean * mean)), lo, hi);
    }
}

} // namespace

int runInfo(const Args& argv)
{
    if (printHelpIfAsked(argv, kUsage))
        return 0;
    CliArgs args(argv, {}, {"devices"});
    if (args.has("devices")) {
        if (!args.positionals().empty())
            throw InputError("info --devices takes no RUN_DIR, got '" + args.positionals().front() + "'");
        return printDevices();
    }
    const std::string path = datasetPathOf(args.requirePositional("RUN_DIR"));
    DatasetSummary s = readDatasetSummary(path);
    std::printf("dataset      %s (%s, format %d)\n", path.c_str(), formatBytes(static_cast<double>(s.fileBytes)).c_str(),
                s.formatVersion);
    std::printf("model        %s, dt = %g, warm-up %lld steps\n", s.signalModel.c_str(), s.deltaT,
                static_cast<long long>(-s.startFrame));
    std::printf("shape        %lld frames x %lld neurons (%.1f time units)\n", static_cast<long long>(s.frames),
                static_cast<long long>(s.neurons), static_cast<double>(s.frames - 1) * s.deltaT);
    if (s.types == 0) {
        std::printf("types        none (a recording: no ground truth)\n");
    } else {
        std::printf("types        %lld:", static_cast<long long>(s.types));
        for (std::size_t t = 0; t < s.neuronsPerType.size(); ++t)
            std::printf(" %lld", static_cast<long long>(s.neuronsPerType[t]));
        std::printf(" neurons\n");
    }
    std::printf("input        %s (%s), %lld receiving neurons\n", s.inputType.c_str(), s.inputMode.c_str(),
                static_cast<long long>(s.stimulusReceivers));
    Dataset d = loadDataset(path);
    if (d.connectivity.size() == 0) {
        std::printf("true W       none\n");
        std::printf("activity     mean %.3f, std %.3f, min %.3f, max %.3f\n", d.activity.mean(),
                    std::sqrt((d.activity.array() - d.activity.mean()).square().mean()), d.activity.minCoeff(),
                    d.activity.maxCoeff());
        return 0;
    }
    std::printf("true W       %.1f %% non-zero, max |W| %.4f\n", 100.0 * s.connectivityNonZeroFraction,
                s.connectivityMaxAbs);
    printActivityStats(d);
    return 0;
}

} // namespace plexus::cli
