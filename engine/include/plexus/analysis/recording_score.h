#pragma once

#include "plexus/analysis/linear_fit.h"
#include "plexus/analysis/rollout.h"
#include "plexus/config/experiment_config.h"
#include "plexus/data/dataset.h"
#include "plexus/model/learned_model.h"
#include "plexus/util/progress.h"

#include <cstdint>
#include <vector>

namespace plexus {

/// Scores that need no ground truth (docs/recordings.md): for a recording, the only honest ones; for a simulation,
/// they sit next to the truth-based ones.
struct RecordingScore
{
    /// Frames from here on were never trained on (training.held_out_fraction); equal to the frame count when none
    /// were held out — the scores below are then in-sample.
    std::int64_t firstScoredFrame = 0;
    bool heldOut = false;
    std::int64_t scoredFrames = 0;   ///< frames the one-step prediction was scored on (at most 2000, evenly spread)
    double oneStepR2 = 0.0;          ///< 1 − SS(predicted − target) / SS(target − mean), du/dt over neurons and frames
    LinearFit oneStepFit;            ///< predicted against target du/dt, least squares
    /// The learned model integrated from the first scored frame (0 without held-out frames) next to the recorded
    /// activity itself (not a re-simulation: there is none).
    RolloutScore rollout;
    /// σ of the simulation's process noise (simulation.noise_model_level; 0 for a recording or noise-free data): a
    /// deterministic roll-out cannot follow noise-driven activity for long, so the roll-out above then says little.
    double processNoise = 0.0;
    int clusters = 0;                ///< neuron clusters found (recoverTypes)
    double silhouette = 0.0;         ///< mean silhouette of the latents under those clusters, −1..1 (0 for one cluster)
};

/// Computes those scores; `clusters` [N] are the neurons' clusters (recoverTypes). `rolloutFrames` 0 skips the
/// roll-out.
RecordingScore scoreWithoutTruth(const LearnedModel& model, const Dataset& data, const ExperimentConfig& config,
                                 const std::vector<std::int32_t>& clusters, std::int64_t rolloutFrames,
                                 const Progress& progress = {});

/// Mean silhouette of points [N, d] under `labels` [N] (Euclidean; at most `sample` points, evenly spread).
double meanSilhouette(const Eigen::MatrixXf& points, const std::vector<std::int32_t>& labels, std::int64_t sample = 2000);

} // namespace plexus
