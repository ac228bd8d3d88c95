#include "plexus/analysis/recording_score.h"

#include "plexus/train/trainer.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

namespace plexus {

namespace {

constexpr std::int64_t kMaxScoredFrames = 2000;

RolloutTraces rolloutAgainstRecording(const LearnedModel& model, const Dataset& d, std::int64_t first,
                                      std::int64_t frames, const Progress& progress)
{
    const std::int64_t count = std::min<std::int64_t>(frames, d.frames() - 1 - first);
    RolloutTraces traces;
    const Eigen::Index n = d.neurons();
    traces.truth = d.activity.middleRows(first, count + 1);
    traces.learned.resize(count + 1, n);
    Eigen::VectorXf u = d.activity.row(first).transpose(), external(n);
    const auto dt = static_cast<float>(d.deltaT);
    for (std::int64_t f = 0; f <= count; ++f) {
        if (!u.allFinite()) {
            traces.divergedAt = f;
            traces.truth.conservativeResize(f, n);
            traces.learned.conservativeResize(f, n);
            break;
        }
        traces.learned.row(f) = u.transpose();
        if (f == count)
            break;
        d.externalColumn(first + f, external);
        u += dt * model.derivative(u, external);
        if (f % 50 == 0)
            progress.update("roll-out", f, count);
    }
    return traces;
}

} // namespace

double meanSilhouette(const Eigen::MatrixXf& points, const std::vector<std::int32_t>& labels, std::int64_t sample)
{
    const Eigen::Index n = points.rows();
    std::map<std::int32_t, int> sizes;
    for (auto l : labels)
        ++sizes[l];
    if (sizes.size() < 2 || n < 3)
        return 0.0;
    const Eigen::Index step = std::max<Eigen::Index>(1, n / std::max<std::int64_t>(1, sample));
    double total = 0.0;
    Eigen::Index counted = 0;
    for (Eigen::Index i = 0; i < n; i += step) {
        std::map<std::int32_t, std::pair<double, int>> sums; // cluster → (Σ distance, count)
        for (Eigen::Index j = 0; j < n; j += step) {
            if (j == i)
                continue;
            auto& s = sums[labels[static_cast<std::size_t>(j)]];
            s.first += (points.row(i) - points.row(j)).norm();
            ++s.second;
        }
        const std::int32_t own = labels[static_cast<std::size_t>(i)];
        if (sums[own].second == 0)
            continue; // a cluster of one: silhouette 0 by convention
        const double a = sums[own].first / sums[own].second;
        double b = std::numeric_limits<double>::infinity();
        for (const auto& [label, s] : sums)
            if (label != own && s.second > 0)
                b = std::min(b, s.first / s.second);
        total += std::max(a, b) > 0 ? (b - a) / std::max(a, b) : 0.0;
        ++counted;
    }
    return counted > 0 ? total / static_cast<double>(counted) : 0.0;
}

RecordingScore scoreWithoutTruth(const LearnedModel& model, const Dataset& d, const ExperimentConfig& c,
                                 const std::vector<std::int32_t>& clusters, std::int64_t rolloutFrames,
                                 const Progress& progress)
{
    RecordingScore s;
    s.processNoise = c.simulation.noiseModelLevel;
    const std::int64_t trained = trainingFrames(d, c);
    s.heldOut = trained < d.frames();
    s.firstScoredFrame = s.heldOut ? trained : 0;
    const std::int64_t available = d.frames() - s.firstScoredFrame;
    const std::int64_t step = std::max<std::int64_t>(1, available / kMaxScoredFrames);
    const Eigen::Index n = d.neurons();
    std::vector<float> target, predicted;
    Eigen::VectorXf external(n);
    for (std::int64_t f = s.firstScoredFrame; f < d.frames(); f += step) {
        d.externalColumn(f, external);
        const Eigen::VectorXf p = model.derivative(d.activity.row(f).transpose(), external);
        for (Eigen::Index i = 0; i < n; ++i) {
            target.push_back(d.derivative(f, i));
            predicted.push_back(p(i));
        }
        ++s.scoredFrames;
    }
    const Eigen::Map<const Eigen::ArrayXf> t(target.data(), static_cast<Eigen::Index>(target.size()));
    const Eigen::Map<const Eigen::ArrayXf> p(predicted.data(), static_cast<Eigen::Index>(predicted.size()));
    s.oneStepR2 = predictionR2(t.cast<double>(), p.cast<double>());
    s.oneStepFit = fitLine(t, p);
    if (rolloutFrames > 0 && available > 1)
        s.rollout = scoreRollout(rolloutAgainstRecording(model, d, s.firstScoredFrame, rolloutFrames, progress));
    std::map<std::int32_t, int> distinct;
    for (auto l : clusters)
        ++distinct[l];
    s.clusters = static_cast<int>(distinct.size());
    s.silhouette = meanSilhouette(model.latents(), clusters);
    return s;
}

} // namespace plexus
