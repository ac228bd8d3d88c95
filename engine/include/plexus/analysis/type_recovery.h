#pragma once

#include <Eigen/Core>

#include <cstdint>
#include <vector>

namespace plexus {

/// How well found clusters recover the true neuron types (docs/method.md §D.2 and beyond).
struct TypeRecovery
{
    int clusters = 0;
    double accuracyMedianLabel = 0.0; ///< the authors' mapping: each type takes the rounded median cluster label
    double accuracyMatched = 0.0;     ///< optimal one-to-one matching of types and clusters (Hungarian)
    double adjustedRand = 0.0;        ///< adjusted Rand index (1 = identical partitions, ≈ 0 = chance)
};

/// The evaluation clustering of docs/method.md §D.2: latents min–max normalised (one global min/max), single linkage at
/// `threshold` (0.1 in the paper's evaluation).
std::vector<std::int32_t> clusterLatents(const Eigen::MatrixXf& latents, double threshold = 0.1);

double medianLabelAccuracy(const std::vector<std::int32_t>& truth, const std::vector<std::int32_t>& clusters);
double matchedAccuracy(const std::vector<std::int32_t>& truth, const std::vector<std::int32_t>& clusters);
double adjustedRandIndex(const std::vector<std::int32_t>& truth, const std::vector<std::int32_t>& clusters);

TypeRecovery scoreTypes(const std::vector<std::int32_t>& truth, const std::vector<std::int32_t>& clusters);

} // namespace plexus
