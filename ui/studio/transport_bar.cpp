#include "studio/transport_bar.h"

#include "studio/playback.h"
#include "studio/run_controller.h"
#include "studio/theme.h"

#include <QAction>
#include <QComboBox>
#include <QLabel>
#include <QPainter>
#include <QPixmap>
#include <QProgressBar>
#include <QSlider>
#include <QStyle>

namespace plexus::ui {

TransportBar::TransportBar(RunController* controller, Playback* playback, QWidget* parent)
    : QToolBar(tr("Transport"), parent), m_controller(controller), m_playback(playback)
{
    setObjectName("transportBar");
    setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_simulate = addAction(tr("Simulate"));
    m_simulate->setObjectName("simulateAction");
    m_simulate->setToolTip(tr("Simulate the experiment's ground-truth network (Ctrl+R)"));
    m_simulate->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    m_train = addAction(tr("Train"));
    m_train->setObjectName("trainAction");
    m_train->setToolTip(tr("Train the GNN on the activity (simulates first if needed) (Ctrl+T)"));
    m_train->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_T));
    m_pause = addAction(tr("Pause"));
    m_pause->setObjectName("pauseAction");
    m_pause->setToolTip(tr("Pause or resume training (Space)"));
    m_step = addAction(tr("Step"));
    m_step->setObjectName("stepAction");
    m_step->setToolTip(tr("While paused: one training iteration (Ctrl+.)"));
    m_step->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Period));
    m_stop = addAction(tr("Stop"));
    m_stop->setObjectName("stopAction");
    m_stop->setToolTip(tr("Stop simulating or training; training keeps a checkpoint (Esc)"));
    m_stop->setShortcut(QKeySequence(Qt::Key_Escape));
    m_progress = new QProgressBar(this);
    m_progress->setObjectName("progress");
    m_progress->setRange(0, 1000);
    m_progress->setMaximumWidth(180);
    m_progress->setTextVisible(true);
    addWidget(m_progress);
    addSeparator();
    m_play = addAction(tr("Play activity"));
    m_play->setObjectName("playAction");
    m_play->setCheckable(true);
    m_play->setToolTip(tr("Play the activity in the network view and the traces"));
    m_speed = new QComboBox(this);
    m_speed->setObjectName("speed");
    for (int fps : {25, 100, 400, 1600})
        m_speed->addItem(tr("%1 frames/s").arg(fps), fps);
    m_speed->setCurrentIndex(1);
    addWidget(m_speed);
    m_time = new QSlider(Qt::Horizontal, this);
    m_time->setObjectName("timeSlider");
    m_time->setMinimumWidth(160);
    m_time->setToolTip(tr("Frame shown in the activity and network views"));
    addWidget(m_time);
    m_frameLabel = new QLabel(this);
    m_frameLabel->setMinimumWidth(90);
    addWidget(m_frameLabel);

    connect(m_simulate, &QAction::triggered, controller, &RunController::simulate);
    connect(m_train, &QAction::triggered, controller, &RunController::train);
    connect(m_pause, &QAction::triggered, this, [this] {
        if (m_controller->state() == StudioState::Paused)
            m_controller->resume();
        else
            m_controller->pause();
    });
    connect(m_step, &QAction::triggered, controller, &RunController::step);
    connect(m_stop, &QAction::triggered, controller, &RunController::stop);
    connect(m_play, &QAction::toggled, playback, &Playback::setPlaying);
    connect(playback, &Playback::playingChanged, m_play, &QAction::setChecked);
    connect(m_speed, &QComboBox::currentIndexChanged, this,
            [this] { m_playback->setSpeed(m_speed->currentData().toDouble()); });
    m_playback->setSpeed(m_speed->currentData().toDouble());
    connect(m_time, &QSlider::valueChanged, playback, &Playback::setFrame);
    connect(playback, &Playback::frameChanged, this, [this](int frame) {
        m_time->setValue(frame);
        m_frameLabel->setText(tr("frame %1").arg(frame));
    });
    connect(playback, &Playback::framesChanged, this, [this](int frames) {
        m_time->setRange(0, std::max(0, frames - 1));
        m_frameLabel->setText(tr("frame %1").arg(m_playback->frame()));
    });
    connect(controller, &RunController::stateChanged, this, &TransportBar::updateState);
    connect(controller, &RunController::progressChanged, this, [this] {
        if (m_progressClock.isValid() && m_progressClock.elapsed() < 500)
            return; // each change repaints the window: 2 Hz is plenty
        m_progressClock.restart();
        updateProgress();
    });
    connect(controller, &RunController::datasetChanged, this, &TransportBar::updateState);
    connect(&ThemeManager::instance(), &ThemeManager::changed, this, &TransportBar::updateIcons);
    updateIcons();
}

QIcon TransportBar::themedIcon(QStyle::StandardPixmap which) const
{
    const int side = style()->pixelMetric(QStyle::PM_ToolBarIconSize, nullptr, this);
    const qreal ratio = devicePixelRatioF();
    QPixmap glyph = style()->standardIcon(which, nullptr, this).pixmap(QSize(side, side), ratio);
    QPainter painter(&glyph);
    painter.setCompositionMode(QPainter::CompositionMode_SourceIn); // keep the shape, take the colour
    painter.fillRect(glyph.rect(), ThemeManager::instance().theme().foreground);
    painter.end();
    return QIcon(glyph);
}

void TransportBar::updateIcons()
{
    m_simulate->setIcon(themedIcon(QStyle::SP_FileDialogNewFolder));
    m_train->setIcon(themedIcon(QStyle::SP_MediaPlay));
    m_step->setIcon(themedIcon(QStyle::SP_MediaSeekForward));
    m_stop->setIcon(themedIcon(QStyle::SP_MediaStop));
    m_play->setIcon(themedIcon(QStyle::SP_MediaPlay));
    updateState(); // Pause's icon depends on the state
}

void TransportBar::togglePlayPause()
{
    const StudioState state = m_controller->state();
    if (state == StudioState::Training)
        m_controller->pause();
    else if (state == StudioState::Paused)
        m_controller->resume();
    else
        m_playback->toggle();
}

void TransportBar::updateState()
{
    const StudioState state = m_controller->state();
    const bool simulating = state == StudioState::Simulating;
    const bool training = state == StudioState::Training, paused = state == StudioState::Paused;
    const bool stopping = state == StudioState::Stopping;
    m_simulate->setEnabled(!simulating && !training && !paused && !stopping);
    m_train->setEnabled(!simulating && !training && !paused && !stopping);
    m_train->setText(state == StudioState::Finished ? tr("Train again") : tr("Train"));
    m_pause->setEnabled(training || paused);
    m_pause->setText(paused ? tr("Resume") : tr("Pause"));
    m_pause->setIcon(themedIcon(paused ? QStyle::SP_MediaPlay : QStyle::SP_MediaPause));
    m_step->setEnabled(paused || ((state == StudioState::Ready || state == StudioState::Stopped) && m_controller->dataset()));
    m_stop->setEnabled(simulating || training || paused);
    m_play->setEnabled(m_controller->dataset() != nullptr);
    m_time->setEnabled(m_controller->dataset() != nullptr);
    updateProgress();
}

void TransportBar::updateProgress()
{
    const StudioState state = m_controller->state();
    if (state == StudioState::Simulating) {
        m_progress->setValue(static_cast<int>(1000 * m_controller->simulationFraction()));
        m_progress->setFormat(tr("simulating %p%"));
    } else if (m_controller->totalIterations() > 0) {
        m_progress->setValue(static_cast<int>(1000.0 * static_cast<double>(m_controller->iteration()) /
                                              static_cast<double>(m_controller->totalIterations())));
        // Says what is happening: the bar does not claim "training" while paused or stopped.
        switch (state) {
        case StudioState::Training: m_progress->setFormat(tr("training %p%")); break;
        case StudioState::Paused: m_progress->setFormat(tr("paused at %p%")); break;
        case StudioState::Stopping: m_progress->setFormat(tr("stopping…")); break;
        case StudioState::Stopped: m_progress->setFormat(tr("stopped at %p%")); break;
        case StudioState::Finished: m_progress->setFormat(tr("finished")); break;
        case StudioState::Failed: m_progress->setFormat(tr("failed at %p%")); break;
        default: m_progress->setFormat(m_controller->stateText()); break;
        }
    } else {
        m_progress->setValue(0);
        m_progress->setFormat(m_controller->stateText());
    }
}

} // namespace plexus::ui
