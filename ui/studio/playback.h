#pragma once

#include <QObject>
#include <QTimer>

namespace plexus::ui {

/// The frame shown by the activity and network views, and its playback (speed in frames per second).
class Playback : public QObject
{
    Q_OBJECT
public:
    explicit Playback(QObject* parent = nullptr);
    int frame() const { return m_frame; }
    int frames() const { return m_frames; }
    bool playing() const { return m_timer.isActive(); }
    double speed() const { return m_speed; }

public Q_SLOTS:
    void setFrames(int frames);
    void setFrame(int frame);
    void setSpeed(double framesPerSecond);
    void setPlaying(bool playing);
    void toggle() { setPlaying(!playing()); }

Q_SIGNALS:
    void frameChanged(int frame);
    void framesChanged(int frames);
    void playingChanged(bool playing);

private:
    void advance();

    QTimer m_timer;
    int m_frame = 0;
    int m_frames = 0;
    double m_speed = 100.0;
    double m_carry = 0.0;
};

} // namespace plexus::ui
