#include "studio/run_controller.h"

#include "studio/run_folder_io.h"

#include "plexus/analysis/evaluation.h"
#include "plexus/config/config_loader.h"
#include "plexus/config/config_schema.h"
#include "plexus/data/dataset_file.h"
#include "plexus/train/metrics_file.h"

#include <QDir>
#include <QFileInfo>

namespace plexus::ui {

namespace {

constexpr std::size_t kHistoryCapacity = 200000;

/// The config's keys whose change needs `effect` (a new simulation or a new training).
bool differsIn(const ExperimentConfig& a, const ExperimentConfig& b, FieldEffect effect)
{
    for (const ConfigField& field : configSchema())
        if (field.effect == effect && formatValue(field.get(a)) != formatValue(field.get(b)))
            return true;
    return false;
}

QString qs(const std::string& s) { return QString::fromStdString(s); }

} // namespace

RunController::RunController(QObject* parent) : QObject(parent)
{
    m_timer.setInterval(33);
    connect(&m_timer, &QTimer::timeout, this, &RunController::poll);
    m_timer.start();
}

RunController::~RunController()
{
    stopWork();
}

QString RunController::stateText() const
{
    switch (m_state) {
    case StudioState::NoData: return m_datasetStale ? "settings changed: simulate again" : "no data: simulate";
    case StudioState::Simulating: return "simulating";
    case StudioState::Ready: return "ready to train";
    case StudioState::Training: return "training";
    case StudioState::Paused: return "paused";
    case StudioState::Finished: return "finished";
    case StudioState::Stopped: return "stopped";
    case StudioState::Failed: return "failed";
    }
    return {};
}

double RunController::simulationFraction() const
{
    return m_simulation ? m_simulation->fraction() : 0.0;
}

std::int64_t RunController::iteration() const
{
    if (m_session)
        return m_session->iteration();
    return m_history.empty() ? 0 : m_history.back().iteration;
}

std::int64_t RunController::totalIterations() const
{
    return m_session ? m_session->totalIterations() : 0;
}

double RunController::etaSeconds() const
{
    const std::int64_t left = totalIterations() - iteration();
    return m_rate > 0 && left > 0 ? static_cast<double>(left) / m_rate : 0.0;
}

void RunController::setState(StudioState state)
{
    if (state == m_state)
        return;
    m_state = state;
    Q_EMIT stateChanged();
}

void RunController::fail(const QString& message)
{
    m_lastError = message;
    Q_EMIT errorOccurred(message);
}

void RunController::stopWork()
{
    m_trainAfterSimulation = false;
    if (m_simulation)
        m_simulation->stop();
    m_simulation.reset();
    if (m_session)
        m_session->stop();
    m_session.reset();
}

bool RunController::newRun(const ExperimentConfig& config, const QString& runDir, QString* error)
{
    try {
        validateConfig(config);
    } catch (const std::exception& e) {
        *error = qs(e.what());
        return false;
    }
    if (!QDir().mkpath(runDir)) {
        *error = runDir + ": cannot create the run folder";
        return false;
    }
    stopWork();
    m_runDir = QDir(runDir).absolutePath();
    m_config = config;
    m_history.clear();
    m_snapshot.reset();
    try {
        saveConfigFile(m_config, configPathOf(m_runDir).toStdString());
    } catch (const std::exception& e) {
        *error = qs(e.what());
        return false;
    }
    m_dataset.reset();
    m_datasetStale = false;
    loadDatasetIfMatching();
    Q_EMIT runDirChanged();
    Q_EMIT configChanged();
    Q_EMIT datasetChanged();
    Q_EMIT snapshotChanged();
    Q_EMIT metricsAppended();
    setState(m_dataset ? StudioState::Ready : StudioState::NoData);
    Q_EMIT stateChanged(); // also when the state is unchanged: the stale-data text may have changed
    return true;
}

bool RunController::loadDatasetIfMatching()
{
    const QString path = datasetPathOf(m_runDir);
    if (!QFileInfo::exists(path))
        return false;
    try {
        auto data = std::make_shared<Dataset>(loadDataset(path.toStdString()));
        if (!data->configYaml.empty()) {
            const ConfigLoadResult made = loadConfigText(data->configYaml, path.toStdString(), m_runDir.toStdString());
            if (differsIn(made.config, m_config, FieldEffect::Simulation))
                return false; // made from other settings: simulate again
        }
        setDataset(std::move(data));
        return true;
    } catch (const std::exception& e) {
        fail(qs(e.what()));
        return false;
    }
}

void RunController::setDataset(std::shared_ptr<const Dataset> data)
{
    m_dataset = std::move(data);
    m_datasetStale = false;
    m_xnorm = m_dataset ? plexus::activityScale(*m_dataset) : 1.0;
}

bool RunController::openRun(const QString& runDir, QString* error)
{
    const QString configPath = configPathOf(runDir);
    if (!QFileInfo::exists(configPath)) {
        *error = runDir + ": not a Plexus run folder (no config.yaml in it)";
        return false;
    }
    ExperimentConfig config;
    std::vector<TrainingMetrics> history;
    try {
        config = loadConfigFile(configPath.toStdString()).config;
        history = readMetricsFile(metricsPathOf(runDir).toStdString());
    } catch (const std::exception& e) {
        *error = qs(e.what());
        return false;
    }
    stopWork();
    m_runDir = QDir(runDir).absolutePath();
    m_config = config;
    m_history = std::move(history);
    m_snapshot.reset();
    m_dataset.reset();
    const bool haveData = loadDatasetIfMatching();
    m_datasetStale = !haveData && QFileInfo::exists(datasetPathOf(m_runDir));
    Q_EMIT runDirChanged();
    Q_EMIT configChanged();
    Q_EMIT datasetChanged();
    Q_EMIT snapshotChanged();
    Q_EMIT metricsAppended();
    setState(haveData ? StudioState::Ready : StudioState::NoData);
    if (haveData && hasCheckpoint(m_runDir))
        startSession(true, true); // restores the learned model's views, paused
    return true;
}

bool RunController::saveRunAs(const QString& runDir, QString* error)
{
    if (QDir(runDir).absolutePath() == m_runDir) {
        *error = runDir + " is the run's own folder";
        return false;
    }
    stopWork();
    if (!copyRunFolder(m_runDir, runDir, error))
        return false;
    return openRun(runDir, error);
}

bool RunController::setConfig(const ExperimentConfig& config, QString* error)
{
    try {
        validateConfig(config);
    } catch (const std::exception& e) {
        *error = qs(e.what());
        return false;
    }
    const bool simulationChange = differsIn(config, m_config, FieldEffect::Simulation);
    const bool trainingChange = differsIn(config, m_config, FieldEffect::Training);
    const bool busy = m_state == StudioState::Simulating || m_state == StudioState::Training ||
                      m_state == StudioState::Paused;
    if (busy && (simulationChange || trainingChange)) {
        *error = "stop the current work first: this change needs a new " +
                 QString(simulationChange ? "simulation" : "training");
        return false;
    }
    m_config = config;
    try {
        if (!m_runDir.isEmpty())
            saveConfigFile(m_config, configPathOf(m_runDir).toStdString());
    } catch (const std::exception& e) {
        *error = qs(e.what());
        return false;
    }
    if (simulationChange && m_dataset) {
        m_session.reset();
        m_dataset.reset();
        m_datasetStale = true;
        Q_EMIT datasetChanged();
        setState(StudioState::NoData);
        Q_EMIT stateChanged();
    }
    Q_EMIT configChanged();
    return true;
}

void RunController::simulate()
{
    if (m_state == StudioState::Simulating || m_runDir.isEmpty())
        return;
    if (m_session)
        m_session->stop();
    m_session.reset();
    m_snapshot.reset();
    m_history.clear();
    m_lastError.clear();
    QString error;
    if (!archiveTraining(m_runDir, &error)) // the old model belongs to the old data
        return fail(error);
    m_simulation = std::make_unique<SimulationJob>(m_config, datasetPathOf(m_runDir).toStdString());
    m_simulation->start();
    setState(StudioState::Simulating);
    Q_EMIT snapshotChanged();
    Q_EMIT metricsAppended();
}

void RunController::startSession(bool resume, bool paused)
{
    SessionOptions options;
    options.training.runDir = m_runDir.toStdString();
    // Dense enough for live loss and R² curves; measuring costs an N² pass over W.
    const bool large = m_dataset->neurons() > 500;
    options.metricsEvery = large ? 100 : 20;
    // Each snapshot copies W and fits it (N²) on the training thread: fewer of them for large networks.
    options.snapshotSeconds = large ? 0.5 : 0.2;
    options.curveSeconds = large ? 5.0 : 1.0; // φ*/ψ* of 256 neurons + ψ* scales of all: ~0.2 s at N = 1000
    options.resume = resume;
    m_session = std::make_unique<Session>(m_config, m_dataset, options);
    if (paused)
        m_session->pause();
    m_session->start();
    m_rateClock.restart();
    m_rateIteration = 0;
    m_rate = 0.0;
    setState(paused ? StudioState::Paused : StudioState::Training);
}

void RunController::train()
{
    if (m_state == StudioState::Simulating || m_runDir.isEmpty())
        return;
    if (!m_dataset) {
        simulate();
        m_trainAfterSimulation = true;
        return;
    }
    if (m_state == StudioState::Finished)
        return trainFromScratch();
    if (m_session) {
        const SessionState state = m_session->state();
        // A session still loading (e.g. a reopened run about to pause) counts as running: clear its pause.
        if (state == SessionState::Paused || state == SessionState::Running || state == SessionState::Idle)
            return resume();
    }
    m_session.reset();
    m_lastError.clear();
    startSession(hasCheckpoint(m_runDir), false);
}

void RunController::trainFromScratch()
{
    if (!m_dataset || m_state == StudioState::Simulating)
        return;
    if (m_session)
        m_session->stop();
    m_session.reset();
    QString error;
    if (!archiveTraining(m_runDir, &error))
        return fail(error);
    m_history.clear();
    m_snapshot.reset();
    Q_EMIT metricsAppended();
    Q_EMIT snapshotChanged();
    startSession(false, false);
}

void RunController::pause()
{
    if (m_session)
        m_session->pause();
}

void RunController::resume()
{
    if (!m_session)
        return train();
    m_session->resume();
    m_rateClock.restart();
    m_rateIteration = m_session->iteration();
}

void RunController::step()
{
    if (m_session)
        m_session->step(1);
    else if (m_dataset) {
        startSession(hasCheckpoint(m_runDir), true);
        m_session->step(1);
    }
}

void RunController::stop()
{
    if (m_simulation) {
        m_simulation->stop();
        m_simulation.reset();
        m_trainAfterSimulation = false;
        setState(m_dataset ? StudioState::Ready : StudioState::NoData);
        return;
    }
    if (m_session) {
        m_session->stop(); // saves a checkpoint, joins
        pollSession();
    }
}

void RunController::poll()
{
    if (m_simulation)
        pollSimulation();
    if (m_session)
        pollSession();
}

void RunController::pollSimulation()
{
    Q_EMIT progressChanged();
    const SimulationJob::State state = m_simulation->state();
    if (state == SimulationJob::State::Running)
        return;
    std::unique_ptr<SimulationJob> job = std::move(m_simulation);
    job->stop();
    if (state == SimulationJob::State::Finished) {
        setDataset(job->result());
        Q_EMIT datasetChanged();
        setState(StudioState::Ready);
        if (m_trainAfterSimulation) {
            m_trainAfterSimulation = false;
            train();
        }
    } else {
        m_trainAfterSimulation = false;
        setState(m_dataset ? StudioState::Ready : StudioState::NoData);
        if (state == SimulationJob::State::Failed)
            fail("Simulation failed: " + qs(job->errorMessage()));
    }
}

void RunController::pollSession()
{
    std::vector<TrainingMetrics> rows = m_session->takeMetrics();
    if (!rows.empty()) {
        // A resumed run re-measures its checkpoint iteration: keep the history strictly increasing.
        for (const TrainingMetrics& row : rows)
            if (m_history.empty() || row.iteration > m_history.back().iteration)
                m_history.push_back(row);
        if (m_history.size() > kHistoryCapacity)
            m_history.erase(m_history.begin(), m_history.begin() + static_cast<long>(m_history.size() - kHistoryCapacity));
        Q_EMIT metricsAppended();
    }
    std::shared_ptr<const Snapshot> snapshot = m_session->latestSnapshot();
    if (snapshot && (!m_snapshot || snapshot->generation != m_snapshot->generation)) {
        m_snapshot = std::move(snapshot);
        Q_EMIT snapshotChanged();
    }
    const double elapsed = m_rateClock.elapsed() / 1000.0;
    if (elapsed >= 1.0) {
        const std::int64_t now = m_session->iteration();
        const double rate = static_cast<double>(now - m_rateIteration) / elapsed;
        m_rate = m_session->state() == SessionState::Running ? (m_rate > 0 ? 0.7 * m_rate + 0.3 * rate : rate) : 0.0;
        m_rateIteration = now;
        m_rateClock.restart();
    }
    switch (m_session->state()) {
    case SessionState::Idle:
    case SessionState::Running: setState(StudioState::Training); break;
    case SessionState::Paused: setState(StudioState::Paused); break;
    case SessionState::Finished: setState(StudioState::Finished); break;
    case SessionState::Stopped: setState(StudioState::Stopped); break;
    case SessionState::Failed:
        if (m_state != StudioState::Failed) {
            setState(StudioState::Failed);
            fail("Training stopped: " + qs(m_session->errorMessage()));
        }
        break;
    }
    Q_EMIT progressChanged();
}

} // namespace plexus::ui
