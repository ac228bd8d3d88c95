#include "plexus/config/config_schema.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>

namespace plexus {

namespace {

template <class T>
struct TypeOf;
template <>
struct TypeOf<bool> { static constexpr ConfigType kType = ConfigType::Bool; };
template <>
struct TypeOf<std::int64_t> { static constexpr ConfigType kType = ConfigType::Int; };
template <>
struct TypeOf<double> { static constexpr ConfigType kType = ConfigType::Double; };
template <>
struct TypeOf<std::string> { static constexpr ConfigType kType = ConfigType::String; };
template <>
struct TypeOf<std::vector<double>> { static constexpr ConfigType kType = ConfigType::DoubleList; };
template <>
struct TypeOf<std::vector<std::vector<double>>> { static constexpr ConfigType kType = ConfigType::Matrix; };

using Check = std::function<std::string(const ConfigValue&)>;

constexpr auto kUsed = FieldUsage::Used;
constexpr auto kLater = FieldUsage::NotUsedYet;
constexpr auto kSim = FieldEffect::Simulation;
constexpr auto kTrain = FieldEffect::Training;
constexpr auto kDisplay = FieldEffect::Display;

template <class S, class T>
ConfigField sectionField(const char* section, S ExperimentConfig::*sec, const char* key, T S::*member,
                         FieldUsage usage, FieldEffect effect, const char* help, Check check = {})
{
    ConfigField f{section, key, TypeOf<T>::kType, usage, effect, help, {}, {}, std::move(check)};
    f.get = [sec, member](const ExperimentConfig& c) { return ConfigValue((c.*sec).*member); };
    f.set = [sec, member](ExperimentConfig& c, const ConfigValue& v) { (c.*sec).*member = std::get<T>(v); };
    return f;
}

template <class T>
ConfigField topField(const char* key, T ExperimentConfig::*member, const char* help)
{
    ConfigField f{"", key, TypeOf<T>::kType, kUsed, kDisplay, help, {}, {}, {}};
    f.get = [member](const ExperimentConfig& c) { return ConfigValue(c.*member); };
    f.set = [member](ExperimentConfig& c, const ConfigValue& v) { c.*member = std::get<T>(v); };
    return f;
}

Check positiveInt()
{
    return [](const ConfigValue& v) {
        return std::get<std::int64_t>(v) > 0 ? std::string() : std::string("a positive integer");
    };
}
Check nonNegativeInt()
{
    return [](const ConfigValue& v) {
        return std::get<std::int64_t>(v) >= 0 ? std::string() : std::string("an integer ≥ 0");
    };
}
Check nonPositiveInt()
{
    return [](const ConfigValue& v) {
        return std::get<std::int64_t>(v) <= 0 ? std::string()
                                              : std::string("an integer ≤ 0 (negative = warm-up steps)");
    };
}
Check positiveNumber()
{
    return [](const ConfigValue& v) {
        double x = std::get<double>(v);
        return std::isfinite(x) && x > 0 ? std::string() : std::string("a positive number");
    };
}
Check nonNegativeNumber()
{
    return [](const ConfigValue& v) {
        double x = std::get<double>(v);
        return std::isfinite(x) && x >= 0 ? std::string() : std::string("a number ≥ 0");
    };
}
Check fraction(bool allowZero)
{
    return [allowZero](const ConfigValue& v) {
        double x = std::get<double>(v);
        bool ok = std::isfinite(x) && (allowZero ? x >= 0 : x > 0) && x <= 1;
        return ok ? std::string() : std::string(allowZero ? "a number in [0, 1]" : "a number in (0, 1]");
    };
}
Check fractionBelowOne()
{
    return [](const ConfigValue& v) {
        double x = std::get<double>(v);
        return std::isfinite(x) && x >= 0 && x < 1 ? std::string() : std::string("a number in [0, 1)");
    };
}
Check heldOutFraction()
{
    return [](const ConfigValue& v) {
        double x = std::get<double>(v);
        return std::isfinite(x) && x >= 0 && x <= 0.5 ? std::string() : std::string("a number in [0, 0.5]");
    };
}
Check oneOf(std::vector<std::string> choices)
{
    return [choices](const ConfigValue& v) {
        const auto& s = std::get<std::string>(v);
        if (std::find(choices.begin(), choices.end(), s) != choices.end())
            return std::string();
        std::string text = "one of";
        for (std::size_t i = 0; i < choices.size(); ++i)
            text += (i ? ", \"" : " \"") + choices[i] + "\"";
        return text;
    };
}
Check rangePair()
{
    return [](const ConfigValue& v) {
        const auto& r = std::get<std::vector<double>>(v);
        bool ok = r.size() == 2 && std::isfinite(r[0]) && std::isfinite(r[1]) && r[0] < r[1];
        return ok ? std::string() : std::string("two numbers [low, high] with low < high");
    };
}

std::vector<ConfigField> buildSchema()
{
    using E = ExperimentConfig;
    using S = SimulationConfig;
    using G = GraphModelConfig;
    using T = TrainingConfig;
    using P = PlottingConfig;
    const char* sim = "simulation";
    const char* gm = "graph_model";
    const char* tr = "training";
    const char* pl = "plotting";
    auto s = &E::simulation;
    auto g = &E::graphModel;
    auto t = &E::training;
    auto p = &E::plotting;
    return {
        topField("description", &E::description, "One line saying what the experiment shows"),
        topField("dataset", &E::dataset, "Dataset name (the authors' folder name)"),

        sectionField(sim, s, "connectivity_type", &S::connectivityType, kUsed, kSim,
                     "True W: Lorentz (Cauchy/N^α, paper), Gaussian or chaotic (N(0,1)/√N), uniform (U(−½,½)), low_rank (U·V/√(rN))",
                     oneOf({"Lorentz", "Gaussian", "uniform", "chaotic", "low_rank"})),
        sectionField(sim, s, "connectivity_init", &S::connectivityInit, kLater, kSim,
                     "Kept for the authors' files; no connectivity law uses it (as in their code)"),
        sectionField(sim, s, "connectivity_filling_factor", &S::connectivityFillingFactor, kUsed, kSim,
                     "Fraction of W entries kept (each zeroed with probability 1 − ff)", fraction(false)),
        sectionField(sim, s, "connectivity_rank", &S::connectivityRank, kUsed, kSim,
                     "Rank r of a low_rank W = U·V/√(rN)", positiveInt()),
        sectionField(sim, s, "Dale_law", &S::daleLaw, kUsed, kSim,
                     "Dale's law: each presynaptic column all positive or all negative"),
        sectionField(sim, s, "Dale_law_factor", &S::daleLawFactor, kUsed, kSim,
                     "Fraction of excitatory (positive) columns under Dale's law", fraction(true)),
        sectionField(sim, s, "params", &S::params, kUsed, kSim,
                     "Per-type parameter rows: PDE_N2 [g, s, c]; PDE_N4/N5 [a, b, g, s, w, h]"),
        sectionField(sim, s, "phi", &S::phi, kUsed, kSim, "Transfer nonlinearity", oneOf({"tanh"})),
        sectionField(sim, s, "n_neurons", &S::nNeurons, kUsed, kSim, "Number of neurons N", positiveInt()),
        sectionField(sim, s, "n_neuron_types", &S::nNeuronTypes, kUsed, kSim, "Number of neuron types K",
                     positiveInt()),
        sectionField(sim, s, "n_input_neurons", &S::nInputNeurons, kUsed, kSim,
                     "Neurons receiving the movie, on a square grid (0 = none or all)", nonNegativeInt()),
        sectionField(sim, s, "n_frames", &S::nFrames, kUsed, kSim, "Saved frames are 0..n_frames",
                     positiveInt()),
        sectionField(sim, s, "delta_t", &S::deltaT, kUsed, kSim, "Euler time step Δt", positiveNumber()),
        sectionField(sim, s, "start_frame", &S::startFrame, kUsed, kSim,
                     "First step; negative = that many warm-up steps, not saved", nonPositiveInt()),
        sectionField(sim, s, "noise_model_level", &S::noiseModelLevel, kUsed, kSim,
                     "Noise σ added to u at every Euler step", nonNegativeNumber()),
        sectionField(sim, s, "noise_scale_sqrt_dt", &S::noiseScaleSqrtDt, kUsed, kSim,
                     "Plexus option: scale the noise by √Δt (Euler–Maruyama) instead of the authors' σ per step"),
        sectionField(sim, s, "seed", &S::seed, kUsed, kSim, "Random seed of the generator"),
        sectionField(sim, s, "shuffle_neuron_types", &S::shuffleNeuronTypes, kUsed, kSim,
                     "Shuffle the type blocks over neurons"),
        sectionField(sim, s, "external_input_type", &S::externalInputType, kUsed, kSim,
                     "External input: none, visual (movie on the grid neurons), modulation (movie on all), signal",
                     oneOf({"none", "visual", "modulation", "signal"})),
        sectionField(sim, s, "external_input_mode", &S::externalInputMode, kUsed, kSim,
                     "How the input enters: none, additive (+e), multiplicative (messages × Ω)",
                     oneOf({"none", "additive", "multiplicative"})),
        sectionField(sim, s, "node_value_map", &S::nodeValueMap, kUsed, kSim,
                     "Movie: a multi-page TIFF, a folder of PNGs (relative to the config file), "
                     "or builtin:blobs / builtin:gratings"),
        sectionField(sim, s, "signal_input_type", &S::signalInputType, kUsed, kSim,
                     "Signal input: oscillatory or triggered", oneOf({"oscillatory", "triggered"})),
        sectionField(sim, s, "oscillation_max_amplitude", &S::oscillationMaxAmplitude, kUsed, kSim,
                     "Oscillatory input amplitude bound A (e_i ~ U(−A, A))", nonNegativeNumber()),
        sectionField(sim, s, "oscillation_frequency", &S::oscillationFrequency, kUsed, kSim,
                     "Oscillation frequency f (t = it·Δt)", nonNegativeNumber()),
        sectionField(sim, s, "triggered_n_impulses", &S::triggeredNImpulses, kUsed, kSim,
                     "Number of triggered impulse events", positiveInt()),
        sectionField(sim, s, "movie_frames", &S::movieFrames, kUsed, kSim,
                     "Frames of a built-in synthetic movie", positiveInt()),

        sectionField(gm, g, "signal_model_name", &G::signalModelName, kUsed, kSim,
                     "Dynamics variant: PDE_N2, PDE_N4 (sender-dependent ψ), PDE_N5 (receiver-dependent ψ)",
                     oneOf({"PDE_N2", "PDE_N4", "PDE_N5"})),
        sectionField(gm, g, "prediction", &G::prediction, kUsed, kTrain, "Training target",
                     oneOf({"first_derivative"})),
        sectionField(gm, g, "input_size", &G::inputSize, kUsed, kTrain, "ψ* inputs (1, 3 or 5)", positiveInt()),
        sectionField(gm, g, "output_size", &G::outputSize, kUsed, kTrain, "ψ* outputs", positiveInt()),
        sectionField(gm, g, "hidden_dim", &G::hiddenDim, kUsed, kTrain, "ψ* width", positiveInt()),
        sectionField(gm, g, "n_layers", &G::nLayers, kUsed, kTrain, "ψ* Linear layers", positiveInt()),
        sectionField(gm, g, "input_size_update", &G::inputSizeUpdate, kUsed, kTrain, "φ* inputs", positiveInt()),
        sectionField(gm, g, "n_layers_update", &G::nLayersUpdate, kUsed, kTrain, "φ* Linear layers",
                     positiveInt()),
        sectionField(gm, g, "hidden_dim_update", &G::hiddenDimUpdate, kUsed, kTrain, "φ* width", positiveInt()),
        sectionField(gm, g, "input_size_nnr_f", &G::inputSizeNnrF, kUsed, kTrain, "Ω* SIREN inputs",
                     positiveInt()),
        sectionField(gm, g, "n_layers_nnr_f", &G::nLayersNnrF, kUsed, kTrain, "Ω* SIREN hidden layers",
                     positiveInt()),
        sectionField(gm, g, "hidden_dim_nnr_f", &G::hiddenDimNnrF, kUsed, kTrain, "Ω* SIREN width",
                     positiveInt()),
        sectionField(gm, g, "output_size_nnr_f", &G::outputSizeNnrF, kUsed, kTrain, "Ω* SIREN outputs",
                     positiveInt()),
        sectionField(gm, g, "outermost_linear_nnr_f", &G::outermostLinearNnrF, kUsed, kTrain,
                     "Ω* SIREN ends with a Linear layer"),
        sectionField(gm, g, "omega_f", &G::omegaF, kUsed, kTrain, "Ω* SIREN frequency ω0", positiveNumber()),
        sectionField(gm, g, "aggr_type", &G::aggrType, kUsed, kTrain, "Message aggregation", oneOf({"add"})),
        sectionField(gm, g, "embedding_dim", &G::embeddingDim, kUsed, kTrain, "Latent vector dimension",
                     positiveInt()),
        sectionField(gm, g, "update_type", &G::updateType, kUsed, kTrain, "Update function inputs",
                     oneOf({"none"})),
        sectionField(gm, g, "MLP_activation", &G::mlpActivation, kUsed, kTrain, "MLP activation",
                     oneOf({"relu", "tanh", "leaky_relu", "sigmoid"})),
        sectionField(gm, g, "lin_edge_positive", &G::linEdgePositive, kLater, kTrain, "Square the ψ* output"),

        sectionField(pl, p, "colormap", &P::colormap, kLater, kDisplay, "Type colour map"),
        sectionField(pl, p, "arrow_length", &P::arrowLength, kLater, kDisplay, "Arrow length (unused)"),
        sectionField(pl, p, "xlim", &P::xlim, kUsed, kTrain, "Activity range of function plots and of the epoch-end clustering (training)",
                     rangePair()),
        sectionField(pl, p, "ylim", &P::ylim, kLater, kDisplay, "Activity plot y range (the authors' plots)", rangePair()),
        sectionField(pl, p, "label_style", &P::labelStyle, kLater, kDisplay, "Axis label style"),
        sectionField(pl, p, "mlp0_xlim", &P::mlp0Xlim, kLater, kDisplay, "φ* plot x range", rangePair()),
        sectionField(pl, p, "mlp0_ylim", &P::mlp0Ylim, kUsed, kDisplay, "φ* plot y range (widened to show the true φ)", rangePair()),
        sectionField(pl, p, "mlp1_xlim", &P::mlp1Xlim, kLater, kDisplay, "ψ* plot x range", rangePair()),
        sectionField(pl, p, "mlp1_ylim", &P::mlp1Ylim, kLater, kDisplay, "ψ* plot y range", rangePair()),
        sectionField(pl, p, "norm_method", &P::normMethod, kUsed, kTrain, "ψ* normalisation statistic",
                     oneOf({"median", "max", "mean", "plateau"})),
        sectionField(pl, p, "norm_x_start", &P::normXStart, kUsed, kTrain, "ψ* normalisation range start (×xnorm)"),
        sectionField(pl, p, "norm_x_stop", &P::normXStop, kUsed, kTrain, "ψ* normalisation range stop (×xnorm)"),

        sectionField(tr, t, "n_epochs", &T::nEpochs, kUsed, kTrain, "Epochs", positiveInt()),
        sectionField(tr, t, "n_runs", &T::nRuns, kLater, kTrain, "Runs", positiveInt()),
        sectionField(tr, t, "device", &T::device, kUsed, kTrain, "auto, cpu or cuda",
                     oneOf({"auto", "cpu", "cuda"})),
        sectionField(tr, t, "batch_size", &T::batchSize, kUsed, kTrain, "Frames per iteration B", positiveInt()),
        sectionField(tr, t, "small_init_batch_size", &T::smallInitBatchSize, kUsed, kTrain,
                     "Batch size 1 during epoch 0"),
        sectionField(tr, t, "seed", &T::seed, kUsed, kTrain, "Training seed"),
        sectionField(tr, t, "data_augmentation_loop", &T::dataAugmentationLoop, kUsed, kTrain,
                     "Sets iterations per epoch: ⌊n_frames·DAL/B⌋·0.2", positiveInt()),
        sectionField(tr, t, "sparsity", &T::sparsity, kUsed, kTrain, "Epoch-end clustering step",
                     oneOf({"none", "replace_embedding_function"})),
        sectionField(tr, t, "sparsity_freq", &T::sparsityFreq, kUsed, kTrain, "Clustering every k epochs",
                     positiveInt()),
        sectionField(tr, t, "cluster_method", &T::clusterMethod, kUsed, kTrain,
                     "What the epoch-end step clusters: distance_plot (φ* curves) or distance_embedding (latents)",
                     oneOf({"distance_plot", "distance_embedding"})),
        sectionField(tr, t, "cluster_distance_threshold", &T::clusterDistanceThreshold, kUsed, kTrain,
                     "Single-linkage distance threshold", positiveNumber()),
        sectionField(tr, t, "cluster_connectivity", &T::clusterConnectivity, kLater, kTrain, "Linkage",
                     oneOf({"single", "average"})),
        sectionField(tr, t, "fix_cluster_embedding", &T::fixClusterEmbedding, kUsed, kTrain,
                     "Freeze latents and ψ* for the epoch after clustering"),
        sectionField(tr, t, "learning_rate_W_start", &T::learningRateWStart, kUsed, kTrain, "Learning rate of W",
                     nonNegativeNumber()),
        sectionField(tr, t, "learning_rate_start", &T::learningRateStart, kUsed, kTrain,
                     "Learning rate of φ* and ψ*", nonNegativeNumber()),
        sectionField(tr, t, "learning_rate_embedding_start", &T::learningRateEmbeddingStart, kUsed, kTrain,
                     "Learning rate of the latents", nonNegativeNumber()),
        sectionField(tr, t, "learning_rate_NNR_f", &T::learningRateNnrF, kUsed, kTrain, "Learning rate of Ω*",
                     nonNegativeNumber()),
        sectionField(tr, t, "coeff_lin_phi_zero", &T::coeffLinPhiZero, kUsed, kTrain, "λ for φ*(0, a) = 0",
                     nonNegativeNumber()),
        sectionField(tr, t, "coeff_edge_diff", &T::coeffEdgeDiff, kUsed, kTrain, "λ for ψ* monotonicity",
                     nonNegativeNumber()),
        sectionField(tr, t, "coeff_update_diff", &T::coeffUpdateDiff, kLater, kTrain,
                     "λ for φ* monotonicity (generic update only)", nonNegativeNumber()),
        sectionField(tr, t, "coeff_W_L1", &T::coeffWL1, kUsed, kTrain, "λ for L1(W)", nonNegativeNumber()),
        sectionField(tr, t, "first_coeff_L1", &T::firstCoeffL1, kUsed, kTrain, "λ L1(W) in phase 1",
                     nonNegativeNumber()),
        sectionField(tr, t, "n_epochs_init", &T::nEpochsInit, kUsed, kTrain, "Epochs of phase 1",
                     nonNegativeInt()),
        sectionField(tr, t, "W_init_std", &T::wInitStd, kUsed, kTrain,
                     "Std of the learned W's random start (Plexus; the paper: 1)", nonNegativeNumber()),
        sectionField(tr, t, "connectivity_refit_every", &T::connectivityRefitEvery, kUsed, kTrain,
                     "Iterations between least-squares refits of W given φ*, ψ* (Plexus; 0: never, the paper)",
                     nonNegativeInt()),
        sectionField(tr, t, "connectivity_refit_share", &T::connectivityRefitShare, kUsed, kTrain,
                     "Share of the time W refits may take; the interval follows it (Plexus; 0: every "
                     "connectivity_refit_every iterations)",
                     fractionBelowOne()),
        sectionField(tr, t, "connectivity_refit_until", &T::connectivityRefitUntil, kUsed, kTrain,
                     "No W refit after this iteration, the end of training included (Plexus; 0: no limit)",
                     nonNegativeInt()),
        sectionField(tr, t, "connectivity_refit_functions", &T::connectivityRefitFunctions, kUsed, kTrain,
                     "With the W refit: also refit φ*'s and ψ*'s output layers by least squares, then W (Plexus)"),
        sectionField(tr, t, "connectivity_refit_L1", &T::connectivityRefitL1, kUsed, kTrain,
                     "While L1(W) is on, the W refit is sparse: least squares plus a validated L1 penalty (Plexus)"),
        sectionField(tr, t, "training_single_type", &T::trainingSingleType, kUsed, kTrain,
                     "Fixed identical latents (no embedding)"),
        sectionField(tr, t, "learn_external_input", &T::learnExternalInput, kUsed, kTrain, "Learn Ω* (SIREN)"),
        sectionField(tr, t, "held_out_fraction", &T::heldOutFraction, kUsed, kTrain,
                     "Last fraction of the frames kept out of training, for the one-step R² on unseen frames "
                     "(Plexus; docs/recordings.md)", heldOutFraction()),
        sectionField(tr, t, "receiver_groups", &T::receiverGroups, kUsed, kTrain,
                     "PDE_N5: receiver groups ψ* is trained with (Plexus; the paper: per edge)", positiveInt()),
        sectionField(tr, t, "low_rank_factorization", &T::lowRankFactorization, kUsed, kTrain, "Learn W = L·R"),
        sectionField(tr, t, "low_rank", &T::lowRank, kUsed, kTrain, "Rank of the learned W", positiveInt()),
        sectionField(tr, t, "measurement_noise_level", &T::measurementNoiseLevel, kLater, kTrain,
                     "Measurement noise", nonNegativeNumber()),
    };
}

// Keys in the authors' files that have no meaning for signal experiments; known so they load quietly.
const std::vector<std::string>& ignoredAuthorKeys()
{
    static const std::vector<std::string> kKeys = {
        "simulation.dpos_init",        "simulation.boundary",           "simulation.tau",
        "simulation.min_radius",       "simulation.max_radius",         "graph_model.particle_model_name",
        "graph_model.mesh_model_name",
    };
    return kKeys;
}

std::size_t editDistance(const std::string& a, const std::string& b)
{
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j)
        row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            std::size_t above = row[j];
            std::size_t cost = std::tolower(a[i - 1]) == std::tolower(b[j - 1]) ? 0 : 1;
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + cost});
            diagonal = above;
        }
    }
    return row[b.size()];
}

} // namespace

const std::vector<ConfigField>& configSchema()
{
    static const std::vector<ConfigField> kSchema = buildSchema();
    return kSchema;
}

const ConfigField* findConfigField(const std::string& path)
{
    static const std::map<std::string, const ConfigField*> kIndex = [] {
        std::map<std::string, const ConfigField*> index;
        for (const auto& f : configSchema())
            index[f.path()] = &f;
        return index;
    }();
    auto it = kIndex.find(path);
    return it == kIndex.end() ? nullptr : it->second;
}

bool isIgnoredAuthorKey(const std::string& path)
{
    const auto& keys = ignoredAuthorKeys();
    return std::find(keys.begin(), keys.end(), path) != keys.end();
}

const std::vector<std::string>& configSections()
{
    static const std::vector<std::string> kSections = {"simulation", "graph_model", "plotting", "training"};
    return kSections;
}

std::string nearestConfigKey(const std::string& path)
{
    std::string key = path.substr(path.find('.') == std::string::npos ? 0 : path.find('.') + 1);
    std::string best;
    std::size_t bestScore = std::string::npos;
    for (const auto& f : configSchema()) {
        // Same key in another section scores best; otherwise the edit distance of the key names.
        std::size_t score = f.key == key ? 0 : editDistance(key, f.key) + 1;
        if (score < bestScore) {
            bestScore = score;
            best = f.path();
        }
    }
    std::size_t limit = std::max<std::size_t>(3, key.size() / 3) + 1;
    return bestScore <= limit ? best : std::string();
}

} // namespace plexus
