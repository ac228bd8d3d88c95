#pragma once

#include "panels/panel.h"
#include "plots/movie_writer.h"

#include <QObject>
#include <QPointer>
#include <QSize>
#include <QString>

#include <cstdint>
#include <functional>
#include <memory>

namespace plexus::ui {

class Playback;
class RunController;

/// What a movie shows and how it is written (docs/user-guide.md, "Movies").
struct MovieOptions
{
    QString path;              ///< .mp4, or a folder for numbered PNG frames
    QSize pixels{1280, 720};   ///< each frame, the panel drawn as a figure (title, plots, caption)
    int fps = 10;
    bool caption = true;       ///< the experiment, iteration and scores under the plots, as in a figure
};

/// Records a panel as a movie: the training as it runs (a frame each time the panel draws a new iteration), or the
/// activity playback (the panel drawn at a range of frames). One recording at a time.
class MovieRecorder : public QObject
{
    Q_OBJECT
public:
    MovieRecorder(RunController* controller, Playback* playback, QObject* parent = nullptr);
    ~MovieRecorder() override;

    /// Starts recording `panel` during training: it ends with stop(), or by itself when a training it has seen ends
    /// (Finished or Stopped). The panel must stay shown. False with `error` when the movie cannot be started.
    bool startTraining(Panel* panel, const MovieOptions& options, QString* error);
    /// Ends a training recording and writes the movie; finished() follows either way.
    bool stop(QString* error);
    /// Draws `panel` at playback frames first, first + step, …, ≤ last, then writes the movie. `progress(done,
    /// total)` is called after each frame; returning false cancels (no movie is written). The shown frame is restored.
    bool recordPlayback(Panel* panel, const MovieOptions& options, int first, int last, int step,
                        const std::function<bool(int, int)>& progress, QString* error);
    /// A step that gives at most `maxFrames` movie frames over `frames` playback frames.
    static int defaultStep(int frames, int maxFrames = 300);

    bool recording() const { return m_writer && m_writer->isOpen() && m_panel; }
    int frames() const { return m_writer ? m_writer->frames() : 0; }
    QString path() const { return m_options.path; }

Q_SIGNALS:
    void framesChanged(int frames);
    /// The training recording ended: the movie written (`error` empty) or not.
    void finished(const QString& path, int frames, const QString& error);

private:
    bool begin(Panel* panel, const MovieOptions& options, QString* error);
    bool capture(QString* error);
    void onRedrawn();
    void onStateChanged();
    /// Finishes (or, after `failure`, abandons) the training recording; the error, if any.
    QString end(const QString& failure);

    RunController* m_controller;
    Playback* m_playback;
    QPointer<Panel> m_panel;
    MovieOptions m_options;
    std::unique_ptr<MovieWriter> m_writer;
    std::int64_t m_lastIteration = -1;
    std::int64_t m_firstIteration = -1; ///< of the movie's first frame
    bool m_trained = false;              ///< a frame of another iteration followed: training has been seen
    QMetaObject::Connection m_redrawn;
};

} // namespace plexus::ui
