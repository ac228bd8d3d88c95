#pragma once

#include "plexus/train/trainer.h"

#include <string>
#include <vector>

namespace plexus {

/// Reads a run's metrics.csv (written by Trainer::measure) back, so a reopened run shows its history.
/// A missing file gives no rows; a malformed row throws InputError naming the file and line.
std::vector<TrainingMetrics> readMetricsFile(const std::string& path);

} // namespace plexus
