#pragma once

#include <string>

namespace plexus {

/// A file written under a temporary name in the destination folder and renamed into place on commit(),
/// so a crash, a kill or an error never leaves a half-written file. Without commit() the temporary is removed.
class AtomicFile
{
public:
    explicit AtomicFile(std::string finalPath);
    ~AtomicFile();
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;

    /// Where to write now.
    const std::string& temporaryPath() const { return m_temporaryPath; }
    const std::string& finalPath() const { return m_finalPath; }
    /// Renames the temporary onto the final path (replacing it). Throws std::runtime_error on failure.
    void commit();

private:
    std::string m_finalPath;
    std::string m_temporaryPath;
    bool m_committed = false;
};

/// Writes `content` to `path` atomically. Throws InputError naming the path when the folder is not writable.
void writeFileAtomic(const std::string& path, const std::string& content);

/// Reads a whole text file; throws InputError naming the path when it cannot.
std::string readTextFile(const std::string& path);

} // namespace plexus
