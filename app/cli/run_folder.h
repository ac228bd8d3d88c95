#pragma once

#include "cli_args.h"
#include "commands.h"
#include "plexus/config/config_loader.h"
#include "plexus/util/progress.h"
#include "progress_line.h"

#include <string>

namespace plexus::cli {

/// The dataset file of a run folder (or the path itself when it names an .h5 file).
std::string datasetPathOf(const std::string& runDirOrFile);

/// The config from --preset or --config, with every --set applied; warnings printed to stderr.
ExperimentConfig loadExperiment(const CliArgs& args);

/// Threads from --threads (default: every core), at least 1 and at most 4 × the cores (more only slows down).
int computeThreads(const CliArgs& args);

/// "plexus-cli COMMAND ARGS…" for the run-folder lock's holder line.
std::string commandLine(const char* command, const Args& args);

/// Removes the run folder a command made, when the command ends (by error or Ctrl-C) without writing anything in
/// it: a refused or stopped command leaves no empty folder behind. A folder that existed before is never touched.
class NewFolderGuard
{
public:
    explicit NewFolderGuard(std::string path);
    ~NewFolderGuard();
    NewFolderGuard(const NewFolderGuard&) = delete;
    NewFolderGuard& operator=(const NewFolderGuard&) = delete;

private:
    std::string m_path;
    bool m_existed;
};

/// Exit code of a command stopped by Ctrl-C (what was done is kept): 130, as shells report SIGINT.
constexpr int kExitStopped = 130;

/// Progress that draws on `line` and stops on Ctrl-C.
Progress progressOn(ProgressLine& line);

/// `--help` for a subcommand: prints `usage` and returns true.
bool printHelpIfAsked(const Args& args, const char* usage);

} // namespace plexus::cli
