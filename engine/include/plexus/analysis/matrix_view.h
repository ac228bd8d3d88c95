#pragma once

#include <Eigen/Core>

#include <cstdint>

namespace plexus {

/// Neurons per block so that an N × N matrix shown as blocks fits in `maxView` × `maxView`.
std::int64_t viewBlockSize(std::int64_t n, std::int64_t maxView = 512);

/// The matrix averaged over `block` × `block` tiles (the last tiles may be smaller): a display view of a
/// large W that keeps its structure (block 1: the matrix itself).
Eigen::MatrixXf blockAverage(const Eigen::MatrixXf& matrix, std::int64_t block);

} // namespace plexus
