#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <QTimer>

#include <vector>

namespace plexus::ui {

class StudioWindow;

/// What `plexus` was asked to do by itself (screenshots for docs and checks, UI benchmark).
struct AutomationOptions
{
    double trainSeconds = -1.0; ///< press Train and pause after this many seconds of training (< 0: no)
    QString screenshot;         ///< then save the window (or `panel`) to this image and quit
    QString panel;              ///< panel name for the screenshot ("" → whole window)
    QString figure;             ///< then save `panel` as a figure (exportFigure, 1800 × 1200 at 300 dpi) and quit
    QString movie;              ///< record `panel` as a movie: the training (trainSeconds > 0) or the playback
    int movieFirst = -1, movieLast = -1, movieStep = 0; ///< playback frames for `movie` (-1, 0: all, ≤ 300 frames)
    int tourStep = 0;           ///< > 0: the screenshot shows the guided tour at this step
    double benchSeconds = 0.0;  ///< > 0: train this long while measuring the UI, print JSON, quit
    QString benchOutput;        ///< JSON file for the benchmark ("" → stdout)
    bool untilReproduced = false; ///< a reproduction runs: wait for its table (panel "reproduction" captures it)
    bool labRun = false;        ///< show the Lab and run its saved edits on the newest checkpoint, wait for the result
};

/// Drives a StudioWindow as a user would: Train, wait, pause, capture. Quits the application when done.
class StudioAutomation : public QObject
{
    Q_OBJECT
public:
    StudioAutomation(StudioWindow* window, AutomationOptions options);
    void start();

private:
    void tick();
    void probeInput();
    void finish();
    /// The movie asked for: the training's ends now; the playback's is drawn now. Returns the exit code.
    int finishMovie();
    /// With labRun: starts the lab's roll-out once, then true when it has ended.
    bool labDone();
    void writeBenchmark();

    StudioWindow* m_window;
    AutomationOptions m_options;
    QTimer m_timer;
    QElapsedTimer m_training, m_waiting;
    bool m_trainingSeen = false, m_pausing = false, m_labStarted = false, m_trainedAgain = false;
    std::int64_t m_baseIteration = -1, m_startIteration = -1, m_endIteration = 0;
    double m_trainedSeconds = 0.0;
    std::vector<double> m_redrawMs, m_inputMs;
    int m_snapshots = 0;
    int m_movieFrames = 0;
    QString m_movieError;
};

} // namespace plexus::ui
