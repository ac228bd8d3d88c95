#pragma once

#include <QElapsedTimer>
#include <QIcon>
#include <QStyle>
#include <QToolBar>

class QAction;
class QComboBox;
class QLabel;
class QProgressBar;
class QSlider;

namespace plexus::ui {

class Playback;
class RunController;

/// Simulate, Train, Pause/Resume, Step, Stop; the playback controls (play, speed, time slider); and a progress bar.
/// Buttons are enabled from the controller's state.
class TransportBar : public QToolBar
{
    Q_OBJECT
public:
    TransportBar(RunController* controller, Playback* playback, QWidget* parent = nullptr);

    QAction* simulateAction() const { return m_simulate; }
    QAction* trainAction() const { return m_train; }
    QAction* pauseAction() const { return m_pause; }
    QAction* stepAction() const { return m_step; }
    QAction* stopAction() const { return m_stop; }
    QAction* playAction() const { return m_play; }
    QProgressBar* progressBar() const { return m_progress; }
    QSlider* timeSlider() const { return m_time; }
    /// Space: pauses or resumes training when there is one, else plays or pauses the activity.
    void togglePlayPause();

    /// A standard icon drawn in the theme's text colour, so it stays visible on a dark toolbar.
    QIcon themedIcon(QStyle::StandardPixmap which) const;

private:
    void updateIcons();
    void updateState();
    void updateProgress();

    RunController* m_controller;
    Playback* m_playback;
    QAction *m_simulate, *m_train, *m_pause, *m_step, *m_stop, *m_play;
    QComboBox* m_speed;
    QSlider* m_time;
    QLabel* m_frameLabel;
    QProgressBar* m_progress;
    QElapsedTimer m_progressClock;
};

} // namespace plexus::ui
