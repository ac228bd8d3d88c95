#pragma once

#include "plexus/config/experiment_config.h"
#include "plexus/data/dataset.h"
#include "plexus/runtime/reproduction.h"
#include "plexus/runtime/run_folder_lock.h"
#include "plexus/runtime/run_folder.h"
#include "plexus/runtime/session.h"
#include "plexus/runtime/simulation_job.h"

#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <QTimer>

#include <memory>
#include <vector>

namespace plexus::ui {

/// What the Studio is doing; the transport bar enables its buttons from it. Derived in one place
/// (RunController::deriveState) from the engine's own state: the simulation job, the session, the data.
enum class StudioState { NoData, Simulating, Ready, Training, Paused, Stopping, Finished, Stopped, Failed };

/// One open run: its folder (held with a RunFolderLock, so no other process trains in it meanwhile), config,
/// dataset, and the engine work on it (a SimulationJob, then a Session). Pulls progress, metrics and snapshots on
/// a 33 ms timer (≤ 30 Hz) and re-emits them as signals on the UI thread. Engine errors become
/// errorOccurred(message); the controller stays usable. No call blocks on training: Stop is a request.
class RunController : public QObject
{
    Q_OBJECT
public:
    explicit RunController(QObject* parent = nullptr);
    ~RunController() override;

    /// Starts a run in `runDir` (created) with `config`: writes config.yaml; keeps a dataset already there when
    /// it was made from the same simulation settings.
    bool newRun(const ExperimentConfig& config, const QString& runDir, QString* error);
    /// Opens a run folder: config, dataset, metrics history, and the newest checkpoint (views restored, paused).
    bool openRun(const QString& runDir, QString* error);
    /// Starts a reproduction (docs/reproduction.md) in `runDir` (created): a new run of the plan's config that
    /// simulates, trains until the recipe's goal (iterations, W R² plateau), evaluates on the training thread and
    /// writes reproduction.json; reproductionFinished() then. Pause, Stop and Train work as in any run.
    bool reproduce(const ReproductionPlan& plan, const QString& runDir, QString* error);
    /// Whether the open run is a reproduction still to finish.
    bool reproducing() const { return m_reproduction != nullptr; }
    /// The last finished reproduction of the open run (nullptr before).
    std::shared_ptr<const ReproductionResult> reproductionResult() const { return m_reproductionResult; }
    /// Stops the work, copies the run folder to `runDir` and opens the copy.
    bool saveRunAs(const QString& runDir, QString* error);
    QString runDir() const { return m_runDir; }
    /// The open run's files (paths only).
    RunFolder runFolder() const { return RunFolder(m_runDir.toStdString()); }

    const ExperimentConfig& config() const { return m_config; }
    /// Applies an edited config: display changes live; simulation or training changes need the work stopped
    /// (false with `error` otherwise). A simulation change marks the dataset stale.
    bool setConfig(const ExperimentConfig& config, QString* error);
    bool datasetStale() const { return m_datasetStale; }

    std::shared_ptr<const Dataset> dataset() const { return m_dataset; }
    std::shared_ptr<const Snapshot> snapshot() const { return m_snapshot; }
    const std::vector<TrainingMetrics>& history() const { return m_history; }
    /// The learned W comparable with the true W (ψ*-corrected, docs/method.md §D.1; Snapshot::connectivityFull), nullptr
    /// before training.
    std::shared_ptr<const Eigen::MatrixXf> learnedConnectivity() const
    {
        return m_snapshot ? m_snapshot->connectivityFull : nullptr;
    }
    double activityScale() const { return m_xnorm; }
    /// Whether formulas for the learned functions are being searched now (Session::searchingEquations).
    bool searchingEquations() const { return m_session && m_session->searchingEquations(); }

    StudioState state() const { return m_state; }
    QString stateText() const;
    /// What applying `config` would set aside, in plain words ("" when nothing: a display setting, or no data yet):
    /// the Studio asks before a change that needs a new simulation.
    QString editConsequence(const ExperimentConfig& config) const;
    /// Whether the model on screen was trained with training settings that have changed since.
    bool modelFromOlderSettings() const { return m_modelOutdated; }
    double simulationFraction() const;
    std::int64_t iteration() const;
    std::int64_t totalIterations() const;
    double iterationsPerSecond() const { return m_rate; }
    /// Where training runs, e.g. "cpu, cpu kernels" or "cuda:0, autograd" ("" before it has started).
    QString trainingDevice() const;
    double etaSeconds() const;
    /// The last error message ("" when none).
    QString lastError() const { return m_lastError; }
    /// Each true type's ψ normalisation (the engine's trueTransferScales), [K]; empty without ground truth.
    const Eigen::VectorXf& trueTransferScales() const { return m_trueTransferScales; }

public Q_SLOTS:
    void simulate();
    void train();            ///< resumes a paused session, else starts (continuing from a checkpoint if any)
    void trainFromScratch(); ///< keeps the earlier training aside (previous-<time>/) and starts over
    void pause();
    /// The neuron the user selected: its learned curves join the next snapshots when the network is larger than
    /// the curves drawn for every neuron (Session::showCurvesOf); nothing without a training session.
    void showCurvesOf(int neuron);
    void resume();
    void step();
    void stop();
    void poll(); ///< pulls engine state (the timer calls it; tests may too)

Q_SIGNALS:
    void stateChanged();
    void configChanged();
    void datasetChanged();
    void snapshotChanged();
    void metricsAppended();
    void runDirChanged();
    void progressChanged();
    void errorOccurred(const QString& message);
    void noticeOccurred(const QString& message); ///< worth a line in the status bar (e.g. a damaged checkpoint skipped)
    void reproductionFinished(); ///< reproductionResult() holds the table

private:
    StudioState deriveState() const;
    void refreshState();
    void setState(StudioState state);
    bool holdsLock(const QString& runDir) const;
    /// The lock of `runDir`, or nullptr with `error` naming the process that holds it.
    std::unique_ptr<RunFolderLock> lockFor(const QString& runDir, QString* error) const;
    /// Makes `runDir` the open run (its lock already held, the old work stopped) and tells every view.
    void switchTo(const QString& runDir, const ExperimentConfig& config, std::vector<TrainingMetrics> history);
    void restartRate();
    void updateRate();
    RunFolder folder() const { return runFolder(); }
    void fail(const QString& message);
    void setDataset(std::shared_ptr<const Dataset> data);
    void startSession(bool resume, bool paused);
    void stopWork();
    void pollSimulation();
    void pollSession();
    bool loadDatasetIfMatching();
    void finishReproduction();

    QString m_runDir;
    ExperimentConfig m_config;
    std::shared_ptr<const Dataset> m_dataset;
    bool m_datasetStale = false;
    bool m_modelOutdated = false;
    double m_xnorm = 1.0;
    std::unique_ptr<SimulationJob> m_simulation;
    std::unique_ptr<Session> m_session;
    bool m_failureReported = false;
    std::unique_ptr<RunFolderLock> m_lock;
    Eigen::VectorXf m_trueTransferScales;
    bool m_trainAfterSimulation = false;
    std::shared_ptr<const Snapshot> m_snapshot;
    std::unique_ptr<ReproductionPlan> m_reproduction; ///< set while the open run is a reproduction to finish
    std::shared_ptr<const ReproductionResult> m_reproductionResult;
    QElapsedTimer m_reproductionClock;
    std::vector<TrainingMetrics> m_history;
    StudioState m_state = StudioState::NoData;
    QString m_lastError;
    QTimer m_timer;
    QElapsedTimer m_rateClock;
    std::int64_t m_rateIteration = -1; ///< −1: the next poll sets the baseline (no rate from a stale one)
    double m_rate = 0.0;
};

} // namespace plexus::ui
