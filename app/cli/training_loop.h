#pragma once

#include "progress_line.h"

#include "plexus/train/trainer.h"

#include <cstdint>
#include <string>

namespace plexus::cli {

/// How a command's training loop ends besides finishing its iterations.
struct LoopOptions
{
    std::int64_t metricsEvery = 500;   ///< iterations between measurements (metrics.csv rows)
    double stopAtConnectivityR2 = 0.0; ///< > 0: stop once the live W R² has reached it at 3 measurements in a row (in the last training phase)
    double budgetSeconds = 0.0;        ///< > 0: stop after this much training time (this call)
    bool groundTruth = true;           ///< false (a recording): no W R² to show
    double stopSlopeSettled = 0.0;     ///< > 0: the plateau also needs the corrected W slope settled (ConnectivityGoal)
};

enum class LoopEnd { Finished, Plateau, Budget, Stopped };

struct LoopResult
{
    LoopEnd end = LoopEnd::Finished;
    TrainingMetrics last; ///< the last measurement
    std::string goalNotice; ///< LoopEnd::Plateau: what was reached (ConnectivityGoal::notice)
};

/// Trains until the trainer is finished, the plateau or the time budget is reached, or Ctrl-C; measures and records
/// a metrics row every metricsEvery iterations (and at the end), draws the progress line, and saves a checkpoint at
/// the end whatever ended it. DivergedError passes through.
LoopResult runTrainingLoop(Trainer& trainer, const LoopOptions& options, ProgressLine& line);

/// "loss …  W R² …  slope …  clusters …" (without the W part when there is no true W).
std::string metricsText(const TrainingMetrics& metrics, bool groundTruth = true);

} // namespace plexus::cli
