#include "studio/movie_recorder.h"

#include "panels/panel.h"
#include "studio/playback.h"
#include "studio/run_controller.h"

#include <QPalette>

#include <algorithm>

namespace plexus::ui {

MovieRecorder::MovieRecorder(RunController* controller, Playback* playback, QObject* parent)
    : QObject(parent), m_controller(controller), m_playback(playback)
{
    connect(controller, &RunController::stateChanged, this, &MovieRecorder::onStateChanged);
}

MovieRecorder::~MovieRecorder() = default; // an unfinished movie is abandoned: its partial file removed

int MovieRecorder::defaultStep(int frames, int maxFrames)
{
    return std::max(1, (frames + maxFrames - 1) / std::max(1, maxFrames));
}

bool MovieRecorder::begin(Panel* panel, const MovieOptions& options, QString* error)
{
    if (recording()) {
        *error = tr("a movie is already being recorded (%1): stop it first").arg(m_options.path);
        return false;
    }
    if (!panel) {
        *error = tr("no panel to record");
        return false;
    }
    auto writer = std::make_unique<MovieWriter>();
    writer->background = panel->palette().color(QPalette::Base);
    if (!writer->open(options.path, options.pixels, options.fps, error))
        return false;
    m_writer = std::move(writer);
    m_options = options;
    m_options.pixels = m_writer->size();
    m_panel = panel;
    m_lastIteration = -1;
    return true;
}

bool MovieRecorder::capture(QString* error)
{
    FigureOptions figure;
    figure.pixels = m_options.pixels;
    // Text as on screen, enlarged with the frame only beyond a logical 800 pixels (a frame is read from afar).
    figure.dpi = std::max(96, 96 * m_options.pixels.width() / std::max(800, m_panel->width()));
    figure.caption = m_options.caption;
    const QImage image = m_panel->figureImage(figure);
    if (image.isNull()) {
        *error = tr("%1: the %2 panel cannot be drawn").arg(m_options.path, m_panel->title());
        return false;
    }
    if (!m_writer->addFrame(image, error))
        return false;
    Q_EMIT framesChanged(m_writer->frames());
    return true;
}

bool MovieRecorder::startTraining(Panel* panel, const MovieOptions& options, QString* error)
{
    if (!begin(panel, options, error))
        return false;
    m_firstIteration = -1;
    m_trained = false;
    m_redrawn = connect(panel, &Panel::redrawn, this, &MovieRecorder::onRedrawn);
    if (m_controller->snapshot()) { // the model as it is now: the movie's first frame
        panel->refreshNow();
        if (m_lastIteration < 0)
            onRedrawn();
    }
    return true;
}

void MovieRecorder::onRedrawn()
{
    if (!recording())
        return;
    const std::int64_t iteration = m_controller->iteration();
    if (iteration == m_lastIteration)
        return; // a selection or theme redraw: the same model, no new frame
    m_lastIteration = iteration;
    if (m_firstIteration < 0)
        m_firstIteration = iteration;
    m_trained = m_trained || iteration != m_firstIteration;
    QString error;
    if (!capture(&error))
        end(error);
}

void MovieRecorder::onStateChanged()
{
    if (!recording() || !m_redrawn)
        return;
    const StudioState state = m_controller->state();
    if (state == StudioState::Training || state == StudioState::Paused || state == StudioState::Stopping)
        return;
    // A training the movie has seen progress has ended (a reopened finished run that only resumed to find itself
    // done has not trained): its last model, then the movie.
    if (m_trained) {
        m_panel->refreshNow();
        end({});
    }
}

bool MovieRecorder::stop(QString* error)
{
    if (!recording()) {
        *error = tr("no movie is being recorded");
        return false;
    }
    *error = end({});
    return error->isEmpty();
}

QString MovieRecorder::end(const QString& failure)
{
    disconnect(m_redrawn);
    m_redrawn = {};
    QString error = failure;
    const int written = m_writer ? m_writer->frames() : 0;
    if (error.isEmpty() && m_writer)
        m_writer->finish(&error);
    m_writer.reset(); // on an error the partial file is removed
    m_panel = nullptr;
    Q_EMIT finished(m_options.path, written, error);
    return error;
}

bool MovieRecorder::recordPlayback(Panel* panel, const MovieOptions& options, int first, int last, int step,
                                   const std::function<bool(int, int)>& progress, QString* error)
{
    const int frames = m_playback->frames();
    if (frames <= 0) {
        *error = tr("no activity to play: simulate or open a run first");
        return false;
    }
    if (first < 0 || last >= frames || first > last || step < 1) {
        *error = tr("frames %1 to %2 every %3: expected 0 ≤ first ≤ last ≤ %4 and a step ≥ 1")
                     .arg(first)
                     .arg(last)
                     .arg(step)
                     .arg(frames - 1);
        return false;
    }
    if (!begin(panel, options, error))
        return false;
    const int shown = m_playback->frame();
    m_playback->setPlaying(false);
    const int total = (last - first) / step + 1;
    bool ok = true;
    for (int k = 0; k < total && ok; ++k) {
        m_playback->setFrame(first + k * step);
        panel->refreshNow();
        ok = capture(error);
        if (ok && progress && !progress(k + 1, total)) {
            *error = tr("recording cancelled: no movie written");
            ok = false;
        }
    }
    m_playback->setFrame(shown);
    if (ok)
        ok = m_writer->finish(error);
    m_writer.reset();
    m_panel = nullptr;
    return ok;
}

} // namespace plexus::ui
