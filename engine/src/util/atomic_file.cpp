#include "plexus/util/atomic_file.h"

#include "plexus/util/errors.h"

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace plexus {

namespace fs = std::filesystem;

namespace {

std::string makeTemporaryName(const std::string& finalPath)
{
    static std::atomic<unsigned> counter{0};
    fs::path p(finalPath);
    std::string name = "." + p.filename().string() + ".tmp-" + std::to_string(::getpid()) + "-" +
                       std::to_string(counter.fetch_add(1));
    return (p.parent_path() / name).string();
}

} // namespace

AtomicFile::AtomicFile(std::string finalPath)
    : m_finalPath(std::move(finalPath)), m_temporaryPath(makeTemporaryName(m_finalPath))
{
}

AtomicFile::~AtomicFile()
{
    if (!m_committed) {
        std::error_code ignored;
        fs::remove(m_temporaryPath, ignored);
    }
}

void AtomicFile::commit()
{
    std::error_code error;
    fs::rename(m_temporaryPath, m_finalPath, error);
    if (error)
        throw std::runtime_error("cannot move " + m_temporaryPath + " to " + m_finalPath + ": " + error.message());
    m_committed = true;
}

void writeFileAtomic(const std::string& path, const std::string& content)
{
    AtomicFile file(path);
    {
        std::ofstream out(file.temporaryPath(), std::ios::binary);
        if (!out)
            throw InputError("cannot write " + path + ": " + std::strerror(errno));
        out << content;
        out.flush();
        if (!out)
            throw InputError("cannot write " + path + ": " + std::strerror(errno));
    }
    file.commit();
}

std::string readTextFile(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw InputError("cannot read " + path + ": " + std::strerror(errno));
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

} // namespace plexus
