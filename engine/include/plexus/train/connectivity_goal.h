#pragma once

#include "plexus/train/trainer.h"

namespace plexus {

/// A reproduction recipe's W R² goal (docs/reproduction.md): reached once the live W R² is at least `target` at
/// three checks in a row, counting only checks in the last phase of a two-phase schedule (its L1 term is what makes
/// W sparse). The one rule of `plexus-cli reproduce` and the Studio's Session.
class ConnectivityGoal
{
public:
    explicit ConnectivityGoal(double target) : m_target(target) {}
    bool active() const { return m_target > 0; }
    double target() const { return m_target; }
    /// Counts one check of `metrics`; true once the goal is reached.
    bool check(const Trainer& trainer, const TrainingMetrics& metrics)
    {
        m_streak = active() && trainer.inFinalPhase() && metrics.connectivityR2 >= m_target ? m_streak + 1 : 0;
        return m_streak >= 3;
    }

private:
    double m_target;
    int m_streak = 0;
};

} // namespace plexus
