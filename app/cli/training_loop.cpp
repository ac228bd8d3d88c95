#include "training_loop.h"

#include "commands.h"

#include "plexus/train/connectivity_goal.h"

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
        line("training", trainer.iteration(), trainer.totalIterations());
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
