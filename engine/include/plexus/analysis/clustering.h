#pragma once

#include <Eigen/Core>

#include <cstdint>
#include <vector>

namespace plexus {

/// Single-linkage agglomerative clustering cut at `threshold` (Euclidean; as scipy's fclusterdata with
/// criterion "distance"): points closer than the threshold through any chain share a cluster.
/// points [N, D] → labels 0..C−1, numbered by first appearance. O(N²) time, O(N) memory (Prim's MST).
std::vector<std::int32_t> singleLinkage(const Eigen::MatrixXf& points, double threshold);

/// Scales all coordinates with one global min and max to [0, 1] (the authors' normalisation).
Eigen::MatrixXf minMaxNormalise(const Eigen::MatrixXf& points);

/// Projection of the rows on their first `components` principal axes (centred), [N, components].
Eigen::MatrixXf principalComponents(const Eigen::MatrixXf& rows, int components);

/// Number of distinct labels.
int clusterCount(const std::vector<std::int32_t>& labels);

} // namespace plexus
