#include "plexus/analysis/evaluation.h"

#include "plexus/analysis/profile_clustering.h"
#include "plexus/analysis/saturating_fit.h"
#include "plexus/analysis/stimulus_recovery.h"
#include "plexus/analysis/type_recovery.h"
#include "plexus/sim/dynamics.h"
#include "plexus/sim/true_functions.h"
#include "plexus/util/json_text.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <sstream>

namespace plexus {

double activityScale(const Dataset& d)
{
    const Eigen::ArrayXd u = Eigen::Map<const Eigen::ArrayXf>(d.activity.data(), d.activity.size()).cast<double>();
    return std::max(1.0, std::round(1.5 * std::sqrt((u - u.mean()).square().mean())));
}

namespace {

Eigen::VectorXf linspace(double low, double high, int count)
{
    return Eigen::VectorXf::LinSpaced(count, static_cast<float>(low), static_cast<float>(high));
}

/// ψ* of every sender at some samples: [N, R] (into all receivers alike, or into one receiver latent for PDE_N5).
using TransferAt = std::function<Eigen::MatrixXf(const Eigen::VectorXf&)>;

double medianOf(std::vector<double> values)
{
    if (values.empty())
        return NAN;
    std::sort(values.begin(), values.end());
    const std::size_t m = values.size() / 2;
    return values.size() % 2 ? values[m] : 0.5 * (values[m - 1] + values[m]);
}

float statistic(const Eigen::ArrayXf& values, const Eigen::ArrayXf& samples, const std::string& method)
{
    if (method == "max")
        return values.abs().maxCoeff();
    if (method == "mean")
        return values.mean();
    if (method == "plateau") {
        // Mean where |dψ/dr| is below 1 % of its largest value.
        const Eigen::Index n = values.size();
        Eigen::ArrayXf slope = Eigen::ArrayXf::Zero(n);
        for (Eigen::Index i = 1; i + 1 < n; ++i)
            slope(i) = std::fabs((values(i + 1) - values(i - 1)) / (samples(i + 1) - samples(i - 1)));
        const float limit = 0.01f * slope.maxCoeff();
        double sum = 0;
        int count = 0;
        for (Eigen::Index i = 1; i + 1 < n; ++i)
            if (slope(i) <= limit) {
                sum += values(i);
                ++count;
            }
        return count ? static_cast<float>(sum / count) : values.mean();
    }
    std::vector<float> sorted(values.data(), values.data() + values.size());
    std::nth_element(sorted.begin(), sorted.begin() + sorted.size() / 2, sorted.end());
    return sorted[sorted.size() / 2];
}

/// The normalisation range in units of xnorm (docs/method.md §D.1): [0.8, 1] unless plotting.norm_x_start/stop are set.
std::pair<double, double> normalisationRange(const ExperimentConfig& c)
{
    const auto& p = c.plotting;
    if (std::isfinite(p.normXStart) && std::isfinite(p.normXStop))
        return {p.normXStart, p.normXStop};
    return {0.8, 1.0};
}

FunctionScore scoreFunctions(const LearnedModel& model, const Dataset& d, const ExperimentConfig& c, double xnorm)
{
    FunctionScore score;
    const Eigen::VectorXf r = linspace(-xnorm, xnorm, 1500);
    const Eigen::MatrixXf phi = model.updateCurves(r);
    const Eigen::MatrixXf psi = model.transferCurves(r);
    const Eigen::VectorXf upper = transferScales(model, c, xnorm);
    const Eigen::VectorXf trueUpper = trueTransferScales(d, c, xnorm);
    const Eigen::ArrayXd rd = r.cast<double>().array();
    for (Eigen::Index k = 0; k < d.typeParameters.rows(); ++k) {
        const Eigen::RowVectorXd p = d.typeParameters.row(k);
        const Eigen::ArrayXd truePhi = trueUpdateFunction(d.signalModel, p, rd);
        const Eigen::ArrayXd truePsi = trueTransferFunction(d.signalModel, p, rd) / trueUpper(k);
        std::vector<double> phiR2, psiR2;
        for (std::int64_t n = 0; n < d.neurons(); ++n) {
            if (d.types[static_cast<std::size_t>(n)] != k)
                continue;
            phiR2.push_back(predictionR2(truePhi, phi.row(n).transpose().cast<double>().array()));
            const double scale = upper(n) != 0.0f ? upper(n) : 1.0;
            psiR2.push_back(predictionR2(truePsi, psi.row(n).transpose().cast<double>().array() / scale));
        }
        score.updateR2PerType.push_back(medianOf(phiR2));
        score.transferR2PerType.push_back(medianOf(psiR2));
    }
    return score;
}

StimulusScore scoreStimulus(const LearnedModel& model, const Dataset& d)
{
    const StimulusComparison comparison = compareStimulus(model, d);
    StimulusScore score;
    score.available = !comparison.frames.empty();
    score.fit = comparison.fit;
    score.scale = comparison.scale;
    return score;
}

void writeFit(std::ostringstream& out, const char* name, const LinearFit& fit)
{
    out << "\"" << name << "\": {\"r2\": " << fit.r2 << ", \"slope\": " << fit.slope << ", \"intercept\": " << fit.intercept
        << "}";
}

void writeList(std::ostringstream& out, const char* name, const std::vector<double>& values)
{
    out << "\"" << name << "\": [";
    for (std::size_t i = 0; i < values.size(); ++i)
        out << (i ? ", " : "") << (std::isfinite(values[i]) ? values[i] : 0.0);
    out << "]";
}

} // namespace

ConnectivityScore scoreConnectivity(const LearnedModel& model, const Dataset& d, const ExperimentConfig& c,
                                    double xnorm)
{
    ConnectivityScore score;
    const Eigen::MatrixXf learned = model.connectivity();
    score.raw = fitLine(d.connectivity.data(), learned.data(), learned.size());
    const Eigen::MatrixXf corrected = correctedConnectivity(learned, transferScales(model, c, xnorm));
    score.corrected = fitLine(d.connectivity.data(), corrected.data(), corrected.size());
    return score;
}

Eigen::VectorXf transferNormalisation(const Eigen::MatrixXf& curves, const Eigen::VectorXf& samples,
                                      const std::string& method)
{
    Eigen::VectorXf upper(curves.rows());
    for (Eigen::Index n = 0; n < curves.rows(); ++n)
        upper(n) = statistic(curves.row(n).transpose().array(), samples.array(), method);
    return upper;
}

namespace {

Eigen::MatrixXf extrapolated(const TransferAt& transferAt, const Eigen::VectorXf& range, double xnorm)
{
    const Eigen::VectorXf seen = linspace(-xnorm, xnorm, kSaturatingFitSamples);
    const Eigen::MatrixXf learned = transferAt(seen);
    const Eigen::MatrixXf beyond = transferAt(range);
    Eigen::MatrixXf curves(learned.rows(), range.size());
    const Eigen::ArrayXd x = seen.cast<double>().array(), far = range.cast<double>().array();
    for (Eigen::Index n = 0; n < learned.rows(); ++n) {
        const SaturatingCurve fit = fitSaturatingCurve(x, learned.row(n).transpose().cast<double>().array());
        if (fit.r2 >= kSaturatingFitR2)
            curves.row(n) = fit(far).cast<float>().matrix().transpose();
        else
            curves.row(n) = beyond.row(n); // not a saturating shape: the network's own values there
    }
    return curves;
}

Eigen::VectorXf scalesOf(const TransferAt& transferAt, const ExperimentConfig& c, double xnorm, int samples)
{
    auto [start, stop] = normalisationRange(c);
    const Eigen::VectorXf r = linspace(start * xnorm, stop * xnorm, samples);
    if (start > 1.0) // beyond the activity the model was trained on (docs/method.md §D.1)
        return transferNormalisation(extrapolated(transferAt, r, xnorm), r, c.plotting.normMethod);
    return transferNormalisation(transferAt(r), r, c.plotting.normMethod);
}

} // namespace

Eigen::MatrixXf extrapolatedTransferCurves(const LearnedModel& model, const Eigen::VectorXf& range, double xnorm)
{
    return extrapolated([&model](const Eigen::VectorXf& r) { return model.transferCurves(r); }, range, xnorm);
}

Eigen::VectorXf transferScales(const LearnedModel& model, const ExperimentConfig& c, double xnorm, int samples)
{
    return scalesOf([&model](const Eigen::VectorXf& r) { return model.transferCurves(r); }, c, xnorm, samples);
}

Eigen::VectorXf trueTransferScales(const Dataset& d, const ExperimentConfig& c, double xnorm)
{
    const TransferAt truth = [&d](const Eigen::VectorXf& r) { // each type's true ψ (into itself, PDE_N5): [K, R]
        Eigen::MatrixXf curves(d.typeParameters.rows(), r.size());
        for (Eigen::Index k = 0; k < curves.rows(); ++k)
            curves.row(k) = trueTransferFunction(d.signalModel, d.typeParameters.row(k), r.cast<double>().array())
                                .cast<float>().matrix().transpose();
        return curves;
    };
    Eigen::VectorXf upper = scalesOf(truth, c, xnorm, kNormalisationSamples);
    for (Eigen::Index k = 0; k < upper.size(); ++k)
        if (!std::isfinite(upper(k)) || std::fabs(upper(k)) < 1e-6f)
            upper(k) = 1.0f; // a flat ψ: shown as it is
    return upper;
}

LinearFit perfectRecoveryFit(const Dataset& d, const ExperimentConfig& c, double xnorm)
{
    const Eigen::VectorXf ofType = trueTransferScales(d, c, xnorm);
    Eigen::VectorXf upper(d.neurons());
    for (Eigen::Index n = 0; n < upper.size(); ++n)
        upper(n) = ofType(d.types[static_cast<std::size_t>(n)]);
    const Eigen::MatrixXf perfect = correctedConnectivity(kConnectivityGain * d.connectivity, upper);
    return fitLine(d.connectivity.data(), perfect.data(), perfect.size());
}

Eigen::MatrixXf correctedConnectivityPerEdge(const LearnedModel& model, const ExperimentConfig& c, double xnorm)
{
    const LearnedModel::ReceiverInputs receivers = model.receiverInputs();
    const Eigen::MatrixXf learned = model.connectivity();
    if (receivers.of.empty())
        return correctedConnectivity(learned, transferScales(model, c, xnorm));
    std::vector<Eigen::VectorXf> upper; // per receiver latent: upper_kj of every sender j
    for (Eigen::Index k = 0; k < receivers.latents.rows(); ++k) {
        const Eigen::VectorXf latent = receivers.latents.row(k).transpose();
        upper.push_back(scalesOf([&](const Eigen::VectorXf& r) { return model.transferCurvesInto(r, latent); }, c, xnorm,
                                 kNormalisationSamples));
    }
    Eigen::MatrixXf corrected(learned.rows(), learned.cols());
    for (Eigen::Index i = 0; i < learned.rows(); ++i)
        corrected.row(i) = learned.row(i).cwiseProduct(upper[static_cast<std::size_t>(receivers.of[i])].transpose()) /
                           kConnectivityGain;
    return corrected;
}

Eigen::MatrixXf correctedConnectivity(const Eigen::MatrixXf& learned, const Eigen::VectorXf& upper)
{
    if (upper.size() != learned.cols())
        return learned / kConnectivityGain;
    return learned * (upper / kConnectivityGain).asDiagonal();
}

std::vector<std::int32_t> recoverTypes(const LearnedModel& model, const ExperimentConfig& config, double xnorm)
{
    return clusterProfiles(functionProfiles(model, config, xnorm)).labels;
}

Evaluation evaluate(const LearnedModel& model, const Dataset& d, const ExperimentConfig& c, std::int64_t rolloutFrames,
                    const Progress& progress)
{
    Evaluation e;
    e.xnorm = activityScale(d);
    progress.update("connectivity", 0, 4);
    if (d.connectivity.rows() == d.neurons()) {
        e.connectivity = scoreConnectivity(model, d, c, e.xnorm);
        if (d.typeParameters.rows() > 0) {
            e.connectivity.perfectRecovery = perfectRecoveryFit(d, c, e.xnorm);
            e.connectivity.hasPerfectRecovery = true;
        }
        if (!model.receiverInputs().of.empty()) {
            const Eigen::MatrixXf perEdge = correctedConnectivityPerEdge(model, c, e.xnorm);
            e.connectivity.correctedPerEdge = fitLine(d.connectivity.data(), perEdge.data(), perEdge.size());
            e.connectivity.hasPerEdge = true;
        }
    }
    progress.update("types", 1, 4);
    const std::vector<std::int32_t> clusters = recoverTypes(model, c, e.xnorm);
    e.types = scoreTypes(d.types, clusters);
    e.typesFromLatents = scoreTypes(d.types, clusterLatents(model.latents()));
    progress.update("functions", 2, 4);
    if (d.typeParameters.rows() > 0)
        e.functions = scoreFunctions(model, d, c, e.xnorm);
    e.stimulus = scoreStimulus(model, d);
    e.hasTruth = hasGroundTruth(d);
    if (rolloutFrames > 0 && e.hasTruth)
        e.rollout = scoreRollout(rolloutTraces(model, d, rolloutFrames, progress));
    e.withoutTruth = scoreWithoutTruth(model, d, c, clusters, rolloutFrames, progress);
    return e;
}

bool hasGroundTruth(const Dataset& d)
{
    return d.typeParameters.rows() > 0 && d.connectivity.rows() == d.neurons() &&
           static_cast<std::int64_t>(d.types.size()) == d.neurons();
}

namespace {

/// The chosen formula of each learned curve (the full fronts are `plexus-cli equations --json`).
void writeEquations(std::ostringstream& out, const std::vector<CurveEquation>& equations)
{
    if (equations.empty())
        return;
    out << ",\n  \"equations\": [";
    for (std::size_t i = 0; i < equations.size(); ++i) {
        const CurveEquation& c = equations[i];
        const ParetoEntry* best = c.search.best();
        out << (i ? "," : "") << "\n    {\"name\": " << jsonString(c.name) << ", \"function\": " << jsonString(c.function)
            << ", \"cluster\": " << c.cluster << ", \"expression\": " << jsonString(best ? best->expression.text() : "")
            << ", \"readable\": " << jsonString(best ? best->expression.readable(c.variable) : "")
            << ", \"complexity\": " << (best ? best->complexity : 0) << ", \"r2\": " << (best ? best->r2 : 0.0);
        if (!c.truth.empty())
            out << ", \"truth\": " << jsonString(c.truth.text()) << ", \"structure_matches\": "
                << (c.match.structureMatches ? "true" : "false") << ", \"largest_coefficient_error\": "
                << (c.match.structureMatches ? c.match.largestRelativeError() : 0.0);
        out << "}";
    }
    out << "\n  ]";
}

} // namespace

std::string evaluationToJson(const Evaluation& e)
{
    std::ostringstream out;
    out.precision(6);
    out << "{\n  \"xnorm\": " << e.xnorm << ",\n  \"connectivity\": {";
    writeFit(out, "raw", e.connectivity.raw);
    out << ", ";
    writeFit(out, "corrected", e.connectivity.corrected);
    if (e.connectivity.hasPerEdge) {
        out << ", ";
        writeFit(out, "corrected_per_edge", e.connectivity.correctedPerEdge);
    }
    if (e.connectivity.hasPerfectRecovery) {
        out << ", ";
        writeFit(out, "corrected_if_perfect", e.connectivity.perfectRecovery);
    }
    out << "},\n  \"types\": {\"clusters\": " << e.types.clusters << ", \"accuracy_median_label\": "
        << e.types.accuracyMedianLabel << ", \"accuracy_matched\": " << e.types.accuracyMatched
        << ", \"adjusted_rand\": " << e.types.adjustedRand << ", \"method\": \"function profiles\"},\n"
        << "  \"types_from_latents\": {\"clusters\": " << e.typesFromLatents.clusters << ", \"accuracy_median_label\": "
        << e.typesFromLatents.accuracyMedianLabel << ", \"accuracy_matched\": " << e.typesFromLatents.accuracyMatched
        << ", \"adjusted_rand\": " << e.typesFromLatents.adjustedRand << "},\n  \"functions\": {";
    writeList(out, "update_r2_per_type", e.functions.updateR2PerType);
    out << ", ";
    writeList(out, "transfer_r2_per_type", e.functions.transferR2PerType);
    out << "},\n  \"rollout\": " << rolloutToJson(e.rollout);
    out << ",\n  \"stimulus\": {\"available\": " << (e.stimulus.available ? "true" : "false") << ", \"scale\": "
        << e.stimulus.scale << ", ";
    writeFit(out, "fit", e.stimulus.fit);
    out << "}";
    const RecordingScore& w = e.withoutTruth;
    out << ",\n  \"ground_truth\": " << (e.hasTruth ? "true" : "false") << ",\n  \"without_truth\": {\"held_out\": "
        << (w.heldOut ? "true" : "false") << ", \"first_scored_frame\": " << w.firstScoredFrame
        << ", \"scored_frames\": " << w.scoredFrames << ", \"one_step_r2\": " << w.oneStepR2 << ", ";
    writeFit(out, "one_step_fit", w.oneStepFit);
    out << ", \"rollout\": " << rolloutToJson(w.rollout) << ", \"clusters\": " << w.clusters
        << ", \"silhouette\": " << w.silhouette << ", \"stability\": "
        << (e.stabilityRun.empty() ? "null" : modelAgreementToJson(e.stability, e.stabilityRun)) << "}";
    writeEquations(out, e.equations);
    out << "\n}\n";
    return out.str();
}

} // namespace plexus
