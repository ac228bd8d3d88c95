#include "plexus/analysis/stimulus_recovery.h"

#include "plexus/data/dataset.h"
#include "plexus/model/learned_model.h"

#include <algorithm>
#include <cmath>

namespace plexus {

std::int64_t StimulusComparison::rowAt(std::int64_t frame) const
{
    const auto after = std::upper_bound(frames.begin(), frames.end(), frame);
    return after == frames.begin() ? 0 : static_cast<std::int64_t>(after - frames.begin()) - 1;
}

StimulusComparison compareStimulus(const LearnedModel& model, const Dataset& d, int count)
{
    StimulusComparison c;
    if (!model.hasStimulusField() || d.stimulusReceivers() == 0 || count < 1)
        return c;
    for (int k = 0; k < count; ++k)
        c.frames.push_back(static_cast<std::int64_t>(k) * (d.frames() - 1) / count);
    const Eigen::MatrixXf amplitude = model.stimulusAmplitude(c.frames).cwiseAbs();
    c.truth.resize(amplitude.rows(), amplitude.cols());
    for (Eigen::Index k = 0; k < c.truth.rows(); ++k)
        c.truth.row(k) = d.stimulus.row(c.frames[static_cast<std::size_t>(k)]).cwiseMax(0.0f).cwiseSqrt();
    const float learnedMax = amplitude.row(0).maxCoeff();
    c.scale = learnedMax > 0 ? c.truth.row(0).maxCoeff() / learnedMax : 1.0;
    c.learned = amplitude * static_cast<float>(c.scale);
    c.fit = fitLine(c.truth.data(), c.learned.data(), c.truth.size());
    const auto side = static_cast<std::int64_t>(std::llround(std::sqrt(static_cast<double>(d.stimulusReceivers()))));
    c.side = side * side == d.stimulusReceivers() ? side : 0;
    return c;
}

} // namespace plexus
