#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace plexus {

/// Ground-truth generator settings (YAML section `simulation`, the authors' key names; docs/method.md §A).
struct SimulationConfig
{
    std::string connectivityType = "Lorentz";          ///< connectivity_type
    std::vector<double> connectivityInit = {0.0, 0.1}; ///< connectivity_init (kept; unused, as in the authors' code)
    double connectivityFillingFactor = 1.0;            ///< connectivity_filling_factor, fraction of kept entries
    std::int64_t connectivityRank = 20;                ///< connectivity_rank, for connectivity_type low_rank
    bool daleLaw = false;                              ///< Dale_law
    double daleLawFactor = 0.5;                        ///< Dale_law_factor: fraction of excitatory columns
    std::vector<std::vector<double>> params;           ///< per-type parameter rows (columns depend on the model)
    std::string phi = "tanh";                          ///< transfer nonlinearity (only tanh)
    std::int64_t nNeurons = 1000;                      ///< n_neurons
    std::int64_t nNeuronTypes = 4;                     ///< n_neuron_types
    std::int64_t nInputNeurons = 0;                    ///< n_input_neurons (stimulus-receiving, a square number)
    std::int64_t nFrames = 1000;                       ///< n_frames (saved frames are 0..n_frames)
    double deltaT = 0.01;                              ///< delta_t, Euler step
    std::int64_t startFrame = 0;                       ///< start_frame (< 0: warm-up steps, not saved)
    double noiseModelLevel = 0.0;                      ///< noise_model_level σ, added per step
    bool noiseScaleSqrtDt = false;                     ///< Plexus option: noise σ·√Δt·ξ instead of σ·ξ
    std::int64_t seed = 42;                            ///< seed
    bool shuffleNeuronTypes = false;                   ///< shuffle_neuron_types
    std::string externalInputType = "none";            ///< none | visual | modulation | signal
    std::string externalInputMode = "none";            ///< none | additive | multiplicative
    std::string nodeValueMap;                          ///< movie: TIFF stack, PNG folder, or builtin:blobs|gratings
    std::string signalInputType = "oscillatory";       ///< oscillatory | triggered (external_input_type: signal)
    double oscillationMaxAmplitude = 1.0;              ///< oscillation_max_amplitude
    double oscillationFrequency = 5.0;                 ///< oscillation_frequency (Hz, t = it·Δt)
    std::int64_t triggeredNImpulses = 5;               ///< triggered_n_impulses
    std::int64_t movieFrames = 257;                    ///< Plexus: frames of a built-in synthetic movie
};

/// GNN architecture (YAML section `graph_model`, docs/method.md §B).
struct GraphModelConfig
{
    std::string signalModelName = "PDE_N2"; ///< PDE_N2 | PDE_N4 | PDE_N5 (also selects the simulator variant)
    std::string prediction = "first_derivative";
    std::int64_t inputSize = 1;
    std::int64_t outputSize = 1;
    std::int64_t hiddenDim = 64;
    std::int64_t nLayers = 3;
    std::int64_t inputSizeUpdate = 3;
    std::int64_t nLayersUpdate = 3;
    std::int64_t hiddenDimUpdate = 64;
    std::int64_t inputSizeNnrF = 3;
    std::int64_t nLayersNnrF = 5;
    std::int64_t hiddenDimNnrF = 128;
    std::int64_t outputSizeNnrF = 1;
    bool outermostLinearNnrF = true;
    double omegaF = 30.0;
    std::string aggrType = "add";
    std::int64_t embeddingDim = 2;
    std::string updateType = "none";
    std::string mlpActivation = "relu";
    bool linEdgePositive = false;
};

/// Training settings (YAML section `training`, docs/method.md §C). Defaults are the authors' TrainingConfig defaults.
struct TrainingConfig
{
    std::int64_t nEpochs = 20;
    std::int64_t nRuns = 2;
    std::string device = "auto";
    std::int64_t batchSize = 1;
    bool smallInitBatchSize = false;
    std::int64_t seed = 42;
    std::int64_t dataAugmentationLoop = 40;
    std::string sparsity = "none";
    std::int64_t sparsityFreq = 5;
    std::string clusterMethod = "distance_plot";
    double clusterDistanceThreshold = 0.01;
    std::string clusterConnectivity = "single";
    bool fixClusterEmbedding = false;
    double learningRateWStart = 1e-4;
    double learningRateStart = 1e-3;
    double learningRateEmbeddingStart = 1e-3;
    double learningRateNnrF = 1e-4;
    double coeffLinPhiZero = 0.0;
    double coeffEdgeDiff = 0.0;
    double coeffUpdateDiff = 0.0;
    double coeffWL1 = 0.0;
    double firstCoeffL1 = 0.0;
    std::int64_t nEpochsInit = 0;
    /// Std of the learned W's random start (Plexus; the paper's 1). Smaller leaves less to unlearn where the
    /// activity does not pin W down (sparse networks, docs/reproduction.md).
    double wInitStd = 1.0;
    /// Every this many iterations W is set to its least-squares value given the current φ*, ψ* and latents (Plexus;
    /// 0: never, as the paper). The prediction is linear in W, so this is the exact minimiser of the prediction loss
    /// over W, not an approximation (docs/training.md, "Connectivity refit").
    std::int64_t connectivityRefitEvery = 0;
    /// With the connectivity refit: the share of the time the refits may take, in [0, 1) (Plexus; 0: every
    /// connectivityRefitEvery iterations). With s > 0 the next refit comes once the steps since the last one took
    /// (1 − s)/s times that refit's time, the first at connectivityRefitEvery iterations (docs/training.md).
    double connectivityRefitShare = 0.0;
    /// No refit after this iteration, the one when training ends included (Plexus; 0: no limit). The refit minimises
    /// the prediction error alone; where a sparsity penalty on W follows (supp_8's second phase), its dense
    /// least-squares W undoes what the penalty builds (docs/training.md, "Connectivity refit").
    std::int64_t connectivityRefitUntil = 0;
    /// With the connectivity refit: also set φ*'s and ψ*'s output layers to their least-squares values given W, then
    /// W again (Plexus; docs/training.md, "Connectivity refit").
    bool connectivityRefitFunctions = false;
    /// While the L1 penalty on W is on: the refit's rows minimise the squared error plus an L1 penalty (its weight
    /// chosen by validation) instead of a ridge, so the refit W is sparse like the one the penalty builds (Plexus;
    /// docs/training.md, "Sparse refit").
    bool connectivityRefitL1 = false;
    bool trainingSingleType = false;
    bool learnExternalInput = false;
    /// PDE_N5: ψ*(u_j, a_i, a_j) is trained with the receivers grouped by latent, at most this many groups, each
    /// seen through its mean latent (Plexus; the paper evaluates ψ* per edge). Exact once the latents form that many
    /// clusters; the step's cost grows with it (docs/training.md, "PDE_N5").
    std::int64_t receiverGroups = 8;
    double heldOutFraction = 0.0;       ///< held_out_fraction (Plexus): the last frames, never trained on
    bool lowRankFactorization = false;
    std::int64_t lowRank = 20;
    double measurementNoiseLevel = 0.0;
};

/// Plot ranges and styles (YAML section `plotting`, docs/method.md §D/G).
struct PlottingConfig
{
    std::string colormap = "tab10";
    double arrowLength = 1.0;
    std::vector<double> xlim = {-4.0, 4.0};
    std::vector<double> ylim = {-8.0, 8.0};
    std::string labelStyle = "greek";
    std::vector<double> mlp0Xlim = {-5.0, 5.0};
    std::vector<double> mlp0Ylim = {-8.0, 8.0};
    std::vector<double> mlp1Xlim = {-5.0, 5.0};
    std::vector<double> mlp1Ylim = {-1.1, 1.1};
    std::string normMethod = "median";
    double normXStart = NAN; ///< NaN: not set (default range [0.8·xnorm, xnorm])
    double normXStop = NAN;
};

/// One experiment: what to simulate, how to model and train, how to plot.
/// Loaded from the authors' YAML files as they are (see config_loader.h).
struct ExperimentConfig
{
    std::string description;
    std::string dataset;
    SimulationConfig simulation;
    GraphModelConfig graphModel;
    TrainingConfig training;
    PlottingConfig plotting;

    /// Entries the schema does not know, kept verbatim so a save loses nothing: (section.key, YAML text).
    std::vector<std::pair<std::string, std::string>> unknownEntries;
    /// Where the config came from (a file path, or "preset:NAME"); used in messages.
    std::string source;
};

} // namespace plexus
