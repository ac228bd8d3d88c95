#include "plexus/util/memory.h"

#include <fstream>
#include <string>

namespace plexus {

namespace {

std::int64_t readKilobytes(const char* file, const std::string& field)
{
    std::ifstream in(file);
    std::string key;
    std::int64_t value = 0;
    while (in >> key) {
        if (key == field + ":") {
            in >> value;
            return value * 1024;
        }
        in.ignore(1 << 12, '\n');
    }
    return 0;
}

} // namespace

std::int64_t availableMemoryBytes()
{
    return readKilobytes("/proc/meminfo", "MemAvailable");
}

std::int64_t peakResidentBytes()
{
    return readKilobytes("/proc/self/status", "VmHWM");
}

} // namespace plexus
