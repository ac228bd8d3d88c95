#include "plexus/analysis/type_recovery.h"

#include "plexus/analysis/clustering.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace plexus {

namespace {

using Table = std::vector<std::vector<double>>;

/// counts[t][c] = neurons of true type t in cluster c.
Table contingency(const std::vector<std::int32_t>& truth, const std::vector<std::int32_t>& clusters, int& types,
                  int& found)
{
    types = truth.empty() ? 0 : *std::max_element(truth.begin(), truth.end()) + 1;
    found = clusters.empty() ? 0 : *std::max_element(clusters.begin(), clusters.end()) + 1;
    Table counts(static_cast<std::size_t>(types), std::vector<double>(static_cast<std::size_t>(found), 0.0));
    for (std::size_t i = 0; i < truth.size(); ++i)
        counts[truth[i]][clusters[i]] += 1.0;
    return counts;
}

/// Minimum-cost assignment of n rows to distinct columns of an n × m cost matrix, n ≤ m (Hungarian, O(n²m)).
std::vector<int> assignRows(const Table& cost)
{
    const int n = static_cast<int>(cost.size()), m = n ? static_cast<int>(cost[0].size()) : 0;
    const double inf = std::numeric_limits<double>::infinity();
    std::vector<double> u(n + 1), v(m + 1);
    std::vector<int> p(m + 1), way(m + 1);
    for (int i = 1; i <= n; ++i) {
        p[0] = i;
        int j0 = 0;
        std::vector<double> minv(m + 1, inf);
        std::vector<bool> used(m + 1, false);
        do {
            used[j0] = true;
            int i0 = p[j0], j1 = 0;
            double delta = inf;
            for (int j = 1; j <= m; ++j)
                if (!used[j]) {
                    double cur = cost[i0 - 1][j - 1] - u[i0] - v[j];
                    if (cur < minv[j]) {
                        minv[j] = cur;
                        way[j] = j0;
                    }
                    if (minv[j] < delta) {
                        delta = minv[j];
                        j1 = j;
                    }
                }
            for (int j = 0; j <= m; ++j)
                if (used[j]) {
                    u[p[j]] += delta;
                    v[j] -= delta;
                } else {
                    minv[j] -= delta;
                }
            j0 = j1;
        } while (p[j0] != 0);
        do {
            int j1 = way[j0];
            p[j0] = p[j1];
            j0 = j1;
        } while (j0);
    }
    std::vector<int> rowToColumn(n, -1);
    for (int j = 1; j <= m; ++j)
        if (p[j] > 0)
            rowToColumn[p[j] - 1] = j - 1;
    return rowToColumn;
}

double choose2(double x)
{
    return x * (x - 1.0) / 2.0;
}

} // namespace

std::vector<std::int32_t> clusterLatents(const Eigen::MatrixXf& latents, double threshold)
{
    return singleLinkage(minMaxNormalise(latents), threshold);
}

double medianLabelAccuracy(const std::vector<std::int32_t>& truth, const std::vector<std::int32_t>& clusters)
{
    if (truth.empty())
        return 0.0;
    const int types = *std::max_element(truth.begin(), truth.end()) + 1;
    std::vector<std::int32_t> assigned(truth.size(), -1);
    for (int t = 0; t < types; ++t) {
        std::vector<double> labels;
        for (std::size_t i = 0; i < truth.size(); ++i)
            if (truth[i] == t)
                labels.push_back(clusters[i]);
        if (labels.empty())
            continue;
        std::sort(labels.begin(), labels.end());
        const std::size_t m = labels.size();
        const double median = m % 2 ? labels[m / 2] : 0.5 * (labels[m / 2 - 1] + labels[m / 2]);
        const auto label = static_cast<std::int32_t>(std::nearbyint(median)); // numpy rounds half to even
        for (std::size_t i = 0; i < truth.size(); ++i)
            if (clusters[i] == label)
                assigned[i] = t; // later types overwrite earlier ones, as in the authors' code
    }
    std::size_t correct = 0;
    for (std::size_t i = 0; i < truth.size(); ++i)
        correct += assigned[i] == truth[i];
    return static_cast<double>(correct) / static_cast<double>(truth.size());
}

double matchedAccuracy(const std::vector<std::int32_t>& truth, const std::vector<std::int32_t>& clusters)
{
    int types = 0, found = 0;
    Table counts = contingency(truth, clusters, types, found);
    if (types == 0 || found == 0)
        return 0.0;
    const bool transpose = types > found;
    const int rows = transpose ? found : types, columns = transpose ? types : found;
    Table cost(static_cast<std::size_t>(rows), std::vector<double>(static_cast<std::size_t>(columns)));
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < columns; ++c)
            cost[r][c] = -(transpose ? counts[c][r] : counts[r][c]);
    double matched = 0.0;
    auto assignment = assignRows(cost);
    for (int r = 0; r < rows; ++r)
        matched -= cost[r][assignment[r]];
    return matched / static_cast<double>(truth.size());
}

double adjustedRandIndex(const std::vector<std::int32_t>& truth, const std::vector<std::int32_t>& clusters)
{
    int types = 0, found = 0;
    Table counts = contingency(truth, clusters, types, found);
    double index = 0.0, rowPairs = 0.0, columnPairs = 0.0;
    std::vector<double> columnSums(static_cast<std::size_t>(found), 0.0);
    for (const auto& row : counts) {
        double rowSum = 0.0;
        for (int c = 0; c < found; ++c) {
            index += choose2(row[c]);
            rowSum += row[c];
            columnSums[c] += row[c];
        }
        rowPairs += choose2(rowSum);
    }
    for (double s : columnSums)
        columnPairs += choose2(s);
    const double expected = rowPairs * columnPairs / choose2(static_cast<double>(truth.size()));
    const double maximum = 0.5 * (rowPairs + columnPairs);
    return maximum - expected != 0.0 ? (index - expected) / (maximum - expected) : 1.0;
}

TypeRecovery scoreTypes(const std::vector<std::int32_t>& truth, const std::vector<std::int32_t>& clusters)
{
    if (truth.size() != clusters.size()) // no true types (a recording): the clusters alone
        return {clusterCount(clusters), 0.0, 0.0, 0.0};
    return {clusterCount(clusters), medianLabelAccuracy(truth, clusters), matchedAccuracy(truth, clusters),
            adjustedRandIndex(truth, clusters)};
}

} // namespace plexus
