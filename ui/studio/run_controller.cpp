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
    case StudioState::Ready: return m_modelOutdated ? "ready (model trained with older settings: train from scratch)"
                                                    : "ready to train";
    case StudioState::Training: return "training";
    case StudioState::Paused: return m_modelOutdated ? "paused (trained with older settings)" : "paused";
    case StudioState::Stopping: return "stopping (saving a checkpoint)";
    case StudioState::Finished: return m_modelOutdated ? "finished (trained with older settings)" : "finished";
    case StudioState::Stopped: return m_modelOutdated ? "stopped (trained with older settings)" : "stopped";
    case StudioState::Failed: return "failed";
    }
    return {};
}

QString RunController::editConsequence(const ExperimentConfig& config) const
{
    const bool busy = m_state == StudioState::Simulating || m_state == StudioState::Training ||
                      m_state == StudioState::Paused;
    if (!busy && m_dataset && differsIn(config, m_config, FieldEffect::Simulation)) // busy: setConfig refuses
        return tr("This change needs a new simulation. The current data and what was learned from it are cleared "
                  "from the panels (the trained model's checkpoints are kept in a previous-… folder of the run when "
                  "you press Simulate).");
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

QString RunController::trainingDevice() const
{
    if (!m_session || m_session->deviceName().empty())
        return {};
    return qs(m_session->deviceName()) + ", " + qs(m_session->stepKernel());
}

StudioState RunController::deriveState() const
{
    if (m_simulation)
        return StudioState::Simulating;
    if (m_session) {
        if (m_session->stopRequested() && !m_session->ended())
            return StudioState::Stopping;
        switch (m_session->state()) {
        case SessionState::Idle:
        case SessionState::Running: return StudioState::Training; // Paused once the worker has paused, not before
        case SessionState::Paused: return StudioState::Paused;
        case SessionState::Finished: return StudioState::Finished;
        case SessionState::Stopped: return StudioState::Stopped;
        case SessionState::Failed: return StudioState::Failed;
        }
    }
    return m_dataset ? StudioState::Ready : StudioState::NoData;
}

void RunController::refreshState()
{
    setState(deriveState());
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
    // Leaving the run (another run, Save As, closing): the session's destructor saves a checkpoint and ends
    // without the roll-out nobody will look at.
    m_trainAfterSimulation = false;
    if (m_simulation)
        m_simulation->stop();
    m_simulation.reset();
    m_session.reset();
    m_failureReported = false;
}

bool RunController::loadDatasetIfMatching()
{
    const QString path = QString::fromStdString(folder().datasetPath());
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
    m_trueTransferScales = m_dataset ? plexus::trueTransferScales(*m_dataset, m_config, m_xnorm) : Eigen::VectorXf();
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
    try {
        if (!m_runDir.isEmpty())
            saveConfigFile(config, folder().configPath());
    } catch (const std::exception& e) {
        *error = qs(e.what());
        return false;
    }
    m_config = config;
    if (m_dataset) // the normalisation range or statistic may have changed
        m_trueTransferScales = plexus::trueTransferScales(*m_dataset, m_config, m_xnorm);
    if (simulationChange && m_dataset) {
        // Everything drawn from the old data is stale at once: the data, the model, its W, scores and losses.
        m_session.reset();
        m_dataset.reset();
        m_snapshot.reset();
        m_history.clear();
        m_datasetStale = true;
        m_modelOutdated = false;
        Q_EMIT datasetChanged();
        Q_EMIT snapshotChanged();
        Q_EMIT metricsAppended();
        refreshState();
        Q_EMIT stateChanged();
    } else if (trainingChange && (m_snapshot || !m_history.empty())) {
        m_modelOutdated = true; // still shown, labelled: Train from scratch applies the new settings
        Q_EMIT stateChanged();
    }
    Q_EMIT configChanged();
    return true;
}

void RunController::simulate()
{
    if (m_state == StudioState::Simulating || m_runDir.isEmpty())
        return;
    m_session.reset();
    m_failureReported = false;
    m_lastError.clear();
    try {
        folder().archiveTraining(); // the old model belongs to the old data
    } catch (const std::exception& e) {
        refreshState();
        return fail(qs(e.what()));
    }
    m_snapshot.reset();
    m_history.clear();
    m_modelOutdated = false;
    m_simulation = std::make_unique<SimulationJob>(m_config, folder().datasetPath());
    m_simulation->start();
    refreshState();
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
    options.curveSeconds = large ? 5.0 : 1.0; // φ*/ψ* of up to 1024 neurons + ψ* scales of all
    // Type recovery scans k-means over k: up to ~1 s at N = 1000 while no types stand apart yet (early training).
    options.typesSeconds = large ? 30.0 : 10.0;
    options.resume = resume;
    if (m_reproduction) {
        options.training.iterations = m_reproduction->iterations();
        options.stopAtConnectivityR2 = m_reproduction->variant.stopAtConnectivityR2;
        options.stopSlopeSettled = m_reproduction->variant.stopSlopeSettled;
        options.goalEvery = m_reproduction->variant.metricsEvery;
        options.budgetSeconds = m_reproduction->budgetSeconds();
        options.evaluateAtEnd = true;
    }
    m_session = std::make_unique<Session>(m_config, m_dataset, options);
    m_failureReported = false;
    if (paused)
        m_session->pause();
    m_session->start();
    restartRate();
    refreshState();
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
    if (m_session && m_session->stopRequested() && !m_session->ended())
        return; // still saving its checkpoint: Train is enabled again once it has
    if (m_session && !m_session->ended())
        return resume(); // a session still loading (a reopened run about to pause) counts as running
    m_session.reset();
    m_lastError.clear();
    startSession(folder().hasCheckpoint(), false);
}

void RunController::trainFromScratch()
{
    if (!m_dataset || m_state == StudioState::Simulating)
        return;
    m_session.reset(); // saves its checkpoint first, so the archive holds the whole earlier training
    m_failureReported = false;
    try {
        folder().archiveTraining();
    } catch (const std::exception& e) {
        refreshState();
        return fail(qs(e.what()));
    }
    m_history.clear();
    m_snapshot.reset();
    m_modelOutdated = false;
    Q_EMIT metricsAppended();
    Q_EMIT snapshotChanged();
    startSession(false, false);
}

void RunController::showCurvesOf(int neuron)
{
    if (m_session && !m_session->ended())
        m_session->showCurvesOf(neuron);
}

void RunController::pause()
{
    if (m_session && !m_session->ended() && !m_session->stopRequested())
        m_session->pause();
    refreshState();
}

void RunController::resume()
{
    if (!m_session || m_session->ended())
        return train();
    if (m_session->stopRequested())
        return;
    m_session->resume();
    restartRate();
    refreshState();
}

void RunController::restartRate()
{
    m_rateClock.restart();
    m_rateIteration = -1;
    m_rate = 0.0;
}

void RunController::step()
{
    if (m_state == StudioState::Simulating || m_state == StudioState::Stopping || m_state == StudioState::Finished)
        return;
    if (m_session && !m_session->ended()) {
        m_session->step(1);
    } else if (m_dataset) {
        // After Stop (or before any training) the worker has ended: a new one continues from the checkpoint.
        m_session.reset();
        startSession(folder().hasCheckpoint(), true);
        m_session->step(1);
    }
    refreshState();
}

void RunController::stop()
{
    if (m_simulation) {
        m_simulation->stop();
        m_simulation.reset();
        m_trainAfterSimulation = false;
    } else if (m_session && !m_session->ended()) {
        m_session->stop(); // a request: the worker saves its checkpoint and ends; poll() sees it
    }
    refreshState();
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
        refreshState();
        if (m_trainAfterSimulation) {
            m_trainAfterSimulation = false;
            train();
        }
    } else {
        m_trainAfterSimulation = false;
        refreshState();
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
    for (const std::string& notice : m_session->takeNotices())
        Q_EMIT noticeOccurred(qs(notice));
    updateRate();
    refreshState();
    if (m_reproduction && m_session->state() == SessionState::Finished && m_session->evaluation())
        finishReproduction();
    if (m_session->state() == SessionState::Failed && !m_failureReported) {
        m_failureReported = true;
        fail("Training stopped: " + qs(m_session->errorMessage()));
    }
    Q_EMIT progressChanged();
}

void RunController::finishReproduction()
{
    const std::unique_ptr<ReproductionPlan> plan = std::move(m_reproduction);
    try {
        const double seconds = static_cast<double>(m_reproductionClock.elapsed()) / 1000.0;
        m_reproductionResult = std::make_shared<const ReproductionResult>(recordReproduction(
            *plan, *m_session->evaluation(), static_cast<int>(m_dataset->typeParameters.rows()), folder(), seconds,
            m_session->iteration(), m_session->deviceName()));
    } catch (const std::exception& e) {
        return fail("Reproduction: " + qs(e.what()));
    }
    Q_EMIT reproductionFinished();
}

void RunController::updateRate()
{
    const bool running = m_session->state() == SessionState::Running && !m_session->pauseRequested();
    if (!running) {
        restartRate(); // paused, stopping, ended: no rate, and a fresh baseline when it runs again
        return;
    }
    if (m_rateIteration < 0) {
        m_rateIteration = m_session->iteration();
        m_rateClock.restart();
        return;
    }
    const double elapsed = static_cast<double>(m_rateClock.elapsed()) / 1000.0;
    if (elapsed < 1.0)
        return;
    const std::int64_t now = m_session->iteration();
    const double rate = static_cast<double>(now - m_rateIteration) / elapsed;
    m_rate = m_rate > 0 ? 0.7 * m_rate + 0.3 * rate : rate;
    m_rateIteration = now;
    m_rateClock.restart();
}

} // namespace plexus::ui
