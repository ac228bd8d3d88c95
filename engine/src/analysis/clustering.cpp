#include "plexus/analysis/clustering.h"

#include <Eigen/Eigenvalues>

#include <algorithm>
#include <limits>
#include <numeric>
#include <set>

namespace plexus {

namespace {

struct UnionFind
{
    std::vector<std::int64_t> parent;
    explicit UnionFind(std::int64_t n) : parent(static_cast<std::size_t>(n)) { std::iota(parent.begin(), parent.end(), 0); }
    std::int64_t find(std::int64_t x)
    {
        while (parent[x] != x)
            x = parent[x] = parent[parent[x]];
        return x;
    }
    void join(std::int64_t a, std::int64_t b) { parent[find(a)] = find(b); }
};

} // namespace

std::vector<std::int32_t> singleLinkage(const Eigen::MatrixXf& points, double threshold)
{
    const std::int64_t n = points.rows();
    std::vector<std::int32_t> labels(static_cast<std::size_t>(n), 0);
    if (n == 0)
        return labels;
    // Prim's minimum spanning tree; single-linkage clusters = components after cutting edges > threshold.
    std::vector<double> best(static_cast<std::size_t>(n), std::numeric_limits<double>::infinity());
    std::vector<std::int64_t> from(static_cast<std::size_t>(n), -1);
    std::vector<bool> inTree(static_cast<std::size_t>(n), false);
    UnionFind components(n);
    std::int64_t current = 0;
    for (std::int64_t added = 1; added <= n; ++added) {
        inTree[current] = true;
        if (from[current] >= 0 && best[current] <= threshold)
            components.join(current, from[current]);
        std::int64_t next = -1;
        for (std::int64_t j = 0; j < n; ++j) {
            if (inTree[j])
                continue;
            const double d = (points.row(j) - points.row(current)).norm();
            if (d < best[j]) {
                best[j] = d;
                from[j] = current;
            }
            if (next < 0 || best[j] < best[next])
                next = j;
        }
        if (next < 0)
            break;
        current = next;
    }
    std::vector<std::int32_t> rootLabel(static_cast<std::size_t>(n), -1);
    std::int32_t count = 0;
    for (std::int64_t i = 0; i < n; ++i) {
        auto root = components.find(i);
        if (rootLabel[root] < 0)
            rootLabel[root] = count++;
        labels[i] = rootLabel[root];
    }
    return labels;
}

Eigen::MatrixXf minMaxNormalise(const Eigen::MatrixXf& points)
{
    if (points.size() == 0)
        return points;
    const float lo = points.minCoeff(), hi = points.maxCoeff();
    if (hi <= lo)
        return Eigen::MatrixXf::Zero(points.rows(), points.cols());
    return (points.array() - lo) / (hi - lo);
}

Eigen::MatrixXf principalComponents(const Eigen::MatrixXf& rows, int components)
{
    Eigen::MatrixXd centred = rows.cast<double>().rowwise() - rows.cast<double>().colwise().mean();
    Eigen::MatrixXd covariance = centred.transpose() * centred;
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(covariance);
    const int k = std::min<int>(components, static_cast<int>(rows.cols()));
    Eigen::MatrixXd axes = solver.eigenvectors().rightCols(k).rowwise().reverse(); // largest first
    return (centred * axes).cast<float>();
}

int clusterCount(const std::vector<std::int32_t>& labels)
{
    return static_cast<int>(std::set<std::int32_t>(labels.begin(), labels.end()).size());
}

} // namespace plexus
