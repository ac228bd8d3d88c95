#pragma once

#include <QString>

namespace plexus::ui {

/// Copies every file of the run folder `from` (recursively) into `to` (created), leaving out the archives of
/// earlier trainings, the lock and unfinished temporaries. Returns false with `error` set on failure.
bool copyRunFolder(const QString& from, const QString& to, QString* error);

} // namespace plexus::ui
