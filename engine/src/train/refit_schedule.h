#pragma once

// Private to the engine: when the least-squares refit of W is due (docs/training.md, "Connectivity refit").
#include <cstdint>

namespace plexus {

/// Every `every` iterations (training.connectivity_refit_every) — or, with a share s in (0, 1)
/// (training.connectivity_refit_share), once the training steps since the last refit have taken (1 − s)/s times
/// that refit's own time, so that the refits take about s of the time whatever the machine, the model or the
/// length of the recording: a refit of 30 s after 120 s of steps at s = 0.2, and many more iterations between
/// refits where the steps are fast (a GPU). The first refit after a start or a resume comes at a multiple of
/// `every`; the time of a refit is measured, so the schedule needs no estimate.
class RefitSchedule
{
public:
    RefitSchedule(std::int64_t every, double share);

    /// True when a refit is due after `iteration`, `stepSeconds` being the time the steps since the last refit took.
    bool due(std::int64_t iteration, double stepSeconds) const;
    /// Notes a refit that took `refitSeconds`.
    void refitted(double refitSeconds);
    /// Seconds of steps after which the next refit is due (infinite before the first refit, or without a share).
    double stepSecondsBetween() const;

private:
    std::int64_t m_every;
    double m_share;
    double m_lastRefitSeconds = -1.0; // none yet
};

} // namespace plexus
