#include "plexus/runtime/run_folder.h"

#include "plexus/util/errors.h"
#include "plexus/util/local_time.h"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <filesystem>
#include <regex>
#include <unistd.h>

namespace plexus {

namespace fs = std::filesystem;

namespace {

/// Iteration in a checkpoint file name ("…it_000012345.pt"), or −1 when it is not a checkpoint.
long long iterationOf(const fs::path& file)
{
    static const std::regex pattern(R"(it_(\d+)\.pt$)");
    std::smatch match;
    const std::string name = file.filename().string();
    if (name.empty() || name[0] == '.' || !std::regex_search(name, match, pattern))
        return -1;
    return std::stoll(match[1]);
}

bool isEpochFile(const fs::path& file)
{
    return file.filename().string().rfind("epoch_", 0) == 0;
}

bool processAlive(long pid)
{
    return pid > 0 && (::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM);
}

} // namespace

RunFolder::RunFolder(std::string path) : m_path(std::move(path)) {}

std::string RunFolder::configPath() const { return (fs::path(m_path) / "config.yaml").string(); }
std::string RunFolder::datasetPath() const { return (fs::path(m_path) / "dataset.h5").string(); }
std::string RunFolder::checkpointsPath() const { return (fs::path(m_path) / "checkpoints").string(); }
std::string RunFolder::metricsPath() const { return (fs::path(m_path) / "metrics.csv").string(); }
std::string RunFolder::refitsPath() const { return (fs::path(m_path) / "refits.csv").string(); }
std::string RunFolder::evaluationPath() const { return (fs::path(m_path) / "metrics.json").string(); }
std::string RunFolder::reproductionPath() const { return (fs::path(m_path) / "reproduction.json").string(); }
std::string RunFolder::layoutPath() const { return (fs::path(m_path) / "layout.dat").string(); }

std::string RunFolder::labPath() const { return (fs::path(m_path) / "lab.yaml").string(); }
std::string RunFolder::lockPath() const { return (fs::path(m_path) / ".plexus.lock").string(); }

bool RunFolder::hasConfig() const { return fs::is_regular_file(configPath()); }
bool RunFolder::hasDataset() const { return fs::is_regular_file(datasetPath()); }

std::vector<std::string> RunFolder::checkpoints() const
{
    std::error_code error;
    if (!fs::is_directory(checkpointsPath(), error))
        return {};
    std::vector<std::pair<long long, fs::path>> found;
    for (const auto& entry : fs::directory_iterator(checkpointsPath(), error)) {
        const long long it = entry.is_regular_file() ? iterationOf(entry.path()) : -1;
        if (it >= 0)
            found.emplace_back(it, entry.path());
    }
    std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
        if (a.first != b.first)
            return a.first > b.first;
        return isEpochFile(a.second) && !isEpochFile(b.second);
    });
    std::vector<std::string> paths;
    for (const auto& f : found)
        paths.push_back(f.second.string());
    return paths;
}

std::string RunFolder::archiveTraining() const
{
    const char* names[] = {"checkpoints", "metrics.csv", "refits.csv", "metrics.json", "reproduction.json"};
    if (std::none_of(std::begin(names), std::end(names), [this](const char* n) { return fs::exists(fs::path(m_path) / n); }))
        return "";
    fs::path aside = fs::path(m_path) / ("previous-" + localTimeText("%Y%m%d-%H%M%S"));
    for (int k = 2; fs::exists(aside); ++k)
        aside = fs::path(m_path) / ("previous-" + localTimeText("%Y%m%d-%H%M%S") + "-" + std::to_string(k));
    std::error_code error;
    fs::create_directories(aside, error);
    if (error)
        throw InputError(aside.string() + ": cannot create the folder for the earlier training (" + error.message() + ")");
    for (const char* name : names) {
        const fs::path from = fs::path(m_path) / name;
        if (!fs::exists(from))
            continue;
        fs::rename(from, aside / name, error);
        if (error)
            throw InputError(from.string() + ": cannot move it to " + aside.string() + " (" + error.message() + ")");
    }
    return aside.string();
}

std::vector<std::string> RunFolder::archives() const
{
    std::vector<std::string> found;
    std::error_code error;
    for (const auto& entry : fs::directory_iterator(m_path, error))
        if (entry.is_directory() && entry.path().filename().string().rfind("previous-", 0) == 0)
            found.push_back(entry.path().string());
    std::sort(found.begin(), found.end());
    return found;
}

bool RunFolder::isTemporaryName(const std::string& fileName, long* pid)
{
    static const std::regex pattern(R"(^\..+\.tmp-(\d+)-\d+$)");
    std::smatch match;
    if (!std::regex_match(fileName, match, pattern))
        return false;
    if (pid)
        *pid = std::stol(match[1]);
    return true;
}

std::vector<std::string> RunFolder::sweepStaleTemporaries() const
{
    std::vector<std::string> removed;
    for (const std::string& dir : {m_path, checkpointsPath()}) {
        std::error_code error;
        if (!fs::is_directory(dir, error))
            continue;
        for (const auto& entry : fs::directory_iterator(dir, error)) {
            long pid = 0;
            if (!isTemporaryName(entry.path().filename().string(), &pid) || pid == ::getpid() || processAlive(pid))
                continue;
            std::error_code ignored;
            if (fs::remove(entry.path(), ignored))
                removed.push_back(entry.path().string());
        }
    }
    return removed;
}

} // namespace plexus
