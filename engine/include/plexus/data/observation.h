#pragma once

#include "plexus/data/dataset.h"
#include "plexus/data/derivative_estimate.h"

#include <cstdint>
#include <string>

namespace plexus {

/// What a microscope makes of a simulated network (docs/recordings.md, "Recording-like data"): every `every`-th
/// frame, a first-order low-pass of time constant `smoothing` frames (calcium-like; 0: none), Gaussian measurement
/// noise of `noise` × the activity's standard deviation. The targets are then estimated from the observed activity as
/// for any recording; the ground truth stays in the dataset for scoring only (training never reads it).
struct ObservationOptions
{
    std::int64_t every = 1;
    double noise = 0.0;
    double smoothing = 0.0;
    std::int64_t seed = 1;
    DerivativeOptions derivative;
};

/// Parses "every=2,noise=0.05,smoothing=3" (any subset, also seed=S, derivative=central|savgol, window=W, order=P);
/// InputError names the bad part.
ObservationOptions parseObservation(const std::string& text);

/// The observed dataset: activity observed as above, du/dt estimated from it, Δt × every; types, W, parameters and
/// positions kept (for scoring); the input subsampled alike.
Dataset observe(const Dataset& simulated, const ObservationOptions& options);

} // namespace plexus
