#include "studio/studio_automation.h"

#include "panels/panel.h"
#include "plots/plot_export.h"
#include "studio/guided_tour.h"
#include "studio/lab_session.h"
#include "studio/movie_dialog.h"
#include "studio/movie_recorder.h"
#include "studio/playback.h"
#include "studio/neuron_selection.h"
#include "studio/reproduction_dialog.h"
#include "studio/run_controller.h"
#include "studio/studio_window.h"
#include "studio/summary_card.h"

#include <QApplication>
#include <QFile>
#include <QTextStream>

#include <algorithm>
#include <cstdio>

namespace plexus::ui {

namespace {

double percentile(std::vector<double> values, double q)
{
    if (values.empty())
        return 0.0;
    std::sort(values.begin(), values.end());
    return values[static_cast<std::size_t>(q * static_cast<double>(values.size() - 1) + 0.5)];
}

} // namespace

StudioAutomation::StudioAutomation(StudioWindow* window, AutomationOptions options)
    : QObject(window), m_window(window), m_options(std::move(options))
{
    if (m_options.benchSeconds > 0)
        m_options.trainSeconds = m_options.benchSeconds;
    m_timer.setInterval(100);
    connect(&m_timer, &QTimer::timeout, this, &StudioAutomation::tick);
    connect(window->controller(), &RunController::snapshotChanged, this, [this] { ++m_snapshots; });
}

void StudioAutomation::start()
{
    RunController* controller = m_window->controller();
    if (!m_options.movie.isEmpty() && m_options.trainSeconds > 0) {
        MovieRequest request;
        request.panel = m_options.panel;
        request.options.path = m_options.movie;
        QString error;
        if (!m_window->recordMovie(request, &error)) {
            std::fprintf(stderr, "plexus: %s\n", qPrintable(error));
            QApplication::exit(1);
            return;
        }
        connect(m_window->movieRecorder(), &MovieRecorder::finished, this,
                [this](const QString&, int frames, const QString& error) {
                    m_movieFrames = frames;
                    m_movieError = error;
                });
    }
    if (m_options.untilReproduced)
        ; // the reproduction already simulates and trains
    else if (m_options.trainSeconds >= 0 && m_options.trainSeconds > 0)
        controller->train(); // simulates first when there is no data
    else if (!controller->dataset())
        controller->simulate();
    m_waiting.start();
    m_timer.start();
}

void StudioAutomation::tick()
{
    RunController* controller = m_window->controller();
    const StudioState state = controller->state();
    if (state == StudioState::Failed || (state == StudioState::NoData && m_waiting.elapsed() > 2000)) {
        std::fprintf(stderr, "plexus: %s\n", qPrintable(controller->lastError()));
        QApplication::exit(1);
        return;
    }
    if (m_options.untilReproduced) {
        if (controller->reproductionResult())
            finish();
        return;
    }
    if (m_options.trainSeconds <= 0) {
        // A reopened run restores its model (paused): wait for its views, roll-out included.
        const auto snapshot = controller->snapshot();
        const bool restoring = controller->runFolder().hasCheckpoint() && state != StudioState::Ready;
        const bool restored = snapshot && snapshot->rolloutIteration == snapshot->iteration &&
                              (snapshot->equationsIteration == snapshot->iteration || m_waiting.elapsed() > 180000);
        if (controller->dataset() && state != StudioState::Simulating &&
            (!restoring || restored || m_waiting.elapsed() > 240000) && labDone())
            finish();
        return;
    }
    // The clock starts at the first iteration done, after the model and data are loaded.
    if (state == StudioState::Training && m_baseIteration < 0)
        m_baseIteration = controller->iteration();
    if (!m_trainingSeen && m_baseIteration >= 0 && controller->iteration() > m_baseIteration) {
        m_trainingSeen = true;
        m_training.start();
        m_startIteration = controller->iteration();
    }
    if (!m_trainingSeen && !m_trainedAgain && state == StudioState::Finished && m_waiting.elapsed() > 2000) {
        // A reopened run that had finished: Train resumed it only to find it done. Train again, as its button does.
        m_trainedAgain = true;
        m_baseIteration = -1; // the new training counts from its own first iteration
        controller->train();
    }
    if (!m_trainingSeen)
        return;
    if (m_options.benchSeconds > 0 && state == StudioState::Training) {
        m_redrawMs.push_back(m_window->redrawMilliseconds());
        if (m_training.elapsed() % 500 < 100)
            probeInput();
    }
    const bool done = state == StudioState::Finished || state == StudioState::Stopped;
    if (!m_pausing && (done || m_training.elapsed() >= m_options.trainSeconds * 1000.0)) {
        m_trainedSeconds = m_training.elapsed() / 1000.0;
        m_endIteration = controller->iteration();
        m_pausing = true;
        m_waiting.restart();
        if (!done)
            controller->pause();
    }
    if (m_pausing) {
        const auto snapshot = controller->snapshot();
        // The views of the paused model: its roll-out, then its formulas (a longer search, docs/equations.md).
        const bool rolledOut = snapshot && snapshot->rolloutIteration == snapshot->iteration;
        const bool formulas = snapshot && snapshot->equationsIteration == snapshot->iteration;
        const bool settled = state != StudioState::Training && snapshot &&
                             ((rolledOut && formulas) || (rolledOut && m_waiting.elapsed() > 180000) ||
                              m_waiting.elapsed() > 240000);
        if (settled)
            finish();
    }
}

bool StudioAutomation::labDone()
{
    if (!m_options.labRun)
        return true;
    LabSession* lab = m_window->labSession();
    if (!m_labStarted) {
        m_labStarted = true;
        m_window->showLab();
        lab->run();
    }
    return !lab->running();
}

void StudioAutomation::probeInput()
{
    const auto data = m_window->controller()->dataset();
    if (!data)
        return;
    QElapsedTimer clock;
    clock.start();
    const int neuron = static_cast<int>((m_window->selection()->current() + 37) % data->neurons());
    m_window->selection()->setCurrent(neuron); // as a click in a panel does
    // The panels' redraws and replots were queued by the selection change; this runs after them and then
    // paints the window at once, so the time includes putting the new pixels on screen.
    QTimer::singleShot(0, this, [this, clock] {
        m_window->repaint();
        m_inputMs.push_back(clock.nsecsElapsed() / 1e6);
    });
}

void StudioAutomation::finish()
{
    m_timer.stop();
    for (Panel* panel : m_window->panels())
        panel->refreshNow();
    QApplication::processEvents();
    if (m_options.benchSeconds > 0)
        writeBenchmark();
    if (!m_options.movie.isEmpty()) {
        QApplication::exit(finishMovie());
        return;
    }
    if (!m_options.figure.isEmpty()) {
        Panel* panel = m_window->panel(m_options.panel);
        if (!panel) {
            std::fprintf(stderr, "plexus: --figure needs --panel with a panel's name, got '%s'\n",
                         qPrintable(m_options.panel));
            QApplication::exit(2);
            return;
        }
        QTimer::singleShot(500, this, [panel, path = m_options.figure] {
            QString error;
            const bool saved = panel->exportFigure(path, FigureOptions{}, &error);
            if (saved)
                std::printf("plexus: wrote %s\n", qPrintable(path));
            else
                std::fprintf(stderr, "plexus: %s\n", qPrintable(error));
            QApplication::exit(saved ? 0 : 1);
        });
        return;
    }
    if (!m_options.screenshot.isEmpty() && m_options.panel == "summary") {
        SummaryCard* card = m_window->showSummary();
        auto* wait = new QTimer(this);
        connect(wait, &QTimer::timeout, this, [this, card, wait] {
            if (card->running() || !card->evaluation())
                return;
            wait->stop();
            const bool saved = grabWithViews(card, card->devicePixelRatioF()).save(m_options.screenshot);
            std::printf("plexus: %s %s\n", saved ? "wrote" : "cannot write", qPrintable(m_options.screenshot));
            QApplication::exit(saved ? 0 : 1);
        });
        wait->start(200);
        return;
    }
    if (m_options.tourStep > 0) {
        GuidedTour* tour = m_window->guidedTour();
        tour->start();
        for (int k = 1; k < std::min(m_options.tourStep, tour->stepCount()); ++k)
            tour->next();
    }
    if (!m_options.screenshot.isEmpty()) {
        QWidget* target = m_options.panel.isEmpty()           ? static_cast<QWidget*>(m_window)
                          : m_options.panel == "reproduction"
                              ? static_cast<QWidget*>(m_window->findChild<ReproductionDialog*>())
                              : static_cast<QWidget*>(m_window->panel(m_options.panel));
        if (!target) {
            std::fprintf(stderr, "plexus: no panel named '%s'\n", qPrintable(m_options.panel));
            QApplication::exit(2);
            return;
        }
        // Let queued replots and the GL view render once more before grabbing.
        QTimer::singleShot(500, this, [target, path = m_options.screenshot] {
            const bool saved = grabWithViews(target, target->devicePixelRatioF()).save(path);
            if (!saved)
                std::fprintf(stderr, "plexus: cannot write %s\n", qPrintable(path));
            else
                std::printf("plexus: wrote %s\n", qPrintable(path));
            QApplication::exit(saved ? 0 : 1);
        });
        return;
    }
    QApplication::exit(0);
}

int StudioAutomation::finishMovie()
{
    MovieRecorder* recorder = m_window->movieRecorder();
    QString error;
    if (recorder->recording()) {
        const int frames = recorder->frames();
        if (!recorder->stop(&error)) {
            std::fprintf(stderr, "plexus: %s\n", qPrintable(error));
            return 1;
        }
        std::printf("plexus: wrote %s (%d frames of the training)\n", qPrintable(m_options.movie), frames);
        return 0;
    }
    if (m_options.trainSeconds > 0) { // the recording ended with the training
        if (!m_movieError.isEmpty() || m_movieFrames == 0) {
            std::fprintf(stderr, "plexus: %s\n", qPrintable(m_movieError.isEmpty() ? tr("no movie was recorded")
                                                                                   : m_movieError));
            return 1;
        }
        std::printf("plexus: wrote %s (%d frames of the training)\n", qPrintable(m_options.movie), m_movieFrames);
        return 0;
    }
    MovieRequest request;
    request.panel = m_options.panel;
    request.training = false;
    request.options.path = m_options.movie;
    request.options.fps = 25;
    const int frames = m_window->playback()->frames();
    request.first = m_options.movieFirst >= 0 ? m_options.movieFirst : 0;
    request.last = m_options.movieLast >= 0 ? m_options.movieLast : frames - 1;
    request.step = m_options.movieStep > 0 ? m_options.movieStep
                                           : MovieRecorder::defaultStep(request.last - request.first + 1);
    if (!m_window->recordMovie(request, &error)) {
        std::fprintf(stderr, "plexus: %s\n", qPrintable(error));
        return 1;
    }
    std::printf("plexus: wrote %s (frames %d to %d every %d)\n", qPrintable(m_options.movie), request.first,
                request.last, request.step);
    return 0;
}

void StudioAutomation::writeBenchmark()
{
    const double seconds = std::max(1e-9, m_trainedSeconds);
    const auto data = m_window->controller()->dataset();
    QString json;
    QTextStream out(&json);
    out << "{\"neurons\": " << (data ? data->neurons() : 0) << ", \"trained_seconds\": " << seconds
        << ", \"iterations\": " << (m_endIteration - m_startIteration)
        << ", \"iterations_per_second\": " << static_cast<double>(m_endIteration - m_startIteration) / seconds
        << ", \"ui_updates_per_second\": " << m_snapshots / seconds
        << ", \"redraw_ms_median\": " << percentile(m_redrawMs, 0.5)
        << ", \"redraw_ms_p95\": " << percentile(m_redrawMs, 0.95)
        << ", \"input_to_redraw_ms_median\": " << percentile(m_inputMs, 0.5)
        << ", \"input_to_redraw_ms_p95\": " << percentile(m_inputMs, 0.95)
        << ", \"input_probes\": " << m_inputMs.size() << "}\n";
    if (m_options.benchOutput.isEmpty()) {
        std::printf("%s", qPrintable(json));
        std::fflush(stdout);
        return;
    }
    QFile file(m_options.benchOutput);
    if (file.open(QIODevice::WriteOnly))
        file.write(json.toUtf8());
}

} // namespace plexus::ui
