#pragma once

#include <cstdint>

namespace plexus {

/// Memory the system can still give this process (MemAvailable), in bytes; 0 when unknown.
std::int64_t availableMemoryBytes();

/// This process's peak resident set size (VmHWM), in bytes; 0 when unknown.
std::int64_t peakResidentBytes();

} // namespace plexus
