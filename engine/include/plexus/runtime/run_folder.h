#pragma once

#include <string>
#include <vector>

namespace plexus {

/// The files of one run folder (docs/formats.md, "Run folder"): the one place that knows their names. Everything
/// that reads or writes a run — the command line, the Studio, the trainer — asks it for paths, so the layout and
/// the archive of an earlier training are the same whoever made them.
class RunFolder
{
public:
    explicit RunFolder(std::string path);

    const std::string& path() const { return m_path; }
    std::string configPath() const;      ///< config.yaml: the full effective config
    std::string datasetPath() const;     ///< dataset.h5
    std::string checkpointsPath() const; ///< checkpoints/
    std::string metricsPath() const;     ///< metrics.csv: one row per measured iteration
    std::string refitsPath() const;      ///< refits.csv: one row per connectivity refit (what its validation chose)
    std::string evaluationPath() const;  ///< metrics.json: the last `evaluate`
    std::string reproductionPath() const; ///< reproduction.json: the last `reproduce` (paper against measured)
    std::string layoutPath() const;      ///< layout.dat: the Studio's panel layout
    std::string labPath() const;         ///< lab.yaml: the Lab panel's edits (LabState)
    std::string lockPath() const;        ///< .plexus.lock (RunFolderLock)

    bool hasConfig() const;
    bool hasDataset() const;
    bool hasCheckpoint() const { return !checkpoints().empty(); }
    /// Checkpoint files, newest first (by iteration; at equal iterations the epoch file, written after the
    /// epoch-end work, comes first).
    std::vector<std::string> checkpoints() const;

    /// Moves checkpoints/, metrics.csv, metrics.json and reproduction.json into previous-YYYYMMDD-HHMMSS/ (a fresh
    /// name, never an existing folder) so a new training starts clean and nothing is lost. Returns that folder, or ""
    /// when there was nothing to move. Throws InputError naming the file that cannot be moved.
    std::string archiveTraining() const;
    /// The archives of earlier trainings, oldest first.
    std::vector<std::string> archives() const;

    /// Removes the temporaries (".NAME.tmp-PID-K", AtomicFile) of writers that are no longer running, here and in
    /// checkpoints/; a kill -9 leaves them behind. Returns the removed paths.
    std::vector<std::string> sweepStaleTemporaries() const;

    /// Whether a file name is one of those temporaries; `pid` receives its writer's process id.
    static bool isTemporaryName(const std::string& fileName, long* pid = nullptr);

private:
    std::string m_path;
};

} // namespace plexus
