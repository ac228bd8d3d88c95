#pragma once

#include "plexus/analysis/linear_fit.h"

#include <Eigen/Core>

#include <cstdint>
#include <vector>

namespace plexus {

class Dataset;
class LearnedModel;

/// The learned stimulus field next to the true one (docs/method.md §D.5), at frames spread evenly over the data:
/// √Ω of the data against |SIREN| = √Ω*, the latter scaled so that the frame-0 maxima agree (Ω* and W are identified
/// only up to a product), one line fitted over every (frame, receiver) pair.
struct StimulusComparison
{
    std::vector<std::int64_t> frames; ///< data frames compared, increasing
    Eigen::MatrixXf truth;            ///< √Ω [frames, receivers]
    Eigen::MatrixXf learned;          ///< scale · |SIREN| [frames, receivers]
    double scale = 1.0;
    LinearFit fit;                    ///< learned against truth, all pairs pooled
    std::int64_t side = 0;            ///< receivers = side² on a grid (movieGridNeuron), 0 when not square

    /// The row of `frames` shown at data frame `frame`: the last compared frame not after it.
    std::int64_t rowAt(std::int64_t frame) const;
};

/// Compares at `count` frames k·(T − 1)/count; empty (no frames) when the model learned no field or the data have
/// no receivers.
StimulusComparison compareStimulus(const LearnedModel& model, const Dataset& data, int count = 100);

} // namespace plexus
