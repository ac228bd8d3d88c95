#include "studio/studio_window.h"
#include "studio/guided_tour.h"
#include "studio/summary_card.h"
#include "panels/panel_explanations.h"

#include "panels/activity_panel.h"
#include "panels/connectivity_panel.h"
#include "panels/functions_panel.h"
#include "panels/lab_panel.h"
#include "panels/latent_panel.h"
#include "panels/network_panel.h"
#include "panels/stimulus_panel.h"
#include "panels/training_panel.h"
#include "studio/experiment_panel.h"
#include "studio/lab_session.h"
#include "studio/movie_recorder.h"
#include "studio/reproduction_dialog.h"
#include "studio/neuron_selection.h"
#include "studio/playback.h"
#include "studio/run_controller.h"
#include "studio/transport_bar.h"

#include "plexus/config/presets.h"
#include "plexus/runtime/recording_import_job.h"
#include "plexus/runtime/run_folder.h"

#include <QCloseEvent>
#include <QCoreApplication>
#include <QThread>
#include <QProgressDialog>
#include <QDir>
#include <QElapsedTimer>
#include <QDockWidget>
#include <QGuiApplication>
#include <QScreen>
#include <QFile>
#include <QFileInfo>
#include <QDialog>
#include <QVBoxLayout>
#include <QPushButton>
#include <QTextBrowser>
#include <QLabel>
#include <QMessageBox>
#include <QSettings>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTimer>

#include <algorithm>
#include <unistd.h>

namespace plexus::ui {

namespace {

/// Resident memory of this process now (bytes), from /proc/self/statm.
double residentBytes()
{
    QFile file("/proc/self/statm");
    if (!file.open(QIODevice::ReadOnly))
        return 0.0;
    const QList<QByteArray> fields = file.readAll().split(' ');
    return fields.size() > 1 ? fields[1].toDouble() * static_cast<double>(sysconf(_SC_PAGESIZE)) : 0.0;
}

QString formatDuration(double seconds)
{
    if (seconds <= 0)
        return "–";
    const int s = static_cast<int>(seconds);
    return s >= 3600 ? QString("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60)
                     : QString("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QChar('0'));
}

} // namespace

StudioWindow::StudioWindow(QWidget* parent) : QMainWindow(parent)
{
    setObjectName("studioWindow");
    setWindowTitle(tr("Plexus Studio"));
    m_controller = new RunController(this);
    m_selection = new NeuronSelection(this);
    m_playback = new Playback(this);
    m_transport = new TransportBar(m_controller, m_playback, this);
    addToolBar(Qt::TopToolBarArea, m_transport);
    setDockNestingEnabled(true);
    createPanels();
    createMenus();
    createStatusBar();
    createMovieRecorder();
    m_defaultLayout = saveState();
    restoreLayout();
    connect(m_controller, &RunController::errorOccurred, this, &StudioWindow::showError);
    connect(m_controller, &RunController::noticeOccurred, this, [this](const QString& message) { statusBar()->showMessage(message, 15000); });
    // Text changes repaint the window (a full GL composite with the network view): 2 Hz is plenty.
    connect(m_controller, &RunController::progressChanged, this, [this] {
        if (m_statusClock.isValid() && m_statusClock.elapsed() < 500)
            return;
        m_statusClock.restart();
        updateStatus();
    });
    connect(m_controller, &RunController::stateChanged, this, &StudioWindow::updateStatus);
    connect(m_selection, &NeuronSelection::changed, m_controller, &RunController::showCurvesOf);
    // Training that ends here gets its summary card (a reproduction shows its own table instead).
    connect(m_controller, &RunController::stateChanged, this, [this, previous = StudioState::NoData]() mutable {
        const StudioState now = m_controller->state();
        if (now == StudioState::Finished && previous != StudioState::Finished && previous != StudioState::NoData &&
            previous != StudioState::Ready && !m_controller->reproducing() && !m_controller->reproductionResult() &&
            m_rememberLayout)
            showSummary();
        previous = now;
    });
    connect(m_controller, &RunController::runDirChanged, this, [this] {
        setWindowTitle(tr("Plexus Studio — %1").arg(QFileInfo(m_controller->runDir()).fileName()));
        m_selection->setCurrent(-1);
        if (m_rememberLayout && QFileInfo::exists(layoutFile())) {
            QFile file(layoutFile());
            if (file.open(QIODevice::ReadOnly))
                restoreState(file.readAll());
        }
    });
    resize(defaultSize());
}

QSize StudioWindow::defaultSize()
{
    const QScreen* screen = QGuiApplication::primaryScreen();
    const QSize available = screen ? screen->availableSize() : QSize(1900, 1060);
    return QSize(std::min(1900, available.width() * 95 / 100), std::min(1060, available.height() * 95 / 100));
}

StudioWindow::~StudioWindow() = default;

QString StudioWindow::defaultRunsFolder()
{
    const QByteArray fromEnvironment = qgetenv("PLEXUS_RUNS_DIR");
    if (!fromEnvironment.isEmpty())
        return QString::fromLocal8Bit(fromEnvironment);
    return QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation) + "/runs";
}

void StudioWindow::createPanels()
{
    auto* experimentDock = new QDockWidget(tr("Experiment"), this);
    experimentDock->setObjectName("experimentDock");
    m_experiment = new ExperimentPanel(m_controller, experimentDock);
    experimentDock->setWidget(m_experiment);
    addDockWidget(Qt::LeftDockWidgetArea, experimentDock);
    connect(m_experiment, &ExperimentPanel::presetRequested, this, [this](const QString& name) { newRunFromPreset(name); });
    connect(m_experiment, &ExperimentPanel::reproduceRequested, this, [this](const QString& name) { reproduce(name); });
    connect(m_controller, &RunController::reproductionFinished, this, &StudioWindow::showReproduction);

    m_connectivity = new ConnectivityPanel(m_controller, m_selection);
    m_functions = new FunctionsPanel(m_controller, m_selection);
    m_latents = new LatentPanel(m_controller, m_selection);
    m_activity = new ActivityPanel(m_controller, m_selection, m_playback);
    m_network = new NetworkPanel(m_controller, m_selection, m_playback);
    m_training = new TrainingPanel(m_controller, m_selection);
    m_stimulus = new StimulusPanel(m_controller, m_selection, m_playback);
    m_labSession = new LabSession(m_controller, this);
    m_lab = new LabPanel(m_controller, m_selection, m_labSession);
    m_network->setLab(m_labSession);
    connect(m_lab, &LabPanel::edited, m_network, &NetworkPanel::showLab);
    connect(m_labSession, &LabSession::errorOccurred, this,
            [this](const QString& message) { statusBar()->showMessage(message, 15000); });
    m_panels = {m_connectivity, m_functions, m_latents, m_activity, m_network, m_training, m_stimulus, m_lab};
    std::vector<QDockWidget*> docks;
    for (Panel* panel : m_panels) {
        connect(panel, &Panel::aboutMethodRequested, this, &StudioWindow::showAboutMethod);
        auto* dock = new QDockWidget(panel->title(), this);
        dock->setObjectName(panel->name() + "Dock");
        dock->setWidget(panel);
        docks.push_back(dock);
    }
    addDockWidget(Qt::RightDockWidgetArea, docks[0]);
    splitDockWidget(docks[0], docks[3], Qt::Vertical);
    splitDockWidget(docks[0], docks[1], Qt::Horizontal);
    splitDockWidget(docks[1], docks[2], Qt::Horizontal);
    splitDockWidget(docks[3], docks[4], Qt::Horizontal);
    splitDockWidget(docks[4], docks[5], Qt::Horizontal);
    tabifyDockWidget(docks[4], docks[6]); // the stimulus shares the network's place, in front when there is one
    docks[4]->raise();
    tabifyDockWidget(docks[0], docks[7]); // the lab behind the connectivity: a tab away
    docks[0]->raise();
    // Queued: after any layout the new run restores.
    connect(m_controller, &RunController::datasetChanged, this, [this] {
        QTimer::singleShot(0, this, &StudioWindow::frontStimulusOrNetwork);
    });
    m_docks = docks;
    m_docks.insert(m_docks.begin(), experimentDock);
}

void StudioWindow::applyDefaultSizes()
{
    // Proportions of the window; only effective once the window has its size (hence after the first show).
    const int w = width(), h = height();
    const std::vector<QDockWidget*>& d = m_docks; // experiment, connectivity, functions, latents, activity, network, training
    resizeDocks({d[0], d[1]}, {w * 20 / 100, w * 80 / 100}, Qt::Horizontal);
    resizeDocks({d[1], d[2], d[3]}, {w * 34 / 100, w * 26 / 100, w * 20 / 100}, Qt::Horizontal);
    resizeDocks({d[4], d[5], d[6]}, {w * 32 / 100, w * 26 / 100, w * 22 / 100}, Qt::Horizontal);
    resizeDocks({d[1], d[4]}, {h * 55 / 100, h * 45 / 100}, Qt::Vertical);
}

void StudioWindow::showEvent(QShowEvent* event)
{
    QMainWindow::showEvent(event);
    if (m_shownOnce)
        return;
    m_shownOnce = true;
    QTimer::singleShot(0, this, [this] {
        frontStimulusOrNetwork(); // whatever layout was restored
        if (m_layoutRestored)
            return;
        applyDefaultSizes();
        m_defaultLayout = saveState();
    });
}

void StudioWindow::frontStimulusOrNetwork()
{
    // The stimulus shares the network's place: in front when the run has a hidden stimulus.
    const auto data = m_controller->dataset();
    m_docks[data && data->stimulusReceivers() > 0 ? 7 : 5]->raise(); // m_docks: experiment first, then the panels
}

GuidedTour* StudioWindow::guidedTour()
{
    if (!m_tour)
        m_tour = new GuidedTour(this);
    return m_tour;
}

void StudioWindow::showAboutMethod()
{
    auto* dialog = findChild<QDialog*>("aboutMethod");
    if (!dialog) {
        dialog = new QDialog(this);
        dialog->setObjectName("aboutMethod");
        dialog->setWindowTitle(tr("About the method"));
        dialog->resize(640, 560);
        auto* layout = new QVBoxLayout(dialog);
        auto* text = new QTextBrowser(dialog);
        text->setHtml(aboutTheMethod());
        layout->addWidget(text);
        auto* close = new QPushButton(tr("Close"), dialog);
        connect(close, &QPushButton::clicked, dialog, &QDialog::close);
        layout->addWidget(close, 0, Qt::AlignRight);
    }
    dialog->show();
    dialog->raise();
}

SummaryCard* StudioWindow::showSummary()
{
    if (!m_summary)
        m_summary = new SummaryCard(m_controller, this);
    m_summary->show();
    m_summary->raise();
    m_summary->evaluateNewest();
    return m_summary;
}

void StudioWindow::raisePanel(Panel* panel)
{
    for (QWidget* widget = panel; widget; widget = widget->parentWidget())
        if (auto* dock = qobject_cast<QDockWidget*>(widget)) {
            dock->show();
            dock->raise();
            return;
        }
}

void StudioWindow::showLab()
{
    raisePanel(m_lab);
    m_network->showLab();
}

Panel* StudioWindow::panel(const QString& name) const
{
    for (Panel* p : m_panels)
        if (p->name() == name)
            return p;
    return nullptr;
}

void StudioWindow::createStatusBar()
{
    m_stateLabel = new QLabel(this);
    m_stateLabel->setObjectName("stateLabel");
    m_iterationLabel = new QLabel(this);
    m_rateLabel = new QLabel(this);
    m_rateLabel->setObjectName("rateLabel");
    m_memoryLabel = new QLabel(this);
    m_redrawLabel = new QLabel(this);
    m_redrawLabel->setToolTip(tr("Time the panels took for their last redraw (the UI redraws at most 30 times a second)"));
    for (QLabel* label : {m_stateLabel, m_iterationLabel, m_rateLabel, m_memoryLabel, m_redrawLabel})
        statusBar()->addPermanentWidget(label);
    updateStatus();
}

void StudioWindow::updateStatus()
{
    m_stateLabel->setText(m_controller->stateText());
    const std::int64_t total = m_controller->totalIterations();
    m_iterationLabel->setText(total > 0 ? tr("iteration %L1 / %L2").arg(m_controller->iteration()).arg(total)
                                        : tr("iteration %L1").arg(m_controller->iteration()));
    const QString device = m_controller->trainingDevice();
    m_rateLabel->setText(m_controller->state() == StudioState::Training
                             ? tr("%1 it/s on %2, ETA %3").arg(m_controller->iterationsPerSecond(), 0, 'f', 1)
                                   .arg(device.isEmpty() ? tr("…") : device)
                                   .arg(formatDuration(m_controller->etaSeconds()))
                             : QString());
    m_rateLabel->setToolTip(tr("Training speed, the device it runs on (training.device) and how its step is computed"));
    m_memoryLabel->setText(tr("memory %1 MB").arg(residentBytes() / 1e6, 0, 'f', 0));
    std::vector<double> times;
    for (Panel* p : m_panels)
        if (p->isVisible() && p->redrawCount() > 0)
            times.push_back(p->lastRedrawMs());
    m_redrawMs = 0.0;
    for (double t : times)
        m_redrawMs += t;
    m_redrawLabel->setText(tr("redraw %1 ms").arg(m_redrawMs, 0, 'f', 1));
}

void StudioWindow::showError(const QString& message)
{
    statusBar()->showMessage(message, 15000);
    auto* box = new QMessageBox(QMessageBox::Warning, tr("Plexus"), message, QMessageBox::Ok, this);
    box->setObjectName("errorBox");
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setModal(false);
    box->show();
}

bool StudioWindow::newRunFromPreset(const QString& preset, const QString& runDir)
{
    const QString folder = runDir.isEmpty() ? freshRunFolder(defaultRunsFolder() + "/" + preset) : runDir;
    QString error;
    try {
        const ConfigLoadResult loaded = loadPreset(preset.toStdString());
        if (m_controller->newRun(loaded.config, folder, &error)) {
            addRecentRun(m_controller->runDir());
            return true;
        }
    } catch (const std::exception& e) {
        error = QString::fromStdString(e.what());
    }
    showError(error);
    return false;
}

bool StudioWindow::importRecording(const QString& source, const QString& format, double rate, const QString& runDir)
{
    RecordingOptions options;
    options.format = format.isEmpty() ? RecordingImportJob::guessFormat(source.toStdString()) : format.toStdString();
    options.rate = rate;
    if (options.format.empty()) {
        showError(tr("%1: which format is it? Plexus reads suite2p folders and .nwb, .csv, .npy, .h5 files "
                     "(plexus-cli import has more options: docs/recordings.md).")
                      .arg(source));
        return false;
    }
    const QString name = QFileInfo(source).completeBaseName().isEmpty() ? QString("recording")
                                                                          : QFileInfo(source).completeBaseName();
    const QString folder = runDir.isEmpty() ? freshRunFolder(defaultRunsFolder() + "/" + name) : runDir;
    RecordingImportJob job(source.toStdString(), options, folder.toStdString());
    QProgressDialog progress(tr("Importing %1…").arg(QFileInfo(source).fileName()), tr("Stop"), 0, 1000, this);
    progress.setWindowModality(Qt::WindowModal);
    progress.setMinimumDuration(300);
    job.start();
    while (job.state() == RecordingImportJob::State::Running) {
        progress.setValue(static_cast<int>(1000 * job.fraction()));
        QCoreApplication::processEvents(QEventLoop::AllEvents, 30);
        if (progress.wasCanceled())
            job.stop();
        QThread::msleep(20);
    }
    progress.reset();
    if (job.state() == RecordingImportJob::State::Stopped)
        return false;
    if (job.state() != RecordingImportJob::State::Finished) {
        showError(QString::fromStdString(job.errorMessage()));
        return false;
    }
    const RecordingSummary summary = job.summary();
    if (!openRun(folder))
        return false;
    statusBar()->showMessage(tr("Imported %1 neurons (of %2) × %3 frames at %4 Hz (%5): no ground truth; press Train")
                                 .arg(summary.neuronsKept)
                                 .arg(summary.neuronsRead)
                                 .arg(summary.frames)
                                 .arg(summary.rate, 0, 'g', 4)
                                 .arg(QString::fromStdString(summary.rateSource)),
                             20000);
    return true;
}

QString StudioWindow::freshRunFolder(const QString& base)
{
    QString folder = base;
    for (int k = 2; QFileInfo::exists(QString::fromStdString(RunFolder(folder.toStdString()).configPath())); ++k)
        folder = base + "-" + QString::number(k);
    return folder;
}

bool StudioWindow::reproduce(const QString& experiment, const QString& runDir)
{
    const QString folder =
        runDir.isEmpty() ? freshRunFolder(defaultRunsFolder() + "/reproduce/" + experiment) : runDir;
    QString error;
    try {
        const ReproductionPlan plan = planReproduction(experiment.toStdString());
        if (m_controller->reproduce(plan, folder, &error)) {
            addRecentRun(m_controller->runDir());
            statusBar()->showMessage(tr("Reproducing %1 with its %2 recipe: simulate, train, evaluate")
                                         .arg(experiment, QString::fromStdString(plan.variantName)),
                                     15000);
            return true;
        }
    } catch (const std::exception& e) {
        error = QString::fromStdString(e.what());
    }
    showError(error);
    return false;
}

void StudioWindow::showReproduction()
{
    const auto result = m_controller->reproductionResult();
    if (!result)
        return;
    auto* dialog = new ReproductionDialog(
        *result, QString::fromStdString(m_controller->runFolder().reproductionPath()), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show(); // not modal: the panels stay open to inspect what was learned
}

bool StudioWindow::openRun(const QString& runDir)
{
    QString error;
    if (!m_controller->openRun(runDir, &error)) {
        showError(error);
        return false;
    }
    addRecentRun(m_controller->runDir());
    return true;
}

bool StudioWindow::saveRunAs(const QString& runDir)
{
    saveLayout();
    QString error;
    if (!m_controller->saveRunAs(runDir, &error)) {
        showError(error);
        return false;
    }
    addRecentRun(m_controller->runDir());
    return true;
}

void StudioWindow::addRecentRun(const QString& runDir)
{
    QSettings settings;
    QStringList recent = settings.value("recentRuns").toStringList();
    recent.removeAll(runDir);
    recent.prepend(runDir);
    while (recent.size() > 10)
        recent.removeLast();
    settings.setValue("recentRuns", recent);
    fillRecentMenu();
}

void StudioWindow::useDefaultLayout()
{
    m_rememberLayout = false;
    m_layoutRestored = false;
    resize(defaultSize());
    restoreState(m_defaultLayout);
}

void StudioWindow::saveLayout()
{
    if (!m_rememberLayout)
        return;
    QSettings settings;
    settings.setValue("layout", saveState());
    settings.setValue("geometry", saveGeometry());
    if (!m_controller->runDir().isEmpty()) {
        QFile file(layoutFile());
        if (file.open(QIODevice::WriteOnly))
            file.write(saveState());
    }
}

void StudioWindow::restoreLayout()
{
    QSettings settings;
    if (settings.contains("geometry"))
        restoreGeometry(settings.value("geometry").toByteArray());
    if (settings.contains("layout"))
        m_layoutRestored = restoreState(settings.value("layout").toByteArray());
}

QString StudioWindow::layoutFile() const
{
    return QString::fromStdString(m_controller->runFolder().layoutPath());
}

void StudioWindow::closeEvent(QCloseEvent* event)
{
    saveLayout();
    if (m_movie->recording()) { // a movie being recorded is written, not lost
        QString error;
        m_movie->stop(&error);
    }
    m_controller->stop(); // a request: the controller's end saves the checkpoint without waiting for a roll-out
    event->accept();
}

} // namespace plexus::ui
