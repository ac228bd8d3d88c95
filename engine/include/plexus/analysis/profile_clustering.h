#pragma once

#include "plexus/config/experiment_config.h"
#include "plexus/model/learned_model.h"

#include <Eigen/Core>

#include <cstdint>
#include <vector>

namespace plexus {

/// What the profile clustering found: a label per neuron and how well separated the clusters are.
struct ProfileClusters
{
    std::vector<std::int32_t> labels; ///< [N], 0..clusters−1, numbered by first appearance
    int clusters = 0;
    double separation = 0.0;          ///< the chosen partition's separation (see clusterProfiles; 0 for one cluster)
};

/// Each neuron's function profile [N, 2·samples]: what the neuron does, the basis of type recovery without ground
/// truth (docs/training.md, "Types without ground truth"). φ*_n(u, a_n) on `samples` points over [−xnorm, xnorm],
/// then ψ*_n / upper_n on the same points (the transfer function in units where it saturates at 1, so the
/// connectivity's scale does not enter; for PDE_N2 ψ* is shared and adds nothing).
Eigen::MatrixXf functionProfiles(const LearnedModel& model, const ExperimentConfig& config, double xnorm,
                                 int samples = 64);

/// Neuron types from function profiles [N, F], their number chosen from the data. The profiles are projected on their
/// leading principal components (at most 8, 99.9 % of the variance); k-means++ (a few seeded restarts) is run for
/// k = 2, 3, …; a partition is valid when its clusters stand apart: for every pair of clusters, the distance between
/// their centres is at least `minSeparation` times the sum of their RMS radii (a type cut in two scores about 1 or
/// less), and each has at least 3 neurons. The largest k whose separation is at least 5 wins (fine types that differ
/// little, such as 32 types whose functions differ by one tanh, are not merged into the coarse groups a silhouette
/// would prefer); when no k reaches 5, the best separated valid k (a few poorly trained neurons that split off a type
/// barely pass `minSeparation` and must not win over the types); one cluster when none is valid. Tries every k up to `maxClusters` until one is valid, then stops 10 values of k after the last
/// valid one. Deterministic for a seed.
ProfileClusters clusterProfiles(const Eigen::MatrixXf& profiles, int maxClusters = 64, double minSeparation = 2.0,
                                std::uint64_t seed = 1);

} // namespace plexus
