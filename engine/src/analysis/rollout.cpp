#include "plexus/analysis/rollout.h"

#include "plexus/sim/dynamics.h"
#include "plexus/util/errors.h"

#include <algorithm>
#include <cstdio>
#include <cmath>
#include <sstream>

namespace plexus {

namespace {

void writeFit(std::ostringstream& out, const char* name, const LinearFit& fit)
{
    out << "\"" << name << "\": {\"r2\": " << fit.r2 << ", \"slope\": " << fit.slope << ", \"intercept\": " << fit.intercept
        << "}";
}

void clamp(Eigen::VectorXf& u, const std::vector<std::int64_t>& neurons)
{
    for (std::int64_t i : neurons)
        u(i) = 0.0f;
}

} // namespace

RolloutTraces integrateRollout(const RolloutSetup& s, std::int64_t frames, const Progress& progress)
{
    RolloutTraces traces;
    const Eigen::Index n = s.start.size();
    Eigen::VectorXf uTrue = s.start, uLearned = s.start, du(n), external(n);
    clamp(uTrue, s.clamped);
    clamp(uLearned, s.clamped);
    traces.truth.resize(frames + 1, n);
    traces.learned.resize(frames + 1, n);
    const auto dt = static_cast<float>(s.deltaT);
    for (std::int64_t f = 0; f <= frames; ++f) {
        if (!uLearned.allFinite()) {
            traces.divergedAt = f;
            traces.truth.conservativeResize(f, n);
            traces.learned.conservativeResize(f, n);
            break;
        }
        traces.truth.row(f) = uTrue.transpose();
        traces.learned.row(f) = uLearned.transpose();
        if (f == frames)
            break;
        s.external(f, external);
        s.truth->derivative(uTrue, external, du);
        uTrue += dt * du;
        uLearned += dt * s.learned->derivative(uLearned, external);
        clamp(uTrue, s.clamped);
        clamp(uLearned, s.clamped);
        if (progress.shouldStop()) // every frame: a frame of a large model can take a while
            throw CancelledError();
        if (f % 50 == 0)
            progress.update("roll-out", f, frames);
    }
    progress.update("roll-out", frames, frames);
    return traces;
}

RolloutTraces rolloutTraces(const LearnedModel& model, const Dataset& d, std::int64_t frames, const Progress& progress)
{
    Dynamics truth(parseDynamicsModel(d.signalModel), parseInputMode(d.inputMode), d.connectivity, d.types,
                   d.typeParameters);
    RolloutSetup setup;
    setup.truth = &truth;
    setup.learned = &model;
    setup.external = [&d](std::int64_t f, Eigen::Ref<Eigen::VectorXf> out) { d.externalColumn(f, out); };
    setup.start = d.activity.row(0).transpose();
    setup.deltaT = d.deltaT;
    return integrateRollout(setup, std::min<std::int64_t>(frames, d.frames() - 1), progress);
}

LinearFit rolloutFit(const Eigen::VectorXf& truth, const Eigen::VectorXf& learned)
{
    std::vector<float> sorted(truth.data(), truth.data() + truth.size());
    std::nth_element(sorted.begin(), sorted.begin() + sorted.size() / 2, sorted.end());
    const float median = sorted[sorted.size() / 2];
    const float spread = std::sqrt((truth.array() - truth.mean()).square().mean());
    std::vector<float> x, y;
    for (Eigen::Index i = 0; i < truth.size(); ++i)
        if (std::fabs(truth(i) - median) <= 3.0f * spread) {
            x.push_back(truth(i));
            y.push_back(learned(i));
        }
    LinearFit fit = fitLine(x.data(), y.data(), static_cast<std::int64_t>(x.size()));
    const Eigen::ArrayXd t = truth.cast<double>().array(), l = learned.cast<double>().array();
    const double residual = (l - (fit.slope * t + fit.intercept)).square().sum();
    const double total = (l - l.mean()).square().sum();
    fit.r2 = total > 0 ? 1.0 - residual / total : 0.0;
    return fit;
}

RolloutScore scoreRollout(const RolloutTraces& traces)
{
    RolloutScore score;
    score.divergedAt = traces.divergedAt;
    score.frames = std::max<std::int64_t>(0, traces.learned.rows() - 1);
    for (std::int64_t f = 0; f <= score.frames && traces.learned.rows() > 0; ++f) {
        if (f % 10 != 0 && f != 400 && f != 800)
            continue;
        const LinearFit fit = rolloutFit(traces.truth.row(f).transpose(), traces.learned.row(f).transpose());
        if (f % 10 == 0)
            score.r2Every10.push_back(fit.r2);
        if (f == 400)
            score.at400 = fit;
        if (f == 800)
            score.at800 = fit;
    }
    const Eigen::Index n = traces.truth.cols();
    double correlation = 0.0;
    for (Eigen::Index i = 0; i < n; ++i)
        correlation += pearson(traces.truth.col(i).head(score.frames + 1).array(),
                               traces.learned.col(i).head(score.frames + 1).array());
    score.meanNeuronCorrelation = n > 0 ? correlation / static_cast<double>(n) : 0.0;
    return score;
}

std::string rolloutToJson(const RolloutScore& score)
{
    std::ostringstream out;
    out.precision(6);
    out << "{\"frames\": " << score.frames << ", \"diverged_at\": " << score.divergedAt << ", ";
    writeFit(out, "frame_400", score.at400);
    out << ", ";
    writeFit(out, "frame_800", score.at800);
    out << ", \"mean_neuron_correlation\": " << score.meanNeuronCorrelation << ", \"r2_every_10_frames\": [";
    for (std::size_t i = 0; i < score.r2Every10.size(); ++i)
        out << (i ? ", " : "") << (std::isfinite(score.r2Every10[i]) ? score.r2Every10[i] : 0.0);
    out << "]}";
    return out.str();
}

std::string rolloutText(const RolloutScore& rollout, std::int64_t frame, const LinearFit& fit)
{
    if (rollout.frames < frame)
        return "—";
    char text[64];
    std::snprintf(text, sizeof text, "R² %.3f slope %.3f", fit.r2, fit.slope);
    return text;
}

} // namespace plexus
