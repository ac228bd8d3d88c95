#pragma once

#include "plexus/config/experiment_config.h"
#include "plexus/sim/rng.h"

#include <Eigen/Core>

namespace plexus {

/// The N^α scaling exponent of Lorentz connectivity (docs/method.md §A.6): 0.7 below 2000 neurons, 0.675 below 4000,
/// 0.67 below 8000, 0.66 up to 8000, 0.5 above.
double lorentzExponent(std::int64_t nNeurons);

/// Entries of |Cauchy| above this are set to zero before scaling (≈ 2.5 % of them).
constexpr double kCauchyTruncation = 25.0;

/// The true connectivity W [N, N] (row i = postsynaptic, column j = presynaptic; message to i is Σ_j W_ij f(u_j)),
/// generated as docs/method.md §A.6: law (connectivity_type), zero diagonal, optional Dale's law, then the filling factor.
Eigen::MatrixXf generateConnectivity(const SimulationConfig& config, Rng& rng);

} // namespace plexus
