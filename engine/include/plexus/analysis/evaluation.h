#pragma once

#include "plexus/analysis/curve_equation.h"
#include "plexus/analysis/linear_fit.h"
#include "plexus/analysis/model_agreement.h"
#include "plexus/analysis/recording_score.h"
#include "plexus/analysis/rollout.h"
#include "plexus/analysis/type_recovery.h"
#include "plexus/config/experiment_config.h"
#include "plexus/data/dataset.h"
#include "plexus/model/learned_model.h"
#include "plexus/util/progress.h"

#include <string>
#include <vector>

namespace plexus {

/// Connectivity recovery (docs/method.md §D.1): raw (learned W vs true W) and ψ*-corrected (W*_ij·upper_j/10).
struct ConnectivityScore
{
    LinearFit raw;
    LinearFit corrected;
    /// Models whose ψ* takes the receiver (PDE_N5): each edge corrected by its own ψ* (correctedConnectivityPerEdge),
    /// a Plexus measure beside the paper's, set by evaluate(); hasPerEdge false elsewhere, where both are the same.
    bool hasPerEdge = false;
    LinearFit correctedPerEdge;
    /// What an exact recovery (the true W and ψ, the learned W carrying the gain g) scores under the same ψ
    /// normalisation (perfectRecoveryFit), set by evaluate() where the data have true parameters.
    bool hasPerfectRecovery = false;
    LinearFit perfectRecovery;
};

/// Function recovery per true type: median over the type's neurons of the R² of the learned curve against the
/// true one on [−xnorm, xnorm] (φ* as it is; ψ* and the true ψ each divided by the same normalisation statistic).
struct FunctionScore
{
    std::vector<double> updateR2PerType;
    std::vector<double> transferR2PerType;
};

/// Stimulus-field recovery (docs/method.md §D.5): √Ω* (|SIREN|, scaled so the frame-0 maxima agree: Ω* and W are identified
/// only up to a product) against √Ω of the data over 100 frames, all receivers pooled.
struct StimulusScore
{
    bool available = false;
    LinearFit fit;
    double scale = 1.0;
};

struct Evaluation
{
    double xnorm = 0.0;
    ConnectivityScore connectivity;
    /// Types found from the function profiles without ground truth (recoverTypes), scored against the true types.
    TypeRecovery types;
    /// The paper's own measure (docs/method.md §D.2): the latents alone, single linkage at 0.1.
    TypeRecovery typesFromLatents;
    FunctionScore functions;
    RolloutScore rollout;
    StimulusScore stimulus;
    /// Whether the data have a ground truth (true W, types, parameters): without it, the scores above are empty
    /// and only withoutTruth means something.
    bool hasTruth = false;
    /// The scores that need no truth (one-step prediction on held-out frames, roll-out against the data, clusters).
    RecordingScore withoutTruth;
    /// Agreement with another run of the same neurons — another seed, the other half of a recording — when asked for
    /// (`plexus-cli evaluate --compare`); `stabilityRun` names that run, empty when not asked.
    std::string stabilityRun;
    ModelAgreement stability;
    /// The learned functions as formulas (learnedCurves + fitEquations), when asked for (`plexus-cli evaluate`).
    std::vector<CurveEquation> equations;
};

/// The known gain g between learned and true W (docs/method.md §D.1): learned W / g is compared with the true W.
constexpr float kConnectivityGain = 10.0f;

/// xnorm = round(1.5·std(u)) over the whole activity (at least 1): the scale of regularisers and plots (docs/method.md §C.1).
double activityScale(const Dataset& data);

/// Points on the normalisation range [norm_x_start, norm_x_stop]·xnorm at which ψ* is sampled (docs/method.md §D.1).
constexpr int kNormalisationSamples = 100;

/// Points on [−xnorm, xnorm] through which each ψ* is fitted by a saturating curve when the normalisation range lies
/// beyond the activity (docs/method.md §D.1), and the R² below which the network's own extrapolation is kept instead.
constexpr int kSaturatingFitSamples = 32;
constexpr double kSaturatingFitR2 = 0.99;

/// Each neuron's ψ* sampled on `range`, a normalisation range beyond the activity the model was trained on: the
/// saturating curve a·tanh(b·u + c) + d fitted to ψ* on [−xnorm, xnorm], evaluated there (the network's own values
/// where that fit's R² is below kSaturatingFitR2). [N, range.size()]
Eigen::MatrixXf extrapolatedTransferCurves(const LearnedModel& model, const Eigen::VectorXf& range, double xnorm);

/// Per-neuron ψ* normalisation statistic upper_n (docs/method.md §D.1; `method` median, max, mean, plateau) from curves [N, R]
/// sampled on `samples` (the normalisation range).
Eigen::VectorXf transferNormalisation(const Eigen::MatrixXf& curves, const Eigen::VectorXf& samples,
                                      const std::string& method);

/// Each neuron's ψ* normalisation statistic upper_n over the normalisation range (docs/method.md §D.1) with `samples`
/// points: the column scale of the ψ*-corrected W (W*_ij · upper_j / g), comparable with the true W.
/// The one place that sets how finely the normalisation range is sampled: evaluation, the Studio's snapshots and
/// its Functions panel all use it, so they agree to the printed digit.
Eigen::VectorXf transferScales(const LearnedModel& model, const ExperimentConfig& config, double xnorm,
                               int samples = kNormalisationSamples);

/// The same statistic of each true type's ψ [K] (1 where ψ is flat there), to draw ψ/upper next to ψ*/upper*: the
/// same range and, beyond the data, the same saturating fit on [−xnorm, xnorm] as the learned ψ* gets, so both are
/// normalised alike (PDE_N5's true ψ never levels off: read directly at [10, 20]·xnorm it is negative).
Eigen::VectorXf trueTransferScales(const Dataset& data, const ExperimentConfig& config, double xnorm);

/// The learned W made comparable with the true W (docs/method.md §D.1): column j scaled by upper_j / g, i.e.
/// W*_ij · upper_j / g; with no scales (empty `upper`), W* / g.
Eigen::MatrixXf correctedConnectivity(const Eigen::MatrixXf& learned, const Eigen::VectorXf& upper);

/// The corrected W's fit for an exact recovery (docs/method.md §D.1): the true W with column j scaled by the same
/// statistic of the true ψ of sender j (into itself for PDE_N5) that the learned ψ* gets — the same range and, beyond
/// the data, the same saturating fit. R² 1 wherever that statistic is one number for every sender (PDE_N2, and
/// PDE_N4 whose ψ levels off at 1); below 1 where the true ψ does not level off (PDE_N5's −u·ln(w_j)/50 term), so the
/// normalisation itself reads the senders' types differently.
LinearFit perfectRecoveryFit(const Dataset& data, const ExperimentConfig& config, double xnorm);

/// The ψ*-corrected W with each edge's own ψ* (Plexus, docs/method.md §D.1): W*_ij · upper_ij / g, upper_ij the
/// statistic of ψ*(·, ā_i, a_j), the ψ* that edge i ← j uses (ā_i: receiver i's latent as the model's messages take
/// it). The paper's correctedConnectivity takes the sender's ψ* into itself, ψ*(·, a_j, a_j), for every receiver. The
/// same as that for models whose ψ* does not take the receiver.
Eigen::MatrixXf correctedConnectivityPerEdge(const LearnedModel& model, const ExperimentConfig& config, double xnorm);

/// W's recovery (docs/method.md §D.1): the learned W against the true one, raw and ψ*-corrected. The one computation
/// of evaluation and of a recipe's stopping rule (ConnectivityGoal).
ConnectivityScore scoreConnectivity(const LearnedModel& model, const Dataset& data, const ExperimentConfig& config,
                                    double xnorm);

/// The neuron types of a trained model, found without ground truth from what each neuron does: the function
/// profiles (functionProfiles) clustered with the number of types chosen from the data (clusterProfiles). The one
/// method of evaluation, the Studio and the epoch-end clustering step. Labels [N].
std::vector<std::int32_t> recoverTypes(const LearnedModel& model, const ExperimentConfig& config, double xnorm);

/// Whether `data` holds a ground truth to score against: true W, types and their parameters (a simulation).
bool hasGroundTruth(const Dataset& data);

/// Scores everything a user can ask of a trained model. `rolloutFrames` 0 skips the roll-out.
Evaluation evaluate(const LearnedModel& model, const Dataset& data, const ExperimentConfig& config,
                    std::int64_t rolloutFrames = 1000, const Progress& progress = {});

/// The evaluation as JSON (metrics.json).
std::string evaluationToJson(const Evaluation& evaluation);

} // namespace plexus
