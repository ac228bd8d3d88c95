#include "plexus/data/derivative_estimate.h"

#include "plexus/util/errors.h"

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace plexus {

DerivativeMethod parseDerivativeMethod(const std::string& name)
{
    if (name == "central")
        return DerivativeMethod::Central;
    if (name == "savgol" || name == "savitzky-golay")
        return DerivativeMethod::SavitzkyGolay;
    throw InputError("derivative method: expected central or savgol, got '" + name + "'");
}

namespace {

/// Row `row` of the least-squares pseudo-inverse of the polynomial fit around `at`: row 0 gives the value at `at`,
/// row 1 the slope per frame.
std::vector<double> savitzkyGolayWeights(int window, int order, int at, int row)
{
    // Fit u(x) ≈ Σ_p c_p (x − at)^p on x = 0..window−1; du/dx at x = at is c_1, a linear function of the samples.
    Eigen::MatrixXd a(window, order + 1);
    for (int x = 0; x < window; ++x)
        for (int p = 0; p <= order; ++p)
            a(x, p) = std::pow(static_cast<double>(x - at), p);
    const Eigen::MatrixXd pseudoInverse = (a.transpose() * a).ldlt().solve(a.transpose()); // [order+1, window]
    std::vector<double> weights(static_cast<std::size_t>(window));
    for (int x = 0; x < window; ++x)
        weights[static_cast<std::size_t>(x)] = pseudoInverse(row, x);
    return weights;
}

/// Window length used for `options`: odd, at least order + 2.
int windowOf(const DerivativeOptions& o)
{
    int window = std::max(o.window, o.order + 2);
    return window % 2 == 0 ? window + 1 : window;
}

} // namespace

std::vector<double> savitzkyGolayDerivativeWeights(int window, int order, int at)
{
    return savitzkyGolayWeights(window, order, at, 1);
}

std::vector<double> savitzkyGolayValueWeights(int window, int order, int at)
{
    return savitzkyGolayWeights(window, order, at, 0);
}

namespace {

/// Rows first .. first + count − 1 of the central differences of u.
FrameMatrix centralDifferences(const FrameMatrix& u, double dt, Eigen::Index first, Eigen::Index count)
{
    const Eigen::Index frames = u.rows();
    FrameMatrix du(count, u.cols());
    const auto h = static_cast<float>(dt);
    for (Eigen::Index t = first; t < first + count; ++t) {
        if (t == 0)
            du.row(0) = (u.row(1) - u.row(0)) / h;
        else if (t == frames - 1)
            du.row(t - first) = (u.row(frames - 1) - u.row(frames - 2)) / h;
        else
            du.row(t - first) = (u.row(t + 1) - u.row(t - 1)) / (2.0f * h);
    }
    return du;
}

/// Σ_k w_k u[start + k] / scale for frames first .. first + count − 1, with the window's weights for the frame's
/// place in it.
FrameMatrix savitzkyGolay(const FrameMatrix& u, double scale, int window, int order, bool derivative,
                          Eigen::Index first, Eigen::Index count)
{
    const Eigen::Index frames = u.rows();
    const int half = window / 2;
    std::vector<std::vector<double>> weights(static_cast<std::size_t>(window));
    for (int at = 0; at < window; ++at)
        weights[static_cast<std::size_t>(at)] =
            derivative ? savitzkyGolayDerivativeWeights(window, order, at) : savitzkyGolayValueWeights(window, order, at);
    FrameMatrix out(count, u.cols());
    for (Eigen::Index t = first; t < first + count; ++t) {
        // The window this frame's estimate comes from, and the frame's place in it.
        const Eigen::Index start = std::clamp<Eigen::Index>(t - half, 0, frames - window);
        const auto& w = weights[static_cast<std::size_t>(t - start)];
        auto row = out.row(t - first);
        row.setZero();
        for (int k = 0; k < window; ++k)
            row += static_cast<float>(w[static_cast<std::size_t>(k)] / scale) * u.row(start + k);
    }
    return out;
}

} // namespace

FrameMatrix estimateDerivativeRows(const FrameMatrix& u, double dt, const DerivativeOptions& o, Eigen::Index first,
                                  Eigen::Index count)
{
    if (!(dt > 0))
        throw InputError("derivative: the time step must be positive (from --rate)");
    if (first < 0 || count < 0 || first + count > u.rows())
        throw std::logic_error("estimateDerivativeRows: rows outside the activity");
    if (o.method == DerivativeMethod::Central) {
        if (u.rows() < 3)
            throw InputError("derivative: central differences need at least 3 frames, got " + std::to_string(u.rows()));
        return centralDifferences(u, dt, first, count);
    }
    if (o.order < 1 || o.order > 5)
        throw InputError("derivative: Savitzky–Golay order must be 1..5, got " + std::to_string(o.order));
    const int window = windowOf(o);
    if (u.rows() < window)
        throw InputError("derivative: a Savitzky–Golay window of " + std::to_string(window) + " frames needs at least " +
                         std::to_string(window) + " frames, got " + std::to_string(u.rows()));
    return savitzkyGolay(u, dt, window, o.order, true, first, count);
}

FrameMatrix estimateDerivative(const FrameMatrix& u, double dt, const DerivativeOptions& o)
{
    return estimateDerivativeRows(u, dt, o, 0, u.rows());
}

FrameMatrix smoothActivityRows(const FrameMatrix& u, const DerivativeOptions& o, Eigen::Index first, Eigen::Index count)
{
    if (o.method != DerivativeMethod::SavitzkyGolay || u.rows() < windowOf(o))
        return u.middleRows(first, count);
    return savitzkyGolay(u, 1.0, windowOf(o), o.order, false, first, count);
}

FrameMatrix smoothActivity(const FrameMatrix& u, const DerivativeOptions& o)
{
    return smoothActivityRows(u, o, 0, u.rows());
}

} // namespace plexus
