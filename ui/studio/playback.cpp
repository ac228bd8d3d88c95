#include "studio/playback.h"

#include <algorithm>
#include <cmath>

namespace plexus::ui {

namespace {
constexpr int kTickMs = 40; // 25 Hz
}

Playback::Playback(QObject* parent) : QObject(parent)
{
    m_timer.setInterval(kTickMs);
    connect(&m_timer, &QTimer::timeout, this, &Playback::advance);
}

void Playback::setFrames(int frames)
{
    m_frames = std::max(0, frames);
    Q_EMIT framesChanged(m_frames);
    setFrame(std::min(m_frame, std::max(0, m_frames - 1)));
}

void Playback::setFrame(int frame)
{
    frame = std::clamp(frame, 0, std::max(0, m_frames - 1));
    if (frame == m_frame)
        return;
    m_frame = frame;
    Q_EMIT frameChanged(m_frame);
}

void Playback::setSpeed(double framesPerSecond)
{
    m_speed = std::max(1.0, framesPerSecond);
}

void Playback::setPlaying(bool playing)
{
    if (playing == m_timer.isActive() || (playing && m_frames <= 1))
        return;
    if (playing)
        m_timer.start();
    else
        m_timer.stop();
    Q_EMIT playingChanged(playing);
}

void Playback::advance()
{
    m_carry += m_speed * kTickMs / 1000.0;
    const int step = static_cast<int>(std::floor(m_carry));
    m_carry -= step;
    if (step > 0)
        setFrame(m_frame + step >= m_frames ? 0 : m_frame + step);
}

} // namespace plexus::ui
