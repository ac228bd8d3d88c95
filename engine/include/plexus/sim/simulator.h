#pragma once

#include "plexus/config/experiment_config.h"
#include "plexus/data/dataset.h"
#include "plexus/util/progress.h"

#include <cstdint>

namespace plexus {

/// Bytes a simulation of `config` holds in memory (activity, derivative, stimulus, W).
std::int64_t estimateSimulationBytes(const ExperimentConfig& config);

/// Runs the ground-truth generator of SPEC A: types, positions, W, external input, then explicit Euler from
/// u(0) = 5·ξ over steps start_frame..n_frames, saving the state and its exact derivative F(u) (before the noise
/// kick) at every step ≥ 0. Reproducible: the same config gives bit-identical data.
/// Throws InputError (bad config, movie, not enough memory, divergence) or CancelledError (progress.shouldStop()).
Dataset simulate(const ExperimentConfig& config, const Progress& progress = {});

} // namespace plexus
