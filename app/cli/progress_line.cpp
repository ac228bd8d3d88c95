#include "progress_line.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <unistd.h>

namespace plexus::cli {

std::string formatDuration(double seconds)
{
    if (!std::isfinite(seconds) || seconds < 0)
        return "--:--";
    auto s = static_cast<long long>(std::llround(seconds));
    char buffer[32];
    if (s >= 3600)
        std::snprintf(buffer, sizeof buffer, "%lld:%02lld:%02lld", s / 3600, s / 60 % 60, s % 60);
    else
        std::snprintf(buffer, sizeof buffer, "%lld:%02lld", s / 60, s % 60);
    return buffer;
}

std::string formatBytes(double bytes)
{
    char buffer[32];
    if (bytes >= 1e9)
        std::snprintf(buffer, sizeof buffer, "%.2f GB", bytes / 1e9);
    else if (bytes >= 1e6)
        std::snprintf(buffer, sizeof buffer, "%.1f MB", bytes / 1e6);
    else
        std::snprintf(buffer, sizeof buffer, "%.1f kB", bytes / 1e3);
    return buffer;
}

ProgressLine::ProgressLine(std::string unit) : m_unit(std::move(unit)), m_terminal(::isatty(STDERR_FILENO) != 0) {}

void ProgressLine::operator()(const std::string& phase, std::int64_t done, std::int64_t total, double fraction)
{
    const auto now = Clock::now();
    if (fraction < 0)
        fraction = total > 0 ? static_cast<double>(done) / static_cast<double>(total) : 0.0;
    fraction = std::min(1.0, fraction);
    if (phase != m_phase) {
        if (m_drawn && m_terminal)
            std::fputc('\n', stderr);
        m_phase = phase;
        m_phaseStart = now;
        m_phaseStartDone = done;
        m_phaseStartFraction = fraction;
        m_lastDecile = -1;
        m_drawn = false;
    }
    const int decile = static_cast<int>(fraction * 10);
    const bool finished = done >= total || fraction >= 1.0;
    if (m_terminal ? (now - m_lastDraw < std::chrono::milliseconds(100) && !finished) : (decile == m_lastDecile))
        return;
    m_lastDraw = now;
    m_lastDecile = decile;
    const double elapsed = std::chrono::duration<double>(now - m_phaseStart).count();
    const double rate = elapsed > 0 ? static_cast<double>(done - m_phaseStartDone) / elapsed : 0.0;
    const double progressed = fraction - m_phaseStartFraction;
    const double eta = progressed > 0 ? elapsed * (1.0 - fraction) / progressed : NAN;
    const bool bytes = phase.rfind("saving", 0) == 0; // the dataset writer reports bytes
    char line[320];
    std::snprintf(line, sizeof line, "%-12s %5.1f %%  %10.0f %s/s  elapsed %s  ETA %s  %s", phase.c_str(),
                  100.0 * fraction, bytes ? rate / 1e6 : rate, bytes ? "MB" : m_unit.c_str(),
                  formatDuration(elapsed).c_str(), formatDuration(eta).c_str(), m_extra.c_str());
    std::fprintf(stderr, m_terminal ? "\r%s\033[K" : "%s\n", line);
    std::fflush(stderr);
    m_drawn = true;
}

void ProgressLine::finish()
{
    if (m_drawn && m_terminal)
        std::fputc('\n', stderr);
    m_drawn = false;
    m_phase.clear();
}

} // namespace plexus::cli
