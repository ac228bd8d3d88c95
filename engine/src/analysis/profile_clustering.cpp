#include "plexus/analysis/profile_clustering.h"

#include "plexus/analysis/clustering.h"
#include "plexus/analysis/evaluation.h"
#include "plexus/sim/rng.h"

#include <Eigen/Eigenvalues>

#include <algorithm>
#include <limits>
#include <numeric>

namespace plexus {

namespace {

constexpr int kMaxComponents = 8;
constexpr double kKeptVariance = 0.999;
constexpr int kRestarts = 4;
constexpr int kIterations = 50;
constexpr int kPatience = 10;
constexpr double kMinClusterSize = 3;
constexpr double kClearSeparation = 5.0;
/// Profiles whose spread is below this fraction of their size are one function (differences of float rounding).
constexpr double kNegligibleSpread = 1e-4;

using Matrix = Eigen::MatrixXd;

/// The profiles on their leading principal components (centred), enough of them for kKeptVariance.
Matrix reduce(const Eigen::MatrixXf& profiles)
{
    Matrix centred = profiles.cast<double>().rowwise() - profiles.cast<double>().colwise().mean();
    Eigen::SelfAdjointEigenSolver<Matrix> solver(centred.transpose() * centred);
    const Eigen::VectorXd values = solver.eigenvalues().reverse().cwiseMax(0.0);
    const double total = values.sum();
    int keep = 1;
    for (double sum = values(0); keep < std::min<int>(kMaxComponents, static_cast<int>(values.size())) &&
                                 total > 0 && sum < kKeptVariance * total;
         ++keep)
        sum += values(keep);
    const Matrix axes = solver.eigenvectors().rowwise().reverse().leftCols(keep);
    return centred * axes;
}

struct Partition
{
    std::vector<std::int32_t> labels;
    double inertia = std::numeric_limits<double>::infinity();
};

/// Squared distance of every point to every centre [N, k].
Matrix squaredDistances(const Matrix& points, const Matrix& centres)
{
    Matrix d = (-2.0 * points * centres.transpose()).rowwise() + centres.rowwise().squaredNorm().transpose();
    d.colwise() += points.rowwise().squaredNorm();
    return d.cwiseMax(0.0);
}

Matrix seedCentres(const Matrix& points, int k, Rng& rng)
{
    // k-means++: each new centre drawn with probability ∝ squared distance to the nearest chosen one.
    const Eigen::Index n = points.rows();
    Matrix centres(k, points.cols());
    centres.row(0) = points.row(static_cast<Eigen::Index>(rng.below(static_cast<std::uint64_t>(n))));
    Eigen::VectorXd nearest = (points.rowwise() - centres.row(0)).rowwise().squaredNorm();
    for (int c = 1; c < k; ++c) {
        const double total = nearest.sum();
        Eigen::Index pick = static_cast<Eigen::Index>(rng.below(static_cast<std::uint64_t>(n)));
        if (total > 0) {
            double r = rng.uniform() * total;
            for (pick = 0; pick < n - 1 && (r -= nearest(pick)) > 0; ++pick) {
            }
        }
        centres.row(c) = points.row(pick);
        nearest = nearest.cwiseMin((points.rowwise() - centres.row(c)).rowwise().squaredNorm());
    }
    return centres;
}

Partition kMeans(const Matrix& points, int k, Rng& rng)
{
    Matrix centres = seedCentres(points, k, rng);
    Partition p;
    p.labels.assign(static_cast<std::size_t>(points.rows()), 0);
    for (int iteration = 0; iteration < kIterations; ++iteration) {
        const Matrix d = squaredDistances(points, centres);
        bool changed = iteration == 0;
        p.inertia = 0.0;
        for (Eigen::Index i = 0; i < points.rows(); ++i) {
            Eigen::Index best;
            p.inertia += d.row(i).minCoeff(&best);
            changed |= p.labels[static_cast<std::size_t>(i)] != best;
            p.labels[static_cast<std::size_t>(i)] = static_cast<std::int32_t>(best);
        }
        if (!changed)
            break;
        Matrix sums = Matrix::Zero(k, points.cols());
        Eigen::VectorXd counts = Eigen::VectorXd::Zero(k);
        for (Eigen::Index i = 0; i < points.rows(); ++i) {
            sums.row(p.labels[static_cast<std::size_t>(i)]) += points.row(i);
            counts(p.labels[static_cast<std::size_t>(i)]) += 1.0;
        }
        for (int c = 0; c < k; ++c)
            if (counts(c) > 0)
                centres.row(c) = sums.row(c) / counts(c);
    }
    return p;
}

/// How well the clusters of a partition stand apart: the smallest, over pairs of clusters, of the distance between
/// their centres divided by the sum of their RMS radii. Types that really differ give several; a type cut in two
/// gives about 1 or less. Clusters of fewer than kMinClusterSize neurons make the partition invalid (0).
double separation(const Matrix& points, const std::vector<std::int32_t>& labels, int k)
{
    Matrix centres = Matrix::Zero(k, points.cols());
    Eigen::VectorXd counts = Eigen::VectorXd::Zero(k), spread = Eigen::VectorXd::Zero(k);
    for (Eigen::Index i = 0; i < points.rows(); ++i) {
        centres.row(labels[static_cast<std::size_t>(i)]) += points.row(i);
        counts(labels[static_cast<std::size_t>(i)]) += 1.0;
    }
    for (int c = 0; c < k; ++c) {
        if (counts(c) < kMinClusterSize)
            return 0.0;
        centres.row(c) /= counts(c);
    }
    for (Eigen::Index i = 0; i < points.rows(); ++i) {
        const auto c = labels[static_cast<std::size_t>(i)];
        spread(c) += (points.row(i) - centres.row(c)).squaredNorm();
    }
    const Eigen::VectorXd radius = (spread.array() / counts.array()).sqrt();
    double worst = std::numeric_limits<double>::infinity();
    for (int a = 0; a < k; ++a)
        for (int b = a + 1; b < k; ++b) {
            const double gap = (centres.row(a) - centres.row(b)).norm();
            const double sum = radius(a) + radius(b);
            worst = std::min(worst, sum > 0 ? gap / sum : std::numeric_limits<double>::infinity());
        }
    return worst;
}

/// Labels numbered by first appearance (0, 1, … in neuron order), empty clusters dropped.
std::vector<std::int32_t> renumber(const std::vector<std::int32_t>& labels)
{
    std::vector<std::int32_t> map(labels.size() + 1, -1), out(labels.size());
    std::int32_t next = 0;
    for (std::size_t i = 0; i < labels.size(); ++i) {
        auto& m = map[static_cast<std::size_t>(labels[i])];
        if (m < 0)
            m = next++;
        out[i] = m;
    }
    return out;
}

} // namespace

Eigen::MatrixXf functionProfiles(const LearnedModel& model, const ExperimentConfig& config, double xnorm, int samples)
{
    const Eigen::VectorXf r = Eigen::VectorXf::LinSpaced(samples, static_cast<float>(-xnorm), static_cast<float>(xnorm));
    const Eigen::MatrixXf phi = model.updateCurves(r);
    Eigen::MatrixXf psi = model.transferCurves(r);
    const Eigen::VectorXf upper = transferScales(model, config, xnorm);
    for (Eigen::Index n = 0; n < psi.rows(); ++n)
        psi.row(n) /= std::isfinite(upper(n)) && std::fabs(upper(n)) > 1e-6f ? upper(n) : 1.0f;
    Eigen::MatrixXf profiles(phi.rows(), phi.cols() + psi.cols());
    profiles << phi, psi;
    return profiles;
}

ProfileClusters clusterProfiles(const Eigen::MatrixXf& profiles, int maxClusters, double minSeparation,
                                std::uint64_t seed)
{
    ProfileClusters result;
    const Eigen::Index n = profiles.rows();
    result.labels.assign(static_cast<std::size_t>(n), 0);
    result.clusters = n > 0 ? 1 : 0;
    if (n < 4 || !profiles.allFinite())
        return result;
    const Matrix points = reduce(profiles);
    const double size = profiles.cast<double>().squaredNorm();
    if (points.squaredNorm() <= kNegligibleSpread * kNegligibleSpread * size)
        return result; // every neuron does the same thing
    Rng rng(seed);
    const int largest = std::min<int>(maxClusters, static_cast<int>(n / 2));
    // Before any valid partition every k is tried (fine types only stand apart once each has its own cluster).
    std::vector<ProfileClusters> valid;
    for (int k = 2, sinceValid = 0; k <= largest && (valid.empty() || sinceValid < kPatience); ++k) {
        Partition best;
        for (int restart = 0; restart < kRestarts; ++restart) {
            Partition p = kMeans(points, k, rng);
            if (p.inertia < best.inertia)
                best = std::move(p);
        }
        const double score = separation(points, best.labels, k);
        if (score >= minSeparation) {
            valid.push_back({best.labels, k, score});
            sinceValid = 0;
        } else {
            ++sinceValid;
        }
    }
    // The finest partition whose clusters stand clearly apart; else the best separated of the valid ones (a few
    // poorly trained neurons split off a type barely pass minSeparation, and must not win over the types).
    for (const ProfileClusters& candidate : valid)
        if (candidate.separation >= kClearSeparation && candidate.clusters > result.clusters)
            result = candidate;
    if (result.clusters == 1)
        for (const ProfileClusters& candidate : valid)
            if (candidate.separation > result.separation)
                result = candidate;
    if (result.clusters == 1)
        return result;
    result.labels = renumber(result.labels);
    result.clusters = clusterCount(result.labels);
    return result;
}

} // namespace plexus
