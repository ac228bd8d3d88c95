#include "run_folder.h"

#include "commands.h"
#include "plexus/config/presets.h"
#include "plexus/runtime/run_folder.h"
#include "plexus/util/errors.h"

#include <cstdio>
#include <filesystem>
#include <thread>

namespace plexus::cli {

namespace fs = std::filesystem;

std::string datasetPathOf(const std::string& runDirOrFile)
{
    if (fs::is_regular_file(runDirOrFile))
        return runDirOrFile;
    if (!fs::exists(runDirOrFile))
        throw InputError(runDirOrFile + ": no such run folder");
    return RunFolder(runDirOrFile).datasetPath();
}

ExperimentConfig loadExperiment(const CliArgs& args)
{
    if (args.has("preset") == args.has("config"))
        throw InputError("give exactly one of --preset NAME or --config FILE (see `plexus-cli presets`)");
    ConfigLoadResult loaded = args.has("preset") ? loadPreset(args.value("preset")) : loadConfigFile(args.value("config"));
    for (const auto& warning : loaded.warnings)
        std::fprintf(stderr, "warning: %s\n", warning.c_str());
    std::string baseDir = args.has("config") ? fs::absolute(args.value("config")).parent_path().string()
                                             : fs::current_path().string();
    applyConfigOverrides(loaded.config, args.values("set"), baseDir);
    return loaded.config;
}

NewFolderGuard::NewFolderGuard(std::string path) : m_path(std::move(path)), m_existed(fs::exists(m_path)) {}

NewFolderGuard::~NewFolderGuard()
{
    if (m_existed)
        return;
    std::error_code ignored;
    for (const auto& entry : fs::directory_iterator(m_path, ignored))
        if (entry.path().filename() != ".plexus.lock")
            return;
    fs::remove_all(m_path, ignored);
}

int computeThreads(const CliArgs& args)
{
    const long long cores = std::max(1u, std::thread::hardware_concurrency());
    const long long threads = args.positiveIntValue("threads", cores);
    if (threads > 4 * cores)
        throw InputError("--threads: expected at most " + std::to_string(4 * cores) + " (4 × the " +
                         std::to_string(cores) + " cores of this machine), got " + std::to_string(threads));
    return static_cast<int>(threads);
}

std::string commandLine(const char* command, const Args& args)
{
    std::string text = std::string("plexus-cli ") + command;
    for (const auto& a : args)
        text += " " + a;
    return text.size() > 200 ? text.substr(0, 200) + "…" : text;
}

Progress progressOn(ProgressLine& line)
{
    return Progress{[&line](const std::string& phase, std::int64_t done, std::int64_t total) { line(phase, done, total); },
                    &g_stopRequested};
}

bool printHelpIfAsked(const Args& args, const char* usage)
{
    for (const auto& a : args)
        if (a == "--help" || a == "-h") {
            std::fputs(usage, stdout);
            return true;
        }
    return false;
}

} // namespace plexus::cli
