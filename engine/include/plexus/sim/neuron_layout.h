#pragma once

#include "plexus/sim/rng.h"

#include <Eigen/Core>

#include <cstdint>
#include <vector>

namespace plexus {

/// Neuron types as contiguous blocks (docs/method.md §A.2): neuron i has type min(⌊i / ⌊N/K⌋⌋, K−1), so leftover neurons
/// join the last type. With `shuffle` the same counts are spread over neurons at random.
std::vector<std::int32_t> assignNeuronTypes(std::int64_t nNeurons, std::int64_t nTypes, bool shuffle, Rng& rng);

/// Positions [N, 2] on a sunflower (Vogel) disc of radius 0.5 centred at 0, randomly permuted over neurons.
Eigen::MatrixX2f sunflowerPositions(std::int64_t nNeurons, Rng& rng);

/// Positions for a stimulus experiment (docs/method.md §A.2, fig_3): neurons 0..M−1 on a jittered side×side grid in [0, 1]²
/// (neuron k = r·side + c at (x_c, y_r)); the other N − M on a sunflower scaled by 1/2 and shifted by (0.5, 1.5).
Eigen::MatrixX2f gridAndSunflowerPositions(std::int64_t nNeurons, std::int64_t nGridNeurons, Rng& rng);

} // namespace plexus
