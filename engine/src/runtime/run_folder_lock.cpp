#include "plexus/runtime/run_folder_lock.h"

#include "plexus/runtime/run_folder.h"
#include "plexus/util/local_time.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <sys/file.h>
#include <unistd.h>

namespace plexus {

namespace fs = std::filesystem;

namespace {

std::string describeHolder(const std::string& lockPath)
{
    std::ifstream in(lockPath);
    std::string pid, command, since;
    std::getline(in, pid);
    std::getline(in, command);
    std::getline(in, since);
    if (pid.empty())
        return "another process";
    std::string text = "pid " + pid;
    if (!command.empty())
        text += " (" + command + ")";
    if (!since.empty())
        text += " since " + since;
    return text;
}

void writeHolder(int fd, const std::string& command)
{
    std::ostringstream text;
    text << ::getpid() << '\n' << command << '\n' << localTimeText("%Y-%m-%d %H:%M:%S") << '\n';
    const std::string s = text.str();
    if (::ftruncate(fd, 0) == 0)
        (void)!::pwrite(fd, s.data(), s.size(), 0);
}

} // namespace

std::unique_ptr<RunFolderLock> RunFolderLock::acquire(const std::string& runDir, const std::string& command)
{
    std::error_code error;
    fs::create_directories(runDir, error);
    if (error)
        throw InputError(runDir + ": cannot create the run folder (" + error.message() + ")");
    const RunFolder folder(runDir);
    const int fd = ::open(folder.lockPath().c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
        throw InputError(runDir + ": cannot write in this folder (" + std::strerror(errno) + ")");
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        const int code = errno;
        ::close(fd);
        if (code == EWOULDBLOCK)
            throw RunFolderBusyError(runDir + " is in use by " + describeHolder(folder.lockPath()) +
                                     "; wait until it ends, stop it, or use another run folder");
        throw InputError(runDir + ": cannot lock the run folder (" + std::strerror(code) + ")");
    }
    writeHolder(fd, command);
    folder.sweepStaleTemporaries();
    return std::unique_ptr<RunFolderLock>(new RunFolderLock(runDir, fd));
}

std::string RunFolderLock::holder(const std::string& runDir)
{
    const RunFolder folder(runDir);
    const int fd = ::open(folder.lockPath().c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return "";
    std::string who;
    if (::flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK)
        who = describeHolder(folder.lockPath());
    ::close(fd);
    return who;
}

RunFolderLock::RunFolderLock(std::string runDir, int fd) : m_runDir(std::move(runDir)), m_fd(fd) {}

RunFolderLock::~RunFolderLock()
{
    if (m_fd >= 0) {
        (void)!::ftruncate(m_fd, 0);
        ::flock(m_fd, LOCK_UN);
        ::close(m_fd);
    }
}

} // namespace plexus
