#include "plexus/sim/connectivity.h"

#include <cmath>

namespace plexus {

double lorentzExponent(std::int64_t n)
{
    if (n < 2000)
        return 0.7;
    if (n < 4000)
        return 0.675;
    if (n < 8000)
        return 0.67;
    if (n == 8000)
        return 0.66;
    return 0.5;
}

namespace {

template <class Draw>
Eigen::MatrixXf fill(Eigen::Index n, Draw draw)
{
    Eigen::MatrixXf w(n, n);
    // Row-major draw order so the same seed gives the same matrix whatever Eigen's storage order.
    for (Eigen::Index i = 0; i < n; ++i)
        for (Eigen::Index j = 0; j < n; ++j)
            w(i, j) = static_cast<float>(draw());
    return w;
}

Eigen::MatrixXf drawLaw(const SimulationConfig& c, Rng& rng)
{
    const Eigen::Index n = c.nNeurons;
    const double sqrtN = std::sqrt(static_cast<double>(n));
    if (c.connectivityType == "Lorentz") {
        const double scale = std::pow(static_cast<double>(n), lorentzExponent(n));
        return fill(n, [&] {
            double s = rng.cauchy();
            return std::fabs(s) > kCauchyTruncation ? 0.0 : s / scale;
        });
    }
    if (c.connectivityType == "Gaussian" || c.connectivityType == "chaotic") // both N(0, 1)/√N, as the authors
        return fill(n, [&] { return rng.normal() / sqrtN; });
    if (c.connectivityType == "uniform")
        return fill(n, [&] { return rng.uniform(-0.5, 0.5); });
    // low_rank: U·V / √(rN) with U [N, r], V [r, N] standard normal.
    const Eigen::Index r = c.connectivityRank;
    Eigen::MatrixXf u(n, r), v(r, n);
    for (Eigen::Index i = 0; i < u.size(); ++i)
        u(i) = static_cast<float>(rng.normal());
    for (Eigen::Index i = 0; i < v.size(); ++i)
        v(i) = static_cast<float>(rng.normal());
    return (u * v) / static_cast<float>(std::sqrt(static_cast<double>(r) * static_cast<double>(n)));
}

} // namespace

Eigen::MatrixXf generateConnectivity(const SimulationConfig& c, Rng& rng)
{
    Eigen::MatrixXf w = drawLaw(c, rng);
    w.diagonal().setZero();
    if (c.daleLaw) {
        // Columns (presynaptic neurons) from ⌊N·factor⌋ on are inhibitory.
        w = w.cwiseAbs();
        const Eigen::Index firstInhibitory = static_cast<Eigen::Index>(std::floor(c.nNeurons * c.daleLawFactor));
        w.rightCols(c.nNeurons - firstInhibitory) *= -1.0f;
    }
    if (c.connectivityFillingFactor < 1.0) {
        for (Eigen::Index i = 0; i < w.rows(); ++i)
            for (Eigen::Index j = 0; j < w.cols(); ++j)
                if (rng.uniform() > c.connectivityFillingFactor)
                    w(i, j) = 0.0f;
    }
    return w;
}

} // namespace plexus
