#pragma once

#include "plexus/util/errors.h"

#include <memory>
#include <string>

namespace plexus {

/// Another process (or another window) works in the run folder; the message names it (pid, command, since when).
class RunFolderBusyError : public InputError
{
public:
    using InputError::InputError;
};

/// Exclusive use of one run folder, so two trainings never overwrite each other's checkpoints or interleave
/// metrics.csv. An advisory lock (flock) on RUN/.plexus.lock: the kernel drops it when the holder exits, even
/// after kill -9, so a stale lock never blocks. The file says who holds it (pid, command, start time).
/// Taking the lock also sweeps the temporaries that dead writers left in the folder.
class RunFolderLock
{
public:
    /// Takes the lock of `runDir` (created when missing) for `command` (e.g. "plexus-cli train runs/x").
    /// Throws RunFolderBusyError naming the holder when another process or another open handle holds it.
    static std::unique_ptr<RunFolderLock> acquire(const std::string& runDir, const std::string& command);
    /// Who holds the lock of `runDir` now ("pid 123 (plexus-cli train …) since …"), or "" when nobody does.
    static std::string holder(const std::string& runDir);

    ~RunFolderLock();
    RunFolderLock(const RunFolderLock&) = delete;
    RunFolderLock& operator=(const RunFolderLock&) = delete;

    const std::string& runDir() const { return m_runDir; }

private:
    RunFolderLock(std::string runDir, int fd);

    std::string m_runDir;
    int m_fd = -1;
};

} // namespace plexus
