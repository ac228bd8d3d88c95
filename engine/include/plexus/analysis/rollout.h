#pragma once

#include "plexus/analysis/linear_fit.h"
#include "plexus/data/dataset.h"
#include "plexus/model/learned_model.h"
#include "plexus/util/progress.h"

#include <Eigen/Core>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace plexus {

class Dynamics;

/// The learned model integrated with Euler from frame 0 next to the noise-free true dynamics (docs/method.md §D.4).
struct RolloutTraces
{
    FrameMatrix truth;   ///< [frames + 1, N]
    FrameMatrix learned; ///< [frames + 1, N]; rows past a divergence are cut
    std::int64_t divergedAt = -1; ///< first frame where the learned state stopped being finite, or −1
};

/// Roll-out scores (docs/method.md §D.4): true vs learned u across neurons, frame by frame.
struct RolloutScore
{
    std::int64_t frames = 0;           ///< frames integrated (1000, or fewer for short datasets)
    std::int64_t divergedAt = -1;      ///< first frame where the learned roll-out stopped being finite, or −1
    LinearFit at400, at800;            ///< true vs learned u across neurons at those frames
    double meanNeuronCorrelation = 0.0; ///< mean over neurons of the Pearson r of their traces over time
    std::vector<double> r2Every10;     ///< R² at frames 0, 10, 20, …
};

/// What one roll-out integrates: both sides' right-hand sides, the external column of each frame (given to both),
/// the start state and the neurons held at 0 on both sides (the lab's silenced neurons, docs/lab.md).
struct RolloutSetup
{
    Dynamics* truth = nullptr;
    const LearnedModel* learned = nullptr;
    std::function<void(std::int64_t frame, Eigen::Ref<Eigen::VectorXf> external)> external;
    Eigen::VectorXf start;
    std::vector<std::int64_t> clamped;
    double deltaT = 0.01;
};

/// u ← u + Δt·F(u) on both sides for `frames` steps from the same start; stops the learned side (and cuts both
/// traces) at its first non-finite state. Throws CancelledError when progress asks to stop.
RolloutTraces integrateRollout(const RolloutSetup& setup, std::int64_t frames, const Progress& progress = {});

/// The plain roll-out of a trained model on its dataset: the true W, types and external input (fewer frames for
/// short datasets). Needs the dataset's ground truth (types, parameters, W).
RolloutTraces rolloutTraces(const LearnedModel& model, const Dataset& data, std::int64_t frames,
                            const Progress& progress = {});

/// LS fit of learned against true u on the points within 3 std of the median of the true values; R² of that line
/// on all points (docs/method.md §D.4).
LinearFit rolloutFit(const Eigen::VectorXf& truth, const Eigen::VectorXf& learned);

/// The scores of a roll-out (R² every 10 frames, the fits at 400 and 800, mean per-neuron r).
RolloutScore scoreRollout(const RolloutTraces& traces);

/// `"rollout": {...}` as metrics.json writes it (frames, diverged_at, frame_400, frame_800,
/// mean_neuron_correlation, r2_every_10_frames), without the key.
std::string rolloutToJson(const RolloutScore& score);

/// "R² r slope s" of a roll-out's fit at `frame`, or "—" when the roll-out is shorter than that.
std::string rolloutText(const RolloutScore& rollout, std::int64_t frame, const LinearFit& fit);

} // namespace plexus
