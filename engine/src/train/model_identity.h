#pragma once

// Private to the engine: what a checkpoint was made for, so a checkpoint of another experiment is refused before
// anything is loaded or written (docs/training.md, "Checkpoints").
#include "plexus/config/experiment_config.h"
#include "plexus/data/dataset.h"

#include <cstdint>
#include <string>

namespace plexus {

/// One "key=value" line per structural setting: neurons, types, stimulus receivers, every graph_model key and
/// the training keys that change the model's tensors (learned Ω*, low-rank W). Two checkpoints with the same
/// identity have parameters of the same shapes and meaning.
std::string modelIdentity(const ExperimentConfig& config, const Dataset& data);

/// FNV-1a 64-bit hash of an identity text.
std::int64_t identityHash(const std::string& identity);

/// The lines in which two identities differ, as "key: checkpoint A, this run B; …" ("" when they agree).
std::string identityDifferences(const std::string& saved, const std::string& current);

} // namespace plexus
