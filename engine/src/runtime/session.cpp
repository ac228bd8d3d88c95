#include "plexus/runtime/session.h"

#include "plexus/analysis/learned_equations.h"

#include "plexus/analysis/clustering.h"
#include "plexus/analysis/matrix_view.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace plexus {

namespace {

using Clock = std::chrono::steady_clock;

constexpr std::int64_t kMaxCurveNeurons = 1024;
constexpr int kCurveSamples = 200;

} // namespace

const char* sessionStateName(SessionState state)
{
    switch (state) {
    case SessionState::Idle: return "idle";
    case SessionState::Running: return "training";
    case SessionState::Paused: return "paused";
    case SessionState::Finished: return "finished";
    case SessionState::Stopped: return "stopped";
    case SessionState::Failed: return "failed";
    }
    return "";
}

Session::Session(ExperimentConfig config, std::shared_ptr<const Dataset> data, SessionOptions options)
    : m_config(std::move(config)), m_data(std::move(data)), m_options(std::move(options)),
      m_goal(m_options.stopAtConnectivityR2, m_options.stopSlopeSettled)
{
}

Session::~Session()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopRequested = true;
        m_closing = true; // nobody will look at a roll-out now: leave as soon as the checkpoint is saved
    }
    interruptSearch();
    m_wake.notify_all();
    if (m_worker.joinable())
        m_worker.join();
}

void Session::start()
{
    std::lock_guard lock(m_mutex);
    if (m_worker.joinable() || m_state != SessionState::Idle)
        return;
    m_state = SessionState::Running;
    m_worker = std::thread([this] { run(); });
}

void Session::pause()
{
    std::lock_guard lock(m_mutex);
    m_paused = true;
}

void Session::resume()
{
    {
        std::lock_guard lock(m_mutex);
        m_paused = false;
        m_stepBudget = 0;
    }
    interruptSearch();
    m_wake.notify_all();
}

void Session::step(int count)
{
    {
        std::lock_guard lock(m_mutex);
        m_paused = true;
        m_stepBudget += std::max(1, count);
    }
    interruptSearch();
    m_wake.notify_all();
}

void Session::stop()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopRequested = true;
    }
    interruptSearch();
    m_wake.notify_all();
}

bool Session::stopRequested() const
{
    std::lock_guard lock(m_mutex);
    return m_stopRequested;
}

bool Session::pauseRequested() const
{
    std::lock_guard lock(m_mutex);
    return m_paused && m_stepBudget == 0;
}

bool Session::ended() const
{
    const SessionState s = m_state.load();
    return s == SessionState::Finished || s == SessionState::Stopped || s == SessionState::Failed;
}

std::vector<std::string> Session::takeNotices()
{
    std::vector<std::string> taken;
    std::lock_guard lock(m_mutex);
    taken.swap(m_notices);
    return taken;
}

std::string Session::errorMessage() const
{
    std::lock_guard lock(m_mutex);
    return m_error;
}

std::vector<TrainingMetrics> Session::takeMetrics()
{
    std::vector<TrainingMetrics> taken;
    std::lock_guard lock(m_mutex);
    taken.swap(m_metrics);
    return taken;
}

std::shared_ptr<const Snapshot> Session::latestSnapshot() const
{
    std::lock_guard lock(m_mutex);
    return m_snapshot;
}

void Session::setStateCallback(std::function<void(SessionState)> callback)
{
    std::lock_guard lock(m_mutex);
    m_callback = std::move(callback);
}

void Session::setState(SessionState state)
{
    if (m_state.exchange(state) == state)
        return;
    std::function<void(SessionState)> callback;
    {
        std::lock_guard lock(m_mutex);
        callback = m_callback;
    }
    if (callback)
        callback(state);
}

void Session::run()
{
    try {
        TrainingOptions options = m_options.training;
        options.stopRequested = [this] { return stopRequested(); }; // a Stop also ends a refit under way
        Trainer trainer(m_config, m_data, options);
        m_xnorm = trainer.activityScale();
        {
            std::lock_guard lock(m_mutex);
            m_device = trainer.deviceName();
            m_stepKernel = trainer.stepKernel();
        }
        if (m_options.resume) {
            const ResumeResult resumed = trainer.resume();
            std::lock_guard lock(m_mutex);
            for (const std::string& skipped : resumed.skipped)
                m_notices.push_back("passed over a damaged checkpoint: " + skipped);
        }
        m_total = trainer.totalIterations();
        m_iteration = trainer.iteration();
        publish(trainer, trainer.measure(), true, true); // shown, not recorded: metrics.csv already has this row
        train(trainer);
    } catch (const std::exception& e) {
        {
            std::lock_guard lock(m_mutex);
            m_error = e.what();
        }
        setState(SessionState::Failed);
    }
}

void Session::train(Trainer& trainer)
{
    auto lastSnapshot = Clock::now(), lastCurves = Clock::now(), lastTypes = Clock::now();
    bool goal = false;
    while (!trainer.finished() && !goal) {
        {
            std::unique_lock lock(m_mutex);
            if (m_paused && m_stepBudget == 0 && !m_stopRequested) {
                m_interruptSearch = false; // under the lock: a resume from now on interrupts the search below
                lock.unlock();
                // Paused (also after a Step): every view shows this very iteration.
                const auto shown = latestSnapshot();
                if (!shown || shown->iteration != trainer.iteration() || shown->typesIteration != trainer.iteration()) {
                    publish(trainer, trainer.measure(), true, true);
                    lastSnapshot = lastCurves = lastTypes = Clock::now();
                }
                publishRollout(trainer);
                setState(SessionState::Paused);
                publishEquations(trainer);
                lock.lock();
                for (;;) { // paused: wake to go on, or only to draw the curves of a neuron just asked for
                    m_wake.wait(lock, [this] { return !m_paused || m_stepBudget > 0 || m_stopRequested || m_curvesWanted; });
                    if (!m_paused || m_stepBudget > 0 || m_stopRequested)
                        break;
                    m_curvesWanted = false;
                    lock.unlock();
                    publish(trainer, trainer.measure(), true, false);
                    lock.lock();
                }
            }
            if (m_stopRequested)
                break;
            if (m_stepBudget > 0)
                --m_stepBudget;
        }
        setState(SessionState::Running);
        const auto before = Clock::now();
        trainer.step();
        m_iteration = trainer.iteration();
        const auto now = Clock::now();
        const bool metricsDue = trainer.iteration() % m_options.metricsEvery == 0 || trainer.finished();
        const bool snapshotDue = std::chrono::duration<double>(now - lastSnapshot).count() >= m_options.snapshotSeconds;
        const bool goalDue = m_options.stopAtConnectivityR2 > 0 && trainer.iteration() % m_options.goalEvery == 0;
        TrainingMetrics metrics;
        if (metricsDue || snapshotDue || goalDue) {
            metrics = trainer.measure();
            if (metricsDue)
                recordMetrics(trainer, metrics);
            bool wanted = false;
            {
                std::lock_guard lock(m_mutex);
                std::swap(wanted, m_curvesWanted);
            }
            const bool curves =
                wanted || std::chrono::duration<double>(now - lastCurves).count() >= m_options.curveSeconds;
            const bool types = curves && std::chrono::duration<double>(now - lastTypes).count() >= m_options.typesSeconds;
            publish(trainer, metrics, curves, types);
            lastSnapshot = now;
            if (curves)
                lastCurves = now;
            if (types)
                lastTypes = now;
        }
        m_trainingSeconds += std::chrono::duration<double>(Clock::now() - before).count();
        goal = goalReached(trainer, goalDue ? &metrics : nullptr);
        if (goal && !metricsDue)
            recordMetrics(trainer, trainer.measure()); // metrics.csv ends on the iteration training ended at
    }
    bool stopAsked = false;
    {
        std::lock_guard lock(m_mutex);
        stopAsked = m_stopRequested;
    }
    const bool refit = !stopAsked && trainer.finishTraining(); // W's least-squares value for the final φ*, ψ*
    if (refit)
        recordMetrics(trainer, trainer.measure());
    if (!m_options.training.runDir.empty())
        trainer.saveCheckpoint();
    bool closing = false;
    {
        std::lock_guard lock(m_mutex);
        closing = m_closing;
        if (!closing)
            m_interruptSearch = false; // a Stop asked for the end, not to skip its formulas; closing interrupts
    }
    if (!closing) {
        // The views end on the very model the checkpoint holds, with evaluate's numbers for it.
        const auto shown = latestSnapshot();
        if (refit || !shown || shown->iteration != trainer.iteration() || shown->typesIteration != trainer.iteration())
            publish(trainer, trainer.measure(), true, true);
        publishRollout(trainer);
    }
    const bool finished = trainer.finished() || goal;
    if (finished && !closing && m_options.evaluateAtEnd) {
        auto evaluation = std::make_shared<const Evaluation>(
            evaluate(trainer.model(), *m_data, m_config, m_options.evaluationRolloutFrames));
        std::lock_guard lock(m_mutex);
        m_evaluation = std::move(evaluation);
    }
    setState(finished ? SessionState::Finished : SessionState::Stopped);
    if (!closing)
        publishEquations(trainer); // after the state: a finished run shows everything else at once
}

void Session::recordMetrics(Trainer& trainer, const TrainingMetrics& metrics)
{
    trainer.recordMetrics(metrics);
    std::lock_guard lock(m_mutex);
    m_metrics.push_back(metrics);
    if (m_metrics.size() > m_options.metricsCapacity)
        m_metrics.erase(m_metrics.begin(), m_metrics.begin() + (m_metrics.size() - m_options.metricsCapacity));
}

bool Session::goalReached(const Trainer& trainer, const TrainingMetrics* measured)
{
    std::string notice;
    if (measured) {
        if (m_goal.check(trainer, *measured))
            notice = m_goal.notice(static_cast<long long>(trainer.iteration()));
    }
    if (notice.empty() && m_options.budgetSeconds > 0 && m_trainingSeconds >= m_options.budgetSeconds)
        notice = "time budget reached: training ended at iteration " + std::to_string(trainer.iteration());
    if (notice.empty())
        return false;
    std::lock_guard lock(m_mutex);
    m_notices.push_back(notice);
    return true;
}

std::string Session::deviceName() const
{
    std::lock_guard lock(m_mutex);
    return m_device;
}

std::string Session::stepKernel() const
{
    std::lock_guard lock(m_mutex);
    return m_stepKernel;
}

std::shared_ptr<const Evaluation> Session::evaluation() const
{
    std::lock_guard lock(m_mutex);
    return m_evaluation;
}

void Session::showCurvesOf(std::int64_t neuron)
{
    const auto shown = latestSnapshot();
    std::lock_guard lock(m_mutex);
    m_focusNeuron = neuron;
    const bool drawn = shown && std::find(shown->curveNeurons.begin(), shown->curveNeurons.end(), neuron) !=
                                    shown->curveNeurons.end();
    if (!drawn && neuron >= 0) {
        m_curvesWanted = true;
        m_wake.notify_all();
    }
}

void Session::publish(Trainer& trainer, const TrainingMetrics& metrics, bool withCurves, bool withTypes)
{
    auto snapshot = std::make_shared<Snapshot>();
    const LearnedModel& model = trainer.model();
    const std::int64_t n = model.neurons();
    snapshot->iteration = trainer.iteration();
    snapshot->metrics = metrics;
    snapshot->learningRates = trainer.learningRates();
    snapshot->latents = model.latents();
    std::shared_ptr<const Snapshot> previous = latestSnapshot();
    if (withCurves || !previous) {
        const auto& xlim = m_config.plotting.xlim;
        snapshot->curveSamples = Eigen::VectorXf::LinSpaced(kCurveSamples, static_cast<float>(xlim[0]), static_cast<float>(xlim[1]));
        const std::int64_t shown = std::min(n, kMaxCurveNeurons);
        for (std::int64_t k = 0; k < shown; ++k)
            snapshot->curveNeurons.push_back(k * n / shown);
        std::int64_t focus = -1;
        {
            std::lock_guard lock(m_mutex);
            focus = m_focusNeuron;
        }
        const auto& drawn = snapshot->curveNeurons;
        if (focus >= 0 && focus < n && std::find(drawn.begin(), drawn.end(), focus) == drawn.end())
            snapshot->curveNeurons.push_back(focus); // the selected neuron, beyond the evenly spread ones
        snapshot->updateCurves = model.updateCurves(snapshot->curveSamples, snapshot->curveNeurons);
        snapshot->transferCurves = model.transferCurves(snapshot->curveSamples, snapshot->curveNeurons);
        snapshot->transferScale = transferScales(model, m_config, m_xnorm);
        snapshot->curvesGeneration = -1; // set below, to this snapshot's generation
    } else {
        snapshot->curvesGeneration = previous->curvesGeneration;
        snapshot->transferScale = previous->transferScale;
        snapshot->curveSamples = previous->curveSamples;
        snapshot->curveNeurons = previous->curveNeurons;
        snapshot->updateCurves = previous->updateCurves;
        snapshot->transferCurves = previous->transferCurves;
    }
    if (withTypes || !previous) {
        snapshot->clusters = recoverTypes(model, m_config, m_xnorm); // evaluate's method, not a copy of it
        snapshot->typesIteration = snapshot->iteration;
        if (model.hasStimulusField()) {
            snapshot->stimulus = std::make_shared<const StimulusComparison>(compareStimulus(model, *m_data));
            snapshot->stimulusIteration = snapshot->iteration;
        }
        if (m_data->types.size() == snapshot->clusters.size())
            snapshot->types = scoreTypes(m_data->types, snapshot->clusters);
        else
            snapshot->types.clusters = clusterCount(snapshot->clusters);
    } else {
        snapshot->clusters = previous->clusters;
        snapshot->types = previous->types;
        snapshot->typesIteration = previous->typesIteration;
        snapshot->stimulus = previous->stimulus;
        snapshot->stimulusIteration = previous->stimulusIteration;
    }
    // The corrected W and its view are made here, on the training thread, not by the UI.
    auto corrected = std::make_shared<Eigen::MatrixXf>(correctedConnectivity(model.connectivity(), snapshot->transferScale));
    if (m_data->connectivity.size() == corrected->size()) {
        snapshot->connectivityFit = fitLine(m_data->connectivity.data(), corrected->data(), corrected->size());
        snapshot->hasConnectivityFit = true;
    }
    snapshot->connectivityBlock = viewBlockSize(n);
    snapshot->connectivity = blockAverage(*corrected, snapshot->connectivityBlock);
    snapshot->connectivityFull = std::move(corrected);
    if (previous) {
        snapshot->rollout = previous->rollout;
        snapshot->rolloutIteration = previous->rolloutIteration;
        snapshot->equations = previous->equations; // the formulas of the last pause stay until the next
        snapshot->equationsIteration = previous->equationsIteration;
    }
    std::lock_guard lock(m_mutex);
    snapshot->generation = ++m_generation;
    if (snapshot->curvesGeneration < 0)
        snapshot->curvesGeneration = snapshot->generation;
    m_snapshot = std::move(snapshot);
}

void Session::interruptSearch()
{
    m_interruptSearch = true;
}

void Session::publishEquations(Trainer& trainer)
{
    const std::shared_ptr<const Snapshot> previous = latestSnapshot();
    if (!m_options.equations || !previous || previous->equationsIteration == trainer.iteration() ||
        m_interruptSearch)
        return;
    m_searchingEquations = true;
    auto curves = std::make_shared<std::vector<CurveEquation>>();
    try {
        *curves = learnedCurves(trainer.model(), *m_data, m_config);
        Progress progress;
        progress.stopRequested = &m_interruptSearch;
        fitEquations(*curves, learnedCurveSearchOptions(), progress);
    } catch (const std::exception& e) {
        // The formulas are an extra view: a model whose curves cannot be written (e.g. not finite) says so and
        // training goes on (or stays finished) as it was.
        m_searchingEquations = false;
        std::lock_guard lock(m_mutex);
        m_notices.push_back(std::string("no formulas for the learned functions: ") + e.what());
        return;
    }
    m_searchingEquations = false;
    if (m_interruptSearch)
        return; // given way: formulas of a model that is changing again would be stale at once
    auto snapshot = std::make_shared<Snapshot>(*latestSnapshot());
    snapshot->equations = std::move(curves);
    snapshot->equationsIteration = trainer.iteration();
    std::lock_guard lock(m_mutex);
    snapshot->generation = ++m_generation;
    m_snapshot = std::move(snapshot);
}

void Session::publishRollout(Trainer& trainer)
{
    std::shared_ptr<const Snapshot> previous = latestSnapshot();
    const bool hasTruth = m_data->typeParameters.rows() > 0 && m_data->connectivity.rows() == m_data->neurons();
    if (!previous || m_options.rolloutFrames <= 0 || !hasTruth || previous->rolloutIteration == trainer.iteration())
        return;
    auto snapshot = std::make_shared<Snapshot>(*previous);
    snapshot->rollout = std::make_shared<RolloutTraces>(rolloutTraces(trainer.model(), *m_data, m_options.rolloutFrames));
    snapshot->rolloutIteration = trainer.iteration();
    std::lock_guard lock(m_mutex);
    snapshot->generation = ++m_generation;
    m_snapshot = std::move(snapshot);
}

} // namespace plexus
