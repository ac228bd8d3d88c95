#include "refit_schedule.h"

#include <algorithm>
#include <limits>

namespace plexus {

RefitSchedule::RefitSchedule(std::int64_t every, double share)
    : m_every(std::max<std::int64_t>(1, every)), m_share(share)
{
}

double RefitSchedule::stepSecondsBetween() const
{
    if (m_share <= 0.0 || m_share >= 1.0 || m_lastRefitSeconds < 0.0)
        return std::numeric_limits<double>::infinity();
    return m_lastRefitSeconds * (1.0 - m_share) / m_share;
}

bool RefitSchedule::due(std::int64_t iteration, double stepSeconds) const
{
    const double between = stepSecondsBetween();
    if (between < std::numeric_limits<double>::infinity())
        return stepSeconds >= between;
    return iteration % m_every == 0;
}

void RefitSchedule::refitted(double refitSeconds) { m_lastRefitSeconds = std::max(0.0, refitSeconds); }

} // namespace plexus
