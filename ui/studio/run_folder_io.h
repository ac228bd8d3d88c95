#pragma once

#include <QString>

namespace plexus::ui {

/// File names inside a run folder (ARCHITECTURE §6).
QString configPathOf(const QString& runDir);
QString datasetPathOf(const QString& runDir);
QString metricsPathOf(const QString& runDir);
QString layoutPathOf(const QString& runDir);
bool hasCheckpoint(const QString& runDir);

/// Moves checkpoints/, metrics.csv and metrics.json to runDir/previous-<time>/ so a new training starts clean
/// and nothing is lost. Returns false with `error` set when a move fails.
bool archiveTraining(const QString& runDir, QString* error);

/// Copies every file of `from` (recursively) into `to` (created). Returns false with `error` set on failure.
bool copyRunFolder(const QString& from, const QString& to, QString* error);

} // namespace plexus::ui
