#pragma once

#include "plexus/train/trainer.h"

#include <string>
#include <vector>

namespace plexus {

/// The header of metrics.csv (docs/formats.md): eleven fixed columns, then lr_GROUP per optimiser group of `m`.
std::string metricsHeader(const TrainingMetrics& m);
/// One row of metrics.csv, in metricsHeader's order.
std::string metricsRow(const TrainingMetrics& m);

/// Reads a run's metrics.csv (Trainer::recordMetrics) back, so a reopened run shows its history, learning rates
/// included. Columns are found by their header names; files without lr_ columns (older runs) read without rates.
/// A missing file gives no rows; a malformed row throws InputError naming the file and line.
std::vector<TrainingMetrics> readMetricsFile(const std::string& path);

} // namespace plexus
