#pragma once

#include "plexus/train/trainer.h"

#include <cstdio>
#include <functional>
#include <string>
#include <vector>

namespace plexus {

/// A reproduction recipe's goal for W (docs/reproduction.md, "When training stops"): reached once the live W R² is
/// at least `r2Target` at three checks in a row, counting only checks in the last phase of a two-phase schedule (its
/// L1 term is what makes W sparse) and, where `slopeSettled` > 0, once the ψ*-corrected W slope (docs/method.md
/// §D.1) has also changed by at most `slopeSettled` over the last kSlopeWindow checks: W's scale converges more
/// slowly than its scatter, so an R² at its plateau alone can stop training with the slope still rising.
/// The one rule of `plexus-cli reproduce` and the Studio's Session.
class ConnectivityGoal
{
public:
    static constexpr int kStreak = 3;      ///< checks in a row at or above the R² target
    static constexpr int kSlopeWindow = 4; ///< checks over which the slope must have settled

    explicit ConnectivityGoal(double r2Target, double slopeSettled = 0.0)
        : m_target(r2Target), m_slopeSettled(slopeSettled)
    {
    }
    bool active() const { return m_target > 0; }
    double target() const { return m_target; }
    /// Counts one check of `metrics`; true once the goal is reached. The corrected slope is measured (it costs a ψ*
    /// evaluation per neuron) only while the R² is at its target.
    bool check(const Trainer& trainer, const TrainingMetrics& metrics)
    {
        return check(trainer.inFinalPhase(), metrics.connectivityR2,
                     [&trainer] { return trainer.correctedConnectivityFit().slope; });
    }
    /// The rule itself, on one check's values.
    bool check(bool inFinalPhase, double r2, const std::function<double()>& correctedSlope)
    {
        m_streak = active() && inFinalPhase && r2 >= m_target ? m_streak + 1 : 0;
        if (m_streak == 0) {
            m_slopes.clear();
            return false;
        }
        if (m_slopeSettled > 0) {
            m_slopes.push_back(correctedSlope());
            if (m_slopes.size() > kSlopeWindow + 1) // only the window's ends are compared
                m_slopes.erase(m_slopes.begin());
        }
        if (m_streak < kStreak)
            return false;
        return m_slopeSettled <= 0 || (m_slopes.size() > kSlopeWindow && slopeChange() <= m_slopeSettled);
    }
    /// What was reached, for the user: "W R² reached 0.999 …: training ended at iteration N".
    std::string notice(long long iteration) const
    {
        char text[160];
        if (m_slopeSettled > 0 && !m_slopes.empty())
            std::snprintf(text, sizeof text,
                          "W R² reached %.3f and its corrected slope settled at %.3f: training ended at iteration %lld",
                          m_target, m_slopes.back(), iteration);
        else
            std::snprintf(text, sizeof text, "W R² reached %.3f: training ended at iteration %lld", m_target, iteration);
        return text;
    }

private:
    double slopeChange() const
    {
        const double now = m_slopes.back(), before = m_slopes[m_slopes.size() - 1 - kSlopeWindow];
        return now > before ? now - before : before - now;
    }

    double m_target;
    double m_slopeSettled;
    int m_streak = 0;
    std::vector<double> m_slopes; ///< corrected slopes at the last kSlopeWindow + 1 checks of the current streak
};

} // namespace plexus
