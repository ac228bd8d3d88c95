#pragma once

// Private to the engine: the refusal of a model that cannot fit in memory.
#include "plexus/train/trainer.h"

namespace plexus {

/// Throws InputError naming the parts and the keys to reduce when training `config` on `neurons` neurons needs more
/// than 80 % of the memory available (estimateTrainingMemory).
void checkTrainingMemory(const ExperimentConfig& config, std::int64_t neurons);

} // namespace plexus
