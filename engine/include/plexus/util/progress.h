#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

namespace plexus {

/// How long work reports its progress and learns that it should stop.
/// `report` is called from the working thread, at most a few hundred times per job.
struct Progress
{
    std::function<void(const std::string& phase, std::int64_t done, std::int64_t total)> report;
    const std::atomic<bool>* stopRequested = nullptr;

    bool shouldStop() const { return stopRequested && stopRequested->load(std::memory_order_relaxed); }
    void update(const std::string& phase, std::int64_t done, std::int64_t total) const
    {
        if (report)
            report(phase, done, total);
    }
};

} // namespace plexus
