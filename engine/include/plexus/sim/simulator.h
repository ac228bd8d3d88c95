#pragma once

#include "plexus/config/experiment_config.h"
#include "plexus/data/dataset.h"
#include "plexus/sim/stimulus.h"
#include "plexus/util/progress.h"

#include <cstdint>
#include <memory>

namespace plexus {

/// Bytes a simulation of `config` holds in memory (activity, derivative, stimulus, W).
std::int64_t estimateSimulationBytes(const ExperimentConfig& config);

/// The parts of that estimate, in bytes (doubles: absurd sizes must not overflow).
struct SimulationMemory
{
    double activity = 0, stimulus = 0, connectivity = 0;
    double total() const { return activity + stimulus + connectivity; }
};
SimulationMemory estimateSimulationMemory(const ExperimentConfig& config);

/// Throws InputError naming the parts and the keys to reduce when the simulation cannot fit in free memory.
void checkSimulationMemory(const ExperimentConfig& config);

/// Runs the ground-truth generator of docs/method.md §A: types, positions, W, external input, then explicit Euler from
/// u(0) = 5·ξ over steps start_frame..n_frames, saving the state and its exact derivative F(u) (before the noise
/// kick) at every step ≥ 0. Reproducible: the same config gives bit-identical data.
/// Throws InputError (bad config, movie, not enough memory, divergence) or CancelledError (progress.shouldStop()).
/// The external input simulate() draws for `config` (the same random stream: the same seed gives the same input),
/// or nullptr for external_input_type none. InputError when a movie cannot be loaded.
std::unique_ptr<Stimulus> simulationStimulus(const SimulationConfig& config);

/// The state a simulation of `config` starts from before its warm-up: u(0) = 5·ξ from the run's own random stream
/// (docs/method.md §A.3), [N].
Eigen::VectorXf initialActivity(const SimulationConfig& config);

Dataset simulate(const ExperimentConfig& config, const Progress& progress = {});

} // namespace plexus
