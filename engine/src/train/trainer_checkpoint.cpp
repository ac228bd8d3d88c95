// Checkpoints: model, optimiser, iteration, random state and phase, written atomically, with the identity of the
// experiment they were made for; resume from the newest good one (docs/training.md, "Checkpoints").
#include "trainer_impl.h"

#include "model_identity.h"
#include "plexus/runtime/run_folder.h"
#include "plexus/util/atomic_file.h"
#include "plexus/util/errors.h"

#include <cstdio>
#include <limits>
#include <filesystem>
#include <regex>
#include <sstream>

namespace plexus {

namespace fs = std::filesystem;

namespace {

// 1: model, optimizer, and the training state as two positional vectors ("state", "values").
// 2: every entry named (docs/training.md, "Checkpoints"), plus identity and identity_hash.
constexpr int64_t kFormat = 2;
constexpr std::size_t kRollingKept = 3;

bool isRolling(const fs::path& file)
{
    return file.filename().string().rfind("it_", 0) == 0;
}

/// Keeps the newest kRollingKept rolling checkpoints, and always `keep` (the last one taken while training was
/// healthy), so a blow-up never prunes the checkpoint to go back to.
void pruneRolling(const RunFolder& folder, const std::string& keep)
{
    std::size_t seen = 0;
    for (const std::string& path : folder.checkpoints()) {
        if (!isRolling(path) || ++seen <= kRollingKept || path == keep)
            continue;
        std::error_code ignored;
        fs::remove(path, ignored);
    }
}

torch::Tensor textTensor(const std::string& text)
{
    auto t = torch::empty({static_cast<int64_t>(text.size())}, torch::kUInt8);
    std::copy(text.begin(), text.end(), t.data_ptr<uint8_t>());
    return t;
}

std::string textOf(const torch::Tensor& tensor)
{
    auto t = tensor.to(torch::kCPU).contiguous();
    const auto* p = t.data_ptr<uint8_t>();
    return std::string(p, p + t.numel());
}

/// Moves a checkpoint out of the way (into checkpoints/SUBFOLDER/) without losing it; returns the new path.
std::string setAside(const std::string& path, const char* subfolder)
{
    const fs::path target = fs::path(path).parent_path() / subfolder / fs::path(path).filename();
    std::error_code error;
    fs::create_directories(target.parent_path(), error);
    fs::rename(path, target, error);
    return error ? path : target.string();
}

/// The training state of a checkpoint: named entries (format 2) or the positional vectors of format 1.
struct SavedState
{
    int64_t iteration = 0;
    bool frozenEpoch = false;
    int clusters = 0;
    Rng::State rng{};
    double wallSeconds = 0.0;
};

int64_t readLong(torch::serialize::InputArchive& root, const char* name, const std::string& path)
{
    torch::Tensor t;
    if (!root.try_read(name, t) || t.numel() < 1)
        throw InputError(path + ": damaged checkpoint (no '" + name + "' entry)");
    return t.to(torch::kCPU, torch::kLong).item<int64_t>();
}

double readDouble(torch::serialize::InputArchive& root, const char* name, const std::string& path)
{
    torch::Tensor t;
    if (!root.try_read(name, t) || t.numel() < 1)
        throw InputError(path + ": damaged checkpoint (no '" + name + "' entry)");
    return t.to(torch::kCPU, torch::kDouble).item<double>();
}

SavedState readLegacyState(torch::serialize::InputArchive& root, const std::string& path)
{
    torch::Tensor stateTensor, valuesTensor;
    if (!root.try_read("state", stateTensor) || !root.try_read("values", valuesTensor))
        throw InputError(path + ": damaged checkpoint (no training state)");
    auto state = stateTensor.to(torch::kCPU, torch::kLong).contiguous();
    auto values = valuesTensor.to(torch::kCPU, torch::kDouble).contiguous();
    if (state.numel() < 9 || values.numel() < 2)
        throw InputError(path + ": damaged checkpoint (training state too short)");
    const int64_t* s = state.data_ptr<int64_t>();
    const double* v = values.data_ptr<double>();
    if (s[0] != 1)
        throw InputError(path + ": checkpoint format " + std::to_string(s[0]) + " is not supported");
    SavedState saved;
    saved.iteration = s[1];
    saved.frozenEpoch = s[2] != 0;
    saved.clusters = static_cast<int>(s[3]);
    saved.rng = {{static_cast<std::uint64_t>(s[5]), static_cast<std::uint64_t>(s[6]), static_cast<std::uint64_t>(s[7]),
                  static_cast<std::uint64_t>(s[8])},
                 v[1], s[4] != 0};
    saved.wallSeconds = v[0];
    return saved;
}

SavedState readSavedState(torch::serialize::InputArchive& root, const std::string& path)
{
    torch::Tensor format;
    if (!root.try_read("format", format))
        return readLegacyState(root, path);
    const int64_t version = format.to(torch::kCPU, torch::kLong).item<int64_t>();
    if (version > kFormat)
        throw InputError(path + ": checkpoint format " + std::to_string(version) +
                         " is newer than this Plexus reads (" + std::to_string(kFormat) + "); update Plexus");
    SavedState saved;
    saved.iteration = readLong(root, "iteration", path);
    saved.frozenEpoch = readLong(root, "frozen_epoch", path) != 0;
    saved.clusters = static_cast<int>(readLong(root, "clusters", path));
    torch::Tensor words;
    if (!root.try_read("rng_words", words) || words.numel() != 4)
        throw InputError(path + ": damaged checkpoint (no 'rng_words' entry)");
    words = words.to(torch::kCPU, torch::kLong).contiguous();
    for (int k = 0; k < 4; ++k)
        saved.rng.words[static_cast<std::size_t>(k)] = static_cast<std::uint64_t>(words.data_ptr<int64_t>()[k]);
    saved.rng.spare = readDouble(root, "rng_spare", path);
    saved.rng.hasSpare = readLong(root, "rng_has_spare", path) != 0;
    saved.wallSeconds = readDouble(root, "wall_seconds", path);
    return saved;
}

} // namespace

std::string Trainer::Impl::checkpointDir() const
{
    return RunFolder(options.runDir).checkpointsPath();
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
    std::vector<int64_t> words;
    for (auto w : r.words)
        words.push_back(static_cast<int64_t>(w));
    std::vector<double> rates;
    for (const auto& group : optimizer->groups())
        rates.push_back(group.lr);
    root.write("format", torch::tensor({kFormat}, torch::kLong));
    root.write("iteration", torch::tensor({iteration}, torch::kLong));
    root.write("frozen_epoch", torch::tensor({int64_t(frozenEpoch ? 1 : 0)}, torch::kLong));
    root.write("clusters", torch::tensor({int64_t(lastClusters)}, torch::kLong));
    root.write("rng_words", torch::tensor(words, torch::kLong));
    root.write("rng_spare", torch::tensor({r.spare}, torch::kDouble));
    root.write("rng_has_spare", torch::tensor({int64_t(r.hasSpare ? 1 : 0)}, torch::kLong));
    root.write("wall_seconds",
               torch::tensor({wallOffset + std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()},
                             torch::kDouble));
    root.write("learning_rates", torch::tensor(rates, torch::kDouble));
    root.write("identity", textTensor(identity));
    root.write("identity_hash", torch::tensor({identityHash(identity)}, torch::kLong));
    AtomicFile file(path);
    root.save_to(file.temporaryPath());
    file.commit();
    // Its loss is only known at the next step: it becomes the healthy one when that step's loss is (Impl::step).
    unconfirmedCheckpoint = path;
    pruneRolling(RunFolder(options.runDir), lastHealthyCheckpoint);
}

void Trainer::Impl::checkIdentity(torch::serialize::InputArchive& root, const std::string& path) const
{
    torch::Tensor savedText;
    if (!root.try_read("identity", savedText))
        return; // format 1: no identity; the parameter shapes are checked after loading
    const std::string saved = textOf(savedText);
    if (saved == identity)
        return;
    throw CheckpointMismatchError(path + " was made for another experiment or model (" +
                                  identityDifferences(saved, identity) +
                                  "); nothing was loaded or written. Use a checkpoint of this run, or train this "
                                  "config in another run folder");
}

void Trainer::Impl::loadModel(torch::serialize::InputArchive& root, const std::string& path)
{
    std::vector<std::vector<int64_t>> shapes;
    for (const auto& p : model->parameters())
        shapes.push_back(p.sizes().vec());
    torch::serialize::InputArchive modelArchive;
    try {
        root.read("model", modelArchive);
        model->load(modelArchive);
    } catch (const c10::Error& e) {
        throw InputError(path + ": damaged or not a Plexus checkpoint (" +
                         std::string(e.what_without_backtrace()).substr(0, 200) + ")");
    }
    // LibTorch replaces a parameter of another shape silently: refuse it instead.
    std::size_t k = 0;
    for (const auto& p : model->parameters())
        if (k < shapes.size() && p.sizes().vec() != shapes[k++])
            throw CheckpointMismatchError(path + " holds a model of another shape (made for another experiment); "
                                                 "use a checkpoint of this run");
}

void Trainer::Impl::loadCheckpoint(const std::string& path, bool withOptimizer)
{
    if (!fs::is_regular_file(path))
        throw InputError(path + ": no such checkpoint");
    torch::serialize::InputArchive root;
    try {
        root.load_from(path, device);
    } catch (const c10::Error& e) {
        throw InputError(path + ": damaged or not a Plexus checkpoint (" +
                         std::string(e.what_without_backtrace()).substr(0, 160) + ")");
    }
    checkIdentity(root, path);
    loadModel(root, path);
    if (!withOptimizer)
        return;
    const SavedState saved = readSavedState(root, path);
    iteration = saved.iteration;
    frozenEpoch = saved.frozenEpoch;
    lastClusters = saved.clusters;
    rng.setState(saved.rng);
    wallOffset = saved.wallSeconds;
    start = std::chrono::steady_clock::now();
    applyEpochSchedule(iteration / iterationsPerEpoch);
    // The optimiser is rebuilt with the saved rates (frozen or not), then its moments restored.
    GroupRates g = startRates();
    if (frozenEpoch && config.training.fixClusterEmbedding)
        g.latent = g.transfer = 1e-12;
    rebuildOptimizer(g);
    torch::serialize::InputArchive optimizerArchive;
    try {
        root.read("optimizer", optimizerArchive);
        optimizer->load(optimizerArchive);
    } catch (const c10::Error& e) {
        throw InputError(path + ": damaged checkpoint (optimiser state unreadable)");
    }
    health = TrainingHealth{};
    lastHealthyCheckpoint = path;
    unconfirmedCheckpoint.clear();
}

std::string Trainer::Impl::setAsideAfterHealthy()
{
    std::string moved;
    for (const std::string& path : RunFolder(options.runDir).checkpoints()) {
        if (path == lastHealthyCheckpoint)
            break;
        setAside(path, "diverged");
        moved = "checkpoints/diverged/";
    }
    return moved;
}

void Trainer::Impl::trimRowsAfter(const std::string& path, int64_t last)
{
    if (options.runDir.empty() || !fs::exists(path))
        return;
    const std::string text = readTextFile(path);
    std::istringstream in(text);
    std::string line, kept;
    for (int number = 1; std::getline(in, line); ++number) {
        const bool header = number == 1;
        if (line.empty())
            continue;
        long long iterationOfRow = 0;
        try {
            iterationOfRow = header ? 0 : std::stoll(line.substr(0, line.find(',')));
        } catch (const std::exception&) {
            throw InputError(path + ":" + std::to_string(number) + ": expected an iteration number first, got '" +
                             line.substr(0, 40) + "'");
        }
        if (header || iterationOfRow <= last)
            kept += line + "\n";
    }
    if (kept != text)
        writeFileAtomic(path, kept);
}

std::string Trainer::latestCheckpoint(const std::string& runDir)
{
    const auto all = RunFolder(runDir).checkpoints();
    return all.empty() ? "" : all.front();
}

ResumeResult Trainer::resume()
{
    ResumeResult result;
    for (const std::string& path : RunFolder(m_impl->options.runDir).checkpoints()) {
        try {
            m_impl->loadCheckpoint(path, true);
            result.checkpoint = path;
            break;
        } catch (const CheckpointMismatchError&) {
            throw;
        } catch (const InputError& e) {
            // A damaged file (e.g. a disk that filled up) must not stop the run: keep it aside, try the next one.
            result.skipped.push_back(e.what());
            setAside(path, "damaged");
        }
    }
    if (result.checkpoint.empty() && !result.skipped.empty())
        throw InputError("no readable checkpoint in " + m_impl->checkpointDir() + " (the damaged ones were moved to "
                         "checkpoints/damaged/: " + result.skipped.front() + "); start over with --restart");
    // Outside the loop: a bad metrics.csv is named as such, never taken for a damaged checkpoint. The rows after the
    // checkpoint belong to a lost future.
    const int64_t last = result.checkpoint.empty() ? std::numeric_limits<int64_t>::max() : m_impl->iteration;
    const RunFolder folder(m_impl->options.runDir);
    m_impl->trimRowsAfter(folder.metricsPath(), last);
    m_impl->trimRowsAfter(folder.refitsPath(), last);
    return result;
}

void Trainer::loadWeights(const std::string& checkpointPath)
{
    m_impl->loadCheckpoint(checkpointPath, false);
}

} // namespace plexus
