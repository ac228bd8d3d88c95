// RunController: opening, creating and copying run folders (their lock, the switch of every view to them).
#include "studio/run_controller.h"

#include "studio/run_folder_io.h"

#include "plexus/config/config_loader.h"
#include "plexus/train/metrics_file.h"

#include <QCoreApplication>
#include <QDir>

namespace plexus::ui {

namespace {

QString qs(const std::string& s) { return QString::fromStdString(s); }

} // namespace

bool RunController::holdsLock(const QString& runDir) const
{
    return m_lock && QDir(QString::fromStdString(m_lock->runDir())).absolutePath() == QDir(runDir).absolutePath();
}

std::unique_ptr<RunFolderLock> RunController::lockFor(const QString& runDir, QString* error) const
{
    try {
        return RunFolderLock::acquire(QDir(runDir).absolutePath().toStdString(),
                                      "Plexus Studio (pid " + std::to_string(QCoreApplication::applicationPid()) + ")");
    } catch (const std::exception& e) {
        *error = qs(e.what());
        return nullptr;
    }
}

bool RunController::newRun(const ExperimentConfig& config, const QString& runDir, QString* error)
{
    try {
        validateConfig(config);
    } catch (const std::exception& e) {
        *error = qs(e.what());
        return false;
    }
    const QString absolute = QDir(runDir).absolutePath();
    if (!QDir().mkpath(absolute)) {
        *error = runDir + ": cannot create the run folder";
        return false;
    }
    std::unique_ptr<RunFolderLock> lock;
    if (!holdsLock(absolute) && !(lock = lockFor(absolute, error)))
        return false; // another process works there: the open run stays as it is
    try {
        saveConfigFile(config, RunFolder(absolute.toStdString()).configPath());
    } catch (const std::exception& e) {
        *error = qs(e.what());
        return false;
    }
    stopWork();
    if (lock)
        m_lock = std::move(lock);
    switchTo(absolute, config, {});
    return true;
}

bool RunController::reproduce(const ReproductionPlan& plan, const QString& runDir, QString* error)
{
    if (!newRun(plan.config, runDir, error))
        return false;
    m_reproduction = std::make_unique<ReproductionPlan>(plan);
    m_reproductionClock.start();
    train(); // simulates first when the folder has no matching data
    return true;
}

bool RunController::openRun(const QString& runDir, QString* error)
{
    const RunFolder target(runDir.toStdString());
    if (!target.hasConfig()) {
        *error = runDir + ": not a Plexus run folder (no config.yaml in it)";
        return false;
    }
    ExperimentConfig config;
    std::vector<TrainingMetrics> history;
    m_modelOutdated = false;
    try {
        config = loadConfigFile(target.configPath()).config;
        history = readMetricsFile(target.metricsPath());
    } catch (const std::exception& e) {
        *error = qs(e.what());
        return false;
    }
    const QString absolute = QDir(runDir).absolutePath();
    std::unique_ptr<RunFolderLock> lock;
    if (!holdsLock(absolute) && !(lock = lockFor(absolute, error)))
        return false; // busy: the message names the process that holds it
    stopWork();
    if (lock)
        m_lock = std::move(lock);
    switchTo(absolute, config, std::move(history));
    if (m_dataset && folder().hasCheckpoint())
        startSession(true, true); // restores the learned model's views, paused
    return true;
}

void RunController::switchTo(const QString& runDir, const ExperimentConfig& config, std::vector<TrainingMetrics> history)
{
    m_runDir = runDir;
    m_config = config;
    m_reproduction.reset(); // another run: no reproduction to finish (reproduce() sets its own after)
    m_reproductionResult.reset();
    m_history = std::move(history);
    m_snapshot.reset();
    m_dataset.reset();
    m_datasetStale = false;
    const bool haveData = loadDatasetIfMatching();
    m_datasetStale = !haveData && folder().hasDataset();
    Q_EMIT runDirChanged();
    Q_EMIT configChanged();
    Q_EMIT datasetChanged();
    Q_EMIT snapshotChanged();
    Q_EMIT metricsAppended();
    refreshState();
    Q_EMIT stateChanged(); // also when the state is unchanged: the stale-data text may have changed
}

bool RunController::saveRunAs(const QString& runDir, QString* error)
{
    if (QDir(runDir).absolutePath() == m_runDir) {
        *error = runDir + " is the run's own folder";
        return false;
    }
    if (RunFolder(runDir.toStdString()).hasConfig()) {
        // Copying over another run would mix its checkpoints and metrics with this one's.
        *error = runDir + " already holds a run; choose a new or empty folder";
        return false;
    }
    if (!QDir().mkpath(runDir)) {
        *error = runDir + ": cannot create the folder";
        return false;
    }
    std::unique_ptr<RunFolderLock> lock = lockFor(runDir, error);
    if (!lock)
        return false; // the open run stays as it is
    const QString source = m_runDir;
    stopWork(); // its checkpoint is saved before copying
    if (!copyRunFolder(source, runDir, error)) {
        QString ignored;
        openRun(source, &ignored); // back to the run as it was (still ours)
        return false;
    }
    m_lock = std::move(lock);
    return openRun(runDir, error);
}

} // namespace plexus::ui
