#include "plexus/sim/neuron_layout.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace plexus {

std::vector<std::int32_t> assignNeuronTypes(std::int64_t n, std::int64_t k, bool shuffle, Rng& rng)
{
    std::vector<std::int32_t> types(static_cast<std::size_t>(n));
    const std::int64_t block = std::max<std::int64_t>(1, n / k);
    for (std::int64_t i = 0; i < n; ++i)
        types[static_cast<std::size_t>(i)] = static_cast<std::int32_t>(std::min(i / block, k - 1));
    if (shuffle)
        rng.shuffle(types);
    return types;
}

namespace {

Eigen::MatrixX2f sunflower(std::int64_t n)
{
    Eigen::MatrixX2f points(n, 2);
    const double golden = std::numbers::pi * (1.0 + std::sqrt(5.0));
    for (std::int64_t k = 0; k < n; ++k) {
        double r = std::sqrt((k + 0.5) / static_cast<double>(n));
        double theta = golden * (k + 0.5);
        points(k, 0) = static_cast<float>(r * std::cos(theta) / 2.0);
        points(k, 1) = static_cast<float>(r * std::sin(theta) / 2.0);
    }
    return points;
}

} // namespace

Eigen::MatrixX2f sunflowerPositions(std::int64_t n, Rng& rng)
{
    Eigen::MatrixX2f points = sunflower(n);
    auto order = rng.permutation(n);
    Eigen::MatrixX2f permuted(n, 2);
    for (std::int64_t i = 0; i < n; ++i)
        permuted.row(i) = points.row(order[static_cast<std::size_t>(i)]);
    return permuted;
}

Eigen::MatrixX2f gridAndSunflowerPositions(std::int64_t n, std::int64_t m, Rng& rng)
{
    Eigen::MatrixX2f points(n, 2);
    const auto side = static_cast<std::int64_t>(std::llround(std::sqrt(static_cast<double>(m))));
    const double spacing = 1.0 / static_cast<double>(side);
    const double jitter = spacing / 8.0;
    for (std::int64_t r = 0; r < side; ++r)
        for (std::int64_t c = 0; c < side; ++c) {
            // linspace(1/(2·side), 1 − 1/(2·side), side), as linspace(1/64, 1 − 1/64, 32) for side 32.
            double x = spacing / 2.0 + static_cast<double>(c) * spacing;
            double y = spacing / 2.0 + static_cast<double>(r) * spacing;
            const std::int64_t k = r * side + c;
            points(k, 0) = static_cast<float>(x + jitter * rng.normal());
            points(k, 1) = static_cast<float>(y + jitter * rng.normal());
        }
    if (n > m) {
        Eigen::MatrixX2f rest = sunflower(n - m);
        rest /= 2.0f;
        rest.col(0).array() += 0.5f;
        rest.col(1).array() += 1.5f;
        points.bottomRows(n - m) = rest;
    }
    return points;
}

} // namespace plexus
