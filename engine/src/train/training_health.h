#pragma once

// Private to the engine: tells a blow-up with a finite loss from ordinary batch-to-batch noise
// (docs/training.md, "Divergence").
#include <algorithm>
#include <cstdint>
#include <limits>

namespace plexus {

/// Follows the loss per sample (loss / batch size, so a larger batch after the first epoch is not a jump) as an
/// exponential moving average. Training has diverged when that average is more than kBlowUp times its best and
/// above kAboveStart times the first loss seen: a model worse than untrained by far. It is healthy (its checkpoints
/// are worth keeping) while the average stays within kHealthy times its best.
class TrainingHealth
{
public:
    static constexpr double kBlowUp = 1e3;
    static constexpr double kAboveStart = 10.0;
    static constexpr double kHealthy = 10.0;

    /// Adds one step's loss per sample; returns true when training has diverged.
    bool add(double lossPerSample)
    {
        if (m_steps == 0) {
            m_first = m_average = lossPerSample;
        } else {
            m_average = 0.9 * m_average + 0.1 * lossPerSample;
        }
        ++m_steps;
        m_best = std::min(m_best, m_average);
        return diverged();
    }

    bool diverged() const
    {
        return m_steps >= 2 && m_average > kBlowUp * m_best && m_average > kAboveStart * m_first;
    }
    bool healthy() const { return m_average <= kHealthy * m_best; }
    double best() const { return m_best; }
    double average() const { return m_average; }

private:
    std::int64_t m_steps = 0;
    double m_first = 0.0;
    double m_average = 0.0;
    double m_best = std::numeric_limits<double>::infinity();
};

} // namespace plexus
