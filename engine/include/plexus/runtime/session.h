#pragma once

#include "plexus/analysis/curve_equation.h"
#include "plexus/analysis/evaluation.h"
#include "plexus/analysis/linear_fit.h"
#include "plexus/analysis/stimulus_recovery.h"
#include "plexus/analysis/type_recovery.h"
#include "plexus/train/connectivity_goal.h"
#include "plexus/train/trainer.h"

#include <Eigen/Core>

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace plexus {

enum class SessionState { Idle, Running, Paused, Finished, Stopped, Failed };
const char* sessionStateName(SessionState state);

/// An immutable picture of the model for display, built on the worker thread (display-sized: W decimated to at
/// most 512², curves of every neuron up to 1024 (else 1024 spread evenly) on 200 samples).
struct Snapshot
{
    std::int64_t generation = 0;
    std::int64_t iteration = 0;
    Eigen::MatrixXf latents;               ///< [N, d]
    /// The learned W made comparable with the true W: ψ*-corrected, W*_ij · upper_j / g (docs/method.md §D.1), [N, N]
    /// (for the scatter, a neuron's row, export); shared, not copied between snapshots of the same step.
    std::shared_ptr<const Eigen::MatrixXf> connectivityFull;
    Eigen::MatrixXf connectivity;          ///< that W block-averaged to ≤ 512 × 512 (display view)
    std::int64_t connectivityBlock = 1;    ///< neurons per block of that view
    Eigen::VectorXf curveSamples;          ///< [200] over plotting.xlim
    std::vector<std::int64_t> curveNeurons; ///< which neurons the curve rows belong to
    Eigen::MatrixXf updateCurves;          ///< φ* [neurons shown, 200]
    Eigen::MatrixXf transferCurves;        ///< ψ* [neurons shown, 200]
    std::int64_t curvesGeneration = 0;     ///< generation at which the curves were computed
    /// ψ* normalisation upper_n of every neuron [N], refreshed with the curves (used for the corrected W); the same
    /// computation as `plexus-cli evaluate` (transferScales).
    Eigen::VectorXf transferScale;
    /// The corrected W against the true W (R², slope): evaluate's "corrected" fit; absent without a true W.
    LinearFit connectivityFit;
    bool hasConnectivityFit = false;
    /// Neuron types found without ground truth [N] (recoverTypes, as `plexus-cli evaluate`), and how they match the
    /// true types (zeros without them): refreshed every SessionOptions::typesSeconds while training, and for the very
    /// iteration at a pause, a stop or the end (typesIteration says which).
    std::vector<std::int32_t> clusters;
    TypeRecovery types;
    std::int64_t typesIteration = -1;
    TrainingMetrics metrics;               ///< the latest metrics row
    std::vector<std::pair<std::string, double>> learningRates; ///< per optimiser group, now
    /// The learned model's roll-out from frame 0 next to the noise-free truth, computed whenever training
    /// pauses, stops or finishes (nullptr before; may be older than `iteration`, see rolloutIteration).
    std::shared_ptr<const RolloutTraces> rollout;
    std::int64_t rolloutIteration = -1;
    /// The learned functions as formulas (learnedCurves + fitEquations, docs/equations.md), searched after the
    /// roll-out whenever training pauses, stops or finishes (nullptr before; equationsIteration says for which).
    std::shared_ptr<const std::vector<CurveEquation>> equations;
    std::int64_t equationsIteration = -1;
    /// The learned stimulus field Ω* next to the true one at 100 frames (compareStimulus, as `plexus-cli evaluate`),
    /// refreshed with the types; nullptr when the model learns no field.
    std::shared_ptr<const StimulusComparison> stimulus;
    std::int64_t stimulusIteration = -1;
};

struct SessionOptions
{
    TrainingOptions training;
    std::int64_t metricsEvery = 100;  ///< iterations between metrics rows
    double snapshotSeconds = 0.1;     ///< minimum time between snapshots
    double curveSeconds = 1.0;        ///< minimum time between curve evaluations (the costly part)
    double typesSeconds = 10.0;       ///< minimum time between type recoveries while training (k-means over k)
    std::size_t metricsCapacity = 10000;
    bool resume = false;              ///< continue from the newest checkpoint of training.runDir
    std::int64_t rolloutFrames = 400; ///< roll-out length computed at pauses and at the end (0: none)
    /// Goals that end training early, as Finished (a reproduction recipe's, docs/reproduction.md):
    double stopAtConnectivityR2 = 0.0; ///< > 0: once the live W R² reaches it 3 times in a row in the last phase
    double stopSlopeSettled = 0.0;     ///< > 0: and once the corrected W slope has settled (ConnectivityGoal)
    std::int64_t goalEvery = 2500;     ///< iterations between those W R² checks
    double budgetSeconds = 0.0;        ///< > 0: once this much training time has passed (pauses not counted)
    /// Evaluate the model (as `plexus-cli evaluate`, roll-out of evaluationRolloutFrames) when training finishes,
    /// on the worker thread, before the state becomes Finished (Session::evaluation).
    bool evaluateAtEnd = false;
    std::int64_t evaluationRolloutFrames = 1000;
    /// Search formulas for the learned functions at pauses and at the end (Snapshot::equations). The search runs on
    /// the worker while it is paused or done and gives way at once to resume, step, stop or closing.
    bool equations = true;
};

/// Training on its own thread (ARCHITECTURE §3): commands in (start, pause, resume, step, stop), metrics and
/// snapshots out. The UI pulls takeMetrics() and latestSnapshot() at its own pace; no call blocks on training.
/// An exception in the worker becomes the Failed state with its message. stop() is a request (the worker saves a
/// checkpoint, computes the roll-out and ends on its own); the destructor stops without the roll-out and joins.
class Session
{
public:
    Session(ExperimentConfig config, std::shared_ptr<const Dataset> data, SessionOptions options = {});
    ~Session();
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    void start();              ///< starts training (from Idle); no effect otherwise
    void pause();
    void resume();
    void step(int count = 1);  ///< while paused: runs `count` more iterations, then pauses again
    /// Asks the worker to stop after the current iteration (checkpoint saved when a run folder is set); returns at
    /// once. The state becomes Stopped (or Finished) when the worker has ended.
    void stop();
    bool stopRequested() const;
    /// Whether a pause is asked for and no Step is pending (the worker pauses, or already has).
    bool pauseRequested() const;
    /// Whether the worker has ended (Finished, Stopped or Failed): a new Session is needed to train further.
    bool ended() const;
    /// Messages for the user since the last call (e.g. a damaged checkpoint passed over on resume).
    std::vector<std::string> takeNotices();

    SessionState state() const { return m_state.load(); }
    std::string errorMessage() const;
    /// The device training runs on ("cpu", "cuda:0"; "" before the worker has made its trainer).
    std::string deviceName() const;
    /// How its step is computed ("cpu kernels", "autograd (…)"; "" before the worker has made its trainer).
    std::string stepKernel() const;
    std::int64_t iteration() const { return m_iteration.load(); }
    /// Whether the worker is searching formulas for the learned functions now (while paused or after the end).
    bool searchingEquations() const { return m_searchingEquations.load(); }
    std::int64_t totalIterations() const { return m_total.load(); }

    /// Metrics rows since the last call (bounded: the oldest are dropped beyond metricsCapacity).
    std::vector<TrainingMetrics> takeMetrics();
    /// The newest snapshot (nullptr before the first one).
    std::shared_ptr<const Snapshot> latestSnapshot() const;
    /// The evaluation made at the end (SessionOptions::evaluateAtEnd), nullptr before or without it.
    std::shared_ptr<const Evaluation> evaluation() const;
    /// Includes `neuron`'s φ*/ψ* curves in the snapshots from now on (beyond the at most 1024 drawn for a large
    /// network: the neuron a user selected), drawn at once while paused, with the next curves while training.
    void showCurvesOf(std::int64_t neuron);
    /// Called on the worker thread at every state change (keep it short; post to the UI thread from it).
    void setStateCallback(std::function<void(SessionState)> callback);

private:
    void run();
    void train(Trainer& trainer);
    void publish(Trainer& trainer, const TrainingMetrics& metrics, bool withCurves, bool withTypes);
    void publishRollout(Trainer& trainer);
    /// The formula search of SessionOptions::equations for this iteration, unless one is already shown; stops early
    /// (and publishes nothing) when m_interruptSearch is set.
    void publishEquations(Trainer& trainer);
    /// Makes a running formula search give way (resume, step, stop, closing).
    void interruptSearch();
    /// Whether a goal of SessionOptions (W R² plateau, time budget) ends training now; says which in a notice.
    /// `measured`: the metrics of this iteration when the W R² check is due, else nullptr.
    bool goalReached(const Trainer& trainer, const TrainingMetrics* measured);
    void recordMetrics(Trainer& trainer, const TrainingMetrics& metrics);
    void setState(SessionState state);

    ExperimentConfig m_config;
    std::shared_ptr<const Dataset> m_data;
    SessionOptions m_options;
    double m_xnorm = 1.0;

    std::thread m_worker;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_paused = false;
    bool m_stopRequested = false;
    bool m_closing = false;
    std::vector<std::string> m_notices;
    int m_stepBudget = 0;
    bool m_curvesWanted = false;            ///< a neuron's curves were asked for: publish curves soon
    std::int64_t m_focusNeuron = -1;        ///< showCurvesOf's neuron (guarded by m_mutex)
    std::atomic<SessionState> m_state{SessionState::Idle};
    std::atomic<bool> m_interruptSearch{false};
    std::atomic<bool> m_searchingEquations{false};
    std::atomic<std::int64_t> m_iteration{0};
    std::atomic<std::int64_t> m_total{0};
    std::string m_error;
    std::string m_device;
    std::string m_stepKernel;
    std::vector<TrainingMetrics> m_metrics;
    std::shared_ptr<const Snapshot> m_snapshot;
    std::shared_ptr<const Evaluation> m_evaluation;
    ConnectivityGoal m_goal{0.0};
    double m_trainingSeconds = 0.0;
    std::int64_t m_generation = 0;
    std::function<void(SessionState)> m_callback;
};

} // namespace plexus
