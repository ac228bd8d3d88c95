#pragma once

#include "plexus/analysis/rollout.h"
#include "plexus/config/experiment_config.h"
#include "plexus/data/dataset.h"
#include "plexus/lab/perturbation.h"
#include "plexus/model/learned_model.h"
#include "plexus/util/progress.h"

#include <Eigen/Core>

#include <cstdint>
#include <string>
#include <vector>

namespace plexus {

/// A network after a Perturbation, both sides (docs/lab.md).
struct PerturbedNetwork
{
    Eigen::MatrixXf trueConnectivity;    ///< [N, N], row = postsynaptic
    std::vector<std::int32_t> types;     ///< true types [N]
    Eigen::MatrixXd typeParameters;      ///< [K, P]
    Eigen::MatrixXf learnedConnectivity; ///< [N, N]: the learned W edited, or the new true W × connectivityScale
    Eigen::MatrixXf latents;             ///< [N, d]
    /// The raw slope of learned against true W (evaluate's "raw" fit): a new true W enters the learned side times it.
    double connectivityScale = 1.0;
    /// What the learned side cannot know (a changed parameter), and other facts a user should read with the result.
    std::vector<std::string> notes;
};

/// Applies `perturbation` to the dataset's ground truth and to the learned model's W and latents (`model` nullptr:
/// the true side only, for a preview of the edits; the learned fields stay empty). InputError names the edit that
/// does not fit this run (a neuron or type out of range, proportions of the wrong length, an input edit for a run
/// without that input, a run without ground truth).
PerturbedNetwork perturbNetwork(const LearnedModel* model, const Dataset& data, const ExperimentConfig& config,
                                const Perturbation& perturbation);

/// Both sides rolled out from the dataset's frame 0, and how they part.
struct PerturbationResult
{
    Perturbation perturbation;
    PerturbedNetwork network;
    RolloutTraces traces;
    RolloutScore score;                 ///< as `evaluate`'s roll-out: R² every 10 frames, @400, @800, mean r
    std::vector<LinearFit> fitPerFrame; ///< true vs learned u across neurons at every frame
    Eigen::VectorXf neuronCorrelation;  ///< Pearson r of each neuron's two traces (0 for a silenced neuron)
    /// The first frame where a neuron's two traces differ by more than departureThreshold, or −1.
    std::vector<std::int64_t> firstDeparture;
    /// Neurons that part, earliest first (ties: by index).
    std::vector<std::int64_t> departureOrder;
    double departureThreshold = 0.0; ///< kDepartureFraction × std of the true roll-out (all neurons, all frames)
};

/// A neuron departs when |learned − true| exceeds this fraction of the true roll-out's standard deviation.
constexpr double kDepartureFraction = 0.25;

/// Perturbs, then integrates both sides for `frames` steps from the dataset's frame 0 (silenced neurons held at 0).
/// An empty perturbation gives exactly the plain roll-out (rolloutTraces). Cancellable through `progress`.
PerturbationResult runPerturbation(const LearnedModel& model, const Dataset& data, const ExperimentConfig& config,
                                   const Perturbation& perturbation, std::int64_t frames, const Progress& progress = {});

/// The `count` neurons with the strongest outgoing connections (Σ_i |W_ij|), strongest first: the hubs a teacher
/// silences first (docs/lab.md).
std::vector<std::int64_t> hubNeurons(const Eigen::MatrixXf& connectivity, std::size_t count);

/// {"perturbation": [lines], "rollout": {as metrics.json}, "connectivity_scale", "departure_threshold",
///  "first_departures": [{"neuron", "frame"}, … (the first 20)], "notes": [...]}.
std::string perturbationResultToJson(const PerturbationResult& result);

} // namespace plexus
