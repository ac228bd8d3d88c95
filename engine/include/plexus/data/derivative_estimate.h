#pragma once

#include "plexus/data/dataset.h"

#include <string>

namespace plexus {

/// How du/dt is estimated from sampled activity (docs/method.md, "Targets from a recording").
enum class DerivativeMethod {
    Central,       ///< (u[t+1] − u[t−1]) / 2Δt; one-sided first differences at the two ends
    SavitzkyGolay, ///< the derivative of a least-squares polynomial of `order` over a window of `window` frames
};

/// "central" | "savgol"; InputError otherwise.
DerivativeMethod parseDerivativeMethod(const std::string& name);

struct DerivativeOptions
{
    DerivativeMethod method = DerivativeMethod::SavitzkyGolay;
    int window = 7; ///< Savitzky–Golay: odd, ≥ order + 2 (rounded up to odd)
    int order = 2;  ///< Savitzky–Golay polynomial order, 1..5
    /// Also replace the activity by the window's polynomial value (Savitzky–Golay smoothing): the model then reads
    /// denoised u as well as denoised targets (docs/recordings.md).
    bool smoothActivity = false;
};

/// du/dt for every frame of `activity` [frames, N] sampled every `deltaT`. Savitzky–Golay evaluates the window's
/// polynomial at the window's centre, and near the ends at the frame's own place in the first or last window, so
/// every frame gets an estimate. InputError for a bad window/order or fewer frames than the window.
FrameMatrix estimateDerivative(const FrameMatrix& activity, double deltaT, const DerivativeOptions& options = {});

/// Rows `first` .. `first + count − 1` of estimateDerivative, computed alone: how a recording too large for two
/// copies in memory has its targets written a band of frames at a time.
FrameMatrix estimateDerivativeRows(const FrameMatrix& activity, double deltaT, const DerivativeOptions& options,
                                  Eigen::Index first, Eigen::Index count);

/// The activity smoothed by the same Savitzky–Golay windows (the polynomial's value at each frame); the activity
/// unchanged for central differences.
FrameMatrix smoothActivity(const FrameMatrix& activity, const DerivativeOptions& options);

/// Rows `first` .. `first + count − 1` of smoothActivity.
FrameMatrix smoothActivityRows(const FrameMatrix& activity, const DerivativeOptions& options, Eigen::Index first,
                               Eigen::Index count);

/// The weights w_k (k = 0..window−1) with du/dt at frame `at` of a window ≈ Σ_k w_k u_k / Δt, for a polynomial of
/// `order` fitted by least squares (Savitzky–Golay). Exposed for tests.
std::vector<double> savitzkyGolayDerivativeWeights(int window, int order, int at);
/// The same for the value at frame `at` (smoothing).
std::vector<double> savitzkyGolayValueWeights(int window, int order, int at);

} // namespace plexus
