// Checkpoints: model, optimiser, iteration, random state and phase, written atomically; resume from the newest.
#include "trainer_impl.h"

#include "plexus/util/atomic_file.h"
#include "plexus/util/errors.h"

#include <cstdio>
#include <filesystem>
#include <regex>
#include <sstream>

namespace plexus {

namespace fs = std::filesystem;

namespace {

constexpr int64_t kFormat = 1;
constexpr std::size_t kRollingKept = 3;

/// Iteration in a checkpoint file name ("…it_000012345.pt"), or −1.
int64_t iterationOf(const fs::path& file)
{
    static const std::regex pattern(R"(it_(\d+)\.pt$)");
    std::smatch match;
    std::string name = file.filename().string();
    return std::regex_search(name, match, pattern) ? std::stoll(match[1]) : -1;
}

void pruneRolling(const fs::path& dir)
{
    std::vector<std::pair<int64_t, fs::path>> rolling;
    for (const auto& e : fs::directory_iterator(dir))
        if (e.path().filename().string().rfind("it_", 0) == 0 && iterationOf(e.path()) >= 0)
            rolling.emplace_back(iterationOf(e.path()), e.path());
    std::sort(rolling.begin(), rolling.end());
    for (std::size_t i = 0; i + kRollingKept < rolling.size(); ++i)
        fs::remove(rolling[i].second);
}

} // namespace

std::string Trainer::Impl::checkpointDir() const
{
    return (fs::path(options.runDir) / "checkpoints").string();
}

void Trainer::Impl::saveCheckpoint(const std::string& kind)
{
    if (options.runDir.empty())
        return;
    fs::create_directories(checkpointDir());
    char name[64];
    if (kind == "epoch")
        std::snprintf(name, sizeof name, "epoch_%03lld_it_%09lld.pt", static_cast<long long>(iteration / iterationsPerEpoch),
                      static_cast<long long>(iteration));
    else
        std::snprintf(name, sizeof name, "it_%09lld.pt", static_cast<long long>(iteration));
    const std::string path = (fs::path(checkpointDir()) / name).string();

    torch::serialize::OutputArchive root, modelArchive, optimizerArchive;
    model->save(modelArchive);
    optimizer->save(optimizerArchive);
    root.write("model", modelArchive);
    root.write("optimizer", optimizerArchive);
    const Rng::State r = rng.state();
    std::vector<int64_t> state = {kFormat, iteration, frozenEpoch ? 1 : 0, lastClusters, r.hasSpare ? 1 : 0};
    for (auto w : r.words)
        state.push_back(static_cast<int64_t>(w));
    root.write("state", torch::tensor(state, torch::kLong));
    std::vector<double> values = {wallOffset + std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(),
                                  r.spare};
    for (const auto& group : optimizer->groups())
        values.push_back(group.lr);
    root.write("values", torch::tensor(values, torch::kDouble));
    AtomicFile file(path);
    root.save_to(file.temporaryPath());
    file.commit();
    if (kind != "epoch")
        pruneRolling(checkpointDir());
}

void Trainer::Impl::loadCheckpoint(const std::string& path, bool withOptimizer)
{
    torch::serialize::InputArchive root, modelArchive, optimizerArchive;
    try {
        root.load_from(path, device);
        root.read("model", modelArchive);
        model->load(modelArchive);
    } catch (const c10::Error& e) {
        throw InputError(path + ": not a Plexus checkpoint for this experiment (" +
                         std::string(e.what_without_backtrace()).substr(0, 200) + ")");
    }
    if (!withOptimizer)
        return;
    torch::Tensor stateTensor, valuesTensor;
    root.read("state", stateTensor);
    root.read("values", valuesTensor);
    auto state = stateTensor.to(torch::kCPU).contiguous();
    auto values = valuesTensor.to(torch::kCPU).contiguous();
    const int64_t* s = state.data_ptr<int64_t>();
    const double* v = values.data_ptr<double>();
    if (s[0] != kFormat)
        throw InputError(path + ": checkpoint format " + std::to_string(s[0]) + " is not supported");
    iteration = s[1];
    frozenEpoch = s[2] != 0;
    lastClusters = static_cast<int>(s[3]);
    Rng::State r{{static_cast<std::uint64_t>(s[5]), static_cast<std::uint64_t>(s[6]), static_cast<std::uint64_t>(s[7]),
                  static_cast<std::uint64_t>(s[8])},
                 v[1], s[4] != 0};
    rng.setState(r);
    wallOffset = v[0];
    start = std::chrono::steady_clock::now();
    applyEpochSchedule(iteration / iterationsPerEpoch);
    // The optimiser is rebuilt with the saved rates (frozen or not), then its moments restored.
    GroupRates g = startRates();
    if (frozenEpoch && config.training.fixClusterEmbedding)
        g.latent = g.transfer = 1e-12;
    rebuildOptimizer(g);
    root.read("optimizer", optimizerArchive);
    optimizer->load(optimizerArchive);
    trimMetricsAfter(iteration);
}

void Trainer::Impl::trimMetricsAfter(int64_t last)
{
    const fs::path path = fs::path(options.runDir) / "metrics.csv";
    if (options.runDir.empty() || !fs::exists(path))
        return;
    std::istringstream in(readTextFile(path.string()));
    std::string line, kept;
    while (std::getline(in, line)) {
        const bool header = !line.empty() && !std::isdigit(static_cast<unsigned char>(line[0]));
        if (header || std::stoll(line.substr(0, line.find(','))) <= last)
            kept += line + "\n";
    }
    writeFileAtomic(path.string(), kept);
}

std::string Trainer::latestCheckpoint(const std::string& runDir)
{
    const fs::path dir = fs::path(runDir) / "checkpoints";
    if (!fs::is_directory(dir))
        return "";
    std::string best;
    int64_t bestIteration = -1;
    for (const auto& e : fs::directory_iterator(dir)) {
        const int64_t it = iterationOf(e.path());
        // At equal iterations prefer the epoch file (written after the epoch-end work).
        if (it > bestIteration || (it == bestIteration && e.path().filename().string().rfind("epoch_", 0) == 0)) {
            bestIteration = it;
            best = e.path().string();
        }
    }
    return best;
}

bool Trainer::resume()
{
    const std::string path = latestCheckpoint(m_impl->options.runDir);
    if (path.empty())
        return false;
    m_impl->loadCheckpoint(path, true);
    return true;
}

void Trainer::loadWeights(const std::string& checkpointPath)
{
    m_impl->loadCheckpoint(checkpointPath, false);
}

} // namespace plexus
