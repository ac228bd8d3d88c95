#include "training_loop.h"

#include "commands.h"

#include "plexus/train/connectivity_goal.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace plexus::cli {

std::string metricsText(const TrainingMetrics& m, bool groundTruth)
{
    char text[160];
    if (!groundTruth) {
        std::snprintf(text, sizeof text, "loss %.4g  clusters %d", m.loss.total, m.clusters);
        return text;
    }
    std::snprintf(text, sizeof text, "loss %.4g  W R² %.3f  slope %.3f  clusters %d", m.loss.total, m.connectivityR2,
                  m.connectivitySlope, m.clusters);
    return text;
}

namespace {

/// How much of the training is done: of its iterations, or of its time budget where that ends it first.
double fractionDone(const Trainer& trainer, const LoopOptions& options, std::chrono::steady_clock::time_point start)
{
    const double total = static_cast<double>(std::max<std::int64_t>(1, trainer.totalIterations()));
    double fraction = static_cast<double>(trainer.iteration()) / total;
    if (options.budgetSeconds > 0) {
        const double spent = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        fraction = std::max(fraction, spent / options.budgetSeconds);
    }
    return fraction;
}

} // namespace

LoopResult runTrainingLoop(Trainer& trainer, const LoopOptions& options, ProgressLine& line)
{
    using Clock = std::chrono::steady_clock;
    const auto start = Clock::now();
    LoopResult result;
    ConnectivityGoal goal(options.stopAtConnectivityR2, options.stopSlopeSettled);
    while (!trainer.finished()) {
        if (g_stopRequested) {
            result.end = LoopEnd::Stopped;
            break;
        }
        if (options.budgetSeconds > 0 &&
            std::chrono::duration<double>(Clock::now() - start).count() >= options.budgetSeconds) {
            result.end = LoopEnd::Budget;
            break;
        }
        trainer.step();
        if (trainer.iteration() % options.metricsEvery == 0 || trainer.finished()) {
            result.last = trainer.measure();
            trainer.recordMetrics(result.last);
            line.setExtra(metricsText(result.last, options.groundTruth));
            if (goal.check(trainer, result.last)) {
                result.end = LoopEnd::Plateau;
                result.goalNotice = goal.notice(static_cast<long long>(trainer.iteration()));
                break;
            }
        }
        line("training", trainer.iteration(), trainer.totalIterations(), fractionDone(trainer, options, start));
    }
    const bool refit = result.end != LoopEnd::Stopped && trainer.finishTraining();
    if (refit || result.last.iteration != trainer.iteration()) {
        result.last = trainer.measure();
        if (result.end != LoopEnd::Stopped)
            trainer.recordMetrics(result.last);
    }
    trainer.saveCheckpoint();
    line.finish();
    return result;
}

} // namespace plexus::cli
