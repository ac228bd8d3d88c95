// plexus: Plexus Studio, the desktop app (ui/). Thin: parses options, sets up Qt and the compute threads.
#include "studio/studio_automation.h"
#include "studio/lab_session.h"
#include "panels/panel.h"
#include "studio/guided_tour.h"
#include "studio/studio_window.h"
#include "studio/theme.h"

#include "plexus/data/csv_export.h"
#include "plexus/train/trainer.h"
#include "plexus/util/errors.h"
#include "plexus/util/thread_waiting.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QSettings>
#include <QSurfaceFormat>
#include <QTimer>

#include <cstdio>
#include <thread>

int main(int argc, char** argv)
{
    plexus::ensurePassiveThreadWaiting(argv);
    // VTK's OpenGL2 backend needs a 3.2 core context, set before the application exists (ARCHITECTURE §1).
    QSurfaceFormat format;
    format.setVersion(3, 2);
    format.setProfile(QSurfaceFormat::CoreProfile);
    format.setDepthBufferSize(24);
    format.setSamples(0);
    QSurfaceFormat::setDefaultFormat(format);
    QApplication::setAttribute(Qt::AA_ShareOpenGLContexts);
    QApplication app(argc, argv);
    QApplication::setApplicationName("Plexus");
    QApplication::setOrganizationName("Plexus");
    QApplication::setApplicationVersion("0.1.0");

    QCommandLineParser parser;
    parser.setApplicationDescription(
        "Plexus Studio: simulate a neural assembly, train the GNN on its activity and watch it recover W, the "
        "neuron types and their functions.\nWithout a display, use plexus-cli (plexus-cli --help).");
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption preset("preset", "Start a new run of this built-in experiment (default: demo).", "NAME");
    const QCommandLineOption run("run", "Run folder: opened when it holds a run, else the new run goes there.", "DIR");
    const QCommandLineOption reproduce("reproduce", "Reproduce this paper experiment (its recipe, docs/reproduction.md): "
                                                    "simulate, train, evaluate, show the table.", "NAME");
    const QCommandLineOption trainFor("train-for", "Press Train, pause after this many seconds of training.", "SECONDS");
    const QCommandLineOption screenshot("screenshot", "Then save the window to this PNG and quit.", "FILE");
    const QCommandLineOption panel("panel", "With --screenshot: only this panel (activity, connectivity, latents, "
                                            "functions, training, network; reproduction: the table of "
                                            "--reproduce; summary: the summary card).", "NAME");
    const QCommandLineOption lab("lab", "Show the Lab and run the edits saved in the run folder (lab.yaml) on its newest "
                                        "checkpoint; with --screenshot, capture once the roll-out is done.");
    const QCommandLineOption figure("figure", "With --panel: save that panel as a figure (PNG, SVG or PDF by the "
                                              "suffix; 1800 × 1200 px at 300 dpi, with its caption) and quit.", "FILE");
    const QCommandLineOption movie("movie", "With --panel: record that panel as a movie (.mp4, or a folder of numbered PNG "
                                            "frames; 1280 × 720): with --train-for, the training as it runs; else the "
                                            "activity playback (--movie-frames).", "FILE");
    const QCommandLineOption movieFrames("movie-frames", "Playback frames for --movie: FIRST:LAST or FIRST:LAST:STEP "
                                                         "(default: all, at most 300 movie frames).", "RANGE");
    const QCommandLineOption tourStep("tour-step", "With --screenshot: show the guided tour at this step (1–5) in the "
                                                   "picture.", "N");
    const QCommandLineOption explain("explain", "Open every panel's explanation (Help → Explain every panel).");
    const QCommandLineOption dark("dark", "Use the dark theme.");
    const QCommandLineOption bench("bench-ui", "Train this long while measuring the UI; print JSON; quit.", "SECONDS");
    const QCommandLineOption benchOut("bench-out", "Write the --bench-ui JSON to this file.", "FILE");
    const QCommandLineOption threads("threads", "Compute threads for training (default: every core for the CPU "
                                                "kernels, all but one for LibTorch).", "N");
    for (const auto& option :
         {preset, run, reproduce, trainFor, screenshot, panel, figure, movie, movieFrames, tourStep, explain, lab, dark,
          bench, benchOut, threads})
        parser.addOption(option);
    parser.process(app);

    const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    // LibTorch gets all cores but one: with every core busy, its OpenMP team waits on the GUI thread at each parallel
    // region and autograd training slows ~7× (13 vs 93 it/s on the demo, 2 cores). The hand-written CPU step has
    // three barriers per step and does not suffer: it gets every core (fig_2: 104 vs 79 it/s; docs/benchmarks.md).
    if (parser.isSet(threads)) {
        plexus::setComputeThreads(std::max(1, parser.value(threads).toInt()));
    } else {
        plexus::setComputeThreads(std::max(1, cores - 1));
        plexus::setKernelThreads(cores);
    }
    plexus::ui::ThemeManager::instance().setDark(parser.isSet(dark) || QSettings().value("darkTheme", false).toBool());

    plexus::ui::StudioWindow window;
    const QString runDir = parser.value(run);
    bool ready = false;
    if (parser.isSet(reproduce))
        ready = window.reproduce(parser.value(reproduce), runDir);
    else if (!runDir.isEmpty() && QFileInfo::exists(QDir(runDir).filePath("config.yaml")) && !parser.isSet(preset))
        ready = window.openRun(runDir);
    else if (!runDir.isEmpty() && QFileInfo::exists(QDir(runDir).filePath("config.yaml")))
        ready = window.openRun(runDir); // the folder already holds a run: reopen it rather than overwrite
    else
        ready = window.newRunFromPreset(parser.isSet(preset) ? parser.value(preset) : "demo", runDir);
    window.show();
    if (parser.isSet(explain))
        for (plexus::ui::Panel* p : window.panels())
            p->setExplanationVisible(true);

    plexus::ui::AutomationOptions automation;
    automation.trainSeconds = parser.isSet(trainFor) ? parser.value(trainFor).toDouble() : -1.0;
    automation.screenshot = parser.value(screenshot);
    automation.panel = parser.value(panel);
    automation.figure = parser.value(figure);
    automation.movie = parser.value(movie);
    automation.tourStep = parser.value(tourStep).toInt();
    if (parser.isSet(movieFrames)) { // FIRST:LAST as every --frames option reads it, then an optional :STEP
        const QString text = parser.value(movieFrames);
        const bool stepped = text.count(':') == 2;
        bool stepOk = true;
        automation.movieStep = stepped ? text.section(':', 2).toInt(&stepOk) : 0;
        try {
            if (!stepOk || (stepped && automation.movieStep < 1))
                throw plexus::InputError("the step after the second ':' must be a whole number ≥ 1");
            const auto [first, last] = plexus::parseFrameRange(text.section(':', 0, 1).toStdString());
            automation.movieFirst = static_cast<int>(first);
            automation.movieLast = static_cast<int>(last);
        } catch (const plexus::InputError& e) {
            std::fprintf(stderr, "plexus: --movie-frames '%s' (FIRST:LAST or FIRST:LAST:STEP): %s\n", qPrintable(text),
                         e.what());
            return 2;
        }
    }
    automation.benchSeconds = parser.isSet(bench) ? parser.value(bench).toDouble() : 0.0;
    automation.benchOutput = parser.value(benchOut);
    automation.untilReproduced = parser.isSet(reproduce);
    automation.labRun = parser.isSet(lab);
    if (automation.labRun && automation.screenshot.isEmpty() && ready) {
        // Interactive: the lab in front, its saved edits rolled out once.
        QTimer::singleShot(0, &window, [&window] {
            window.showLab();
            window.labSession()->run();
        });
    }
    const bool automated = automation.trainSeconds >= 0 || !automation.screenshot.isEmpty() ||
                           !automation.figure.isEmpty() || !automation.movie.isEmpty() || automation.benchSeconds > 0;
    if (!automated && ready && !plexus::ui::GuidedTour::seen()) // the first start: a five-step tour of the demo
        QTimer::singleShot(800, &window, [&window] { window.guidedTour()->start(); });
    if (automated) {
        if (!ready)
            return 2;
        window.useDefaultLayout(); // reproducible pictures and measurements, whatever the user arranged
        auto* driver = new plexus::ui::StudioAutomation(&window, automation);
        QTimer::singleShot(0, driver, &plexus::ui::StudioAutomation::start);
    }
    return QApplication::exec();
}
