#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace plexus::cli {

/// One updating progress line on stderr: phase, percent, rate and ETA, redrawn at most 10 times a second
/// (on a terminal) or printed every 10 % (in logs).
class ProgressLine
{
public:
    explicit ProgressLine(std::string unit = "steps");
    /// `done` of `total` units; `fraction` in [0, 1] says how much of the work is done where that is not done/total
    /// (a training that a time budget ends first), negative: done/total. The rate counts the units done since the
    /// phase began (a resumed training starts at its checkpoint's iteration), the ETA follows the fraction.
    void operator()(const std::string& phase, std::int64_t done, std::int64_t total, double fraction = -1.0);
    /// Text shown after the rate and ETA (e.g. "loss 1.23  W R² 0.91").
    void setExtra(std::string extra) { m_extra = std::move(extra); }
    /// Ends the line (call once the work is over or stopped).
    void finish();

private:
    using Clock = std::chrono::steady_clock;
    std::string m_unit;
    std::string m_phase;
    std::string m_extra;
    Clock::time_point m_phaseStart;
    std::int64_t m_phaseStartDone = 0;
    double m_phaseStartFraction = 0.0;
    Clock::time_point m_lastDraw;
    int m_lastDecile = -1;
    bool m_terminal;
    bool m_drawn = false;
};

/// "1:02:03" / "2:03".
std::string formatDuration(double seconds);
/// "1.2 GB", "350 MB".
std::string formatBytes(double bytes);

} // namespace plexus::cli
