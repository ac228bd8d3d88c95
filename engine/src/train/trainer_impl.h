#pragma once

// Private to the engine: the Trainer's state, shared by its translation units. Includes LibTorch.
#include "model/assembly_model.h"
#include "connectivity_refit.h"
#include "function_refit.h"
#include "refit_schedule.h"
#include "cpu_training_step.h"
#include "fused_adam.h"
#include "model/torch_learned_model.h"
#include "plexus/sim/rng.h"
#include "plexus/train/trainer.h"
#include "training_health.h"

#include <torch/torch.h>

#include <chrono>
#include <fstream>
#include <memory>

namespace plexus {

/// Learning rates of the four parameter groups (docs/method.md §C.4).
struct GroupRates
{
    double latent, update, connectivity, transfer;
};

struct Trainer::Impl
{
    Impl(const ExperimentConfig& config, std::shared_ptr<const Dataset> data, const TrainingOptions& options);

    // --- loop (trainer.cpp)
    double step();
    /// The loss terms [5] (total, prediction, update at zero, monotonicity, sparsity) on these frames.
    torch::Tensor lossTensors(const torch::Tensor& frames);
    torch::Tensor sampleFrames(int64_t batch);
    /// How many frames the steps draw from: 0 … this − 1 (docs/method.md §C.1, minus the held-out frames).
    int64_t drawnFrames() const;
    /// The loss terms [5] of one step with every gradient set: hand-written CPU step or autograd.
    torch::Tensor lossAndGradients(const torch::Tensor& frames);
    /// The same by the CPU step (with Ω* by autograd when learned); only when cpuStep exists.
    torch::Tensor kernelLossAndGradients(const torch::Tensor& frames);
    /// The same by autograd only.
    torch::Tensor autogradLossAndGradients(const torch::Tensor& frames);
    /// This epoch's loss coefficients as the CPU step takes them.
    CpuTrainingStep::Coefficients stepCoefficients() const;
    torch::Tensor externalFor(const torch::Tensor& frames) const;
    void applyEpochSchedule(int64_t epoch);
    void finishEpoch(int64_t epoch);
    void rebuildOptimizer(const GroupRates& rates);
    GroupRates startRates() const;
    int64_t batchSize() const;
    TrainingMetrics measure();
    LossTerms lossTerms() const;
    void recordMetrics(const TrainingMetrics& metrics);

    // --- epoch-end clustering (epoch_clustering.cpp)
    int clusterAndReplace();

    // --- checkpoints (trainer_checkpoint.cpp)
    std::string checkpointDir() const;
    void saveCheckpoint(const std::string& name);
    void loadCheckpoint(const std::string& path, bool withOptimizer);
    void checkIdentity(torch::serialize::InputArchive& root, const std::string& path) const;
    void loadModel(torch::serialize::InputArchive& root, const std::string& path);
    /// Moves the checkpoints taken after the last healthy one to checkpoints/diverged/; says where ("" if none).
    std::string setAsideAfterHealthy();
    /// Throws DivergedError, after setting aside the checkpoints taken during the blow-up.
    [[noreturn]] void diverged(const std::string& what);
    /// Drops the rows of a run-folder CSV (metrics.csv, refits.csv) after `iteration` (the header stays): they belong
    /// to a training the resumed checkpoint does not hold.
    void trimRowsAfter(const std::string& path, int64_t iteration);

    ExperimentConfig config;
    std::shared_ptr<const Dataset> data;
    TrainingOptions options;
    torch::Device device{torch::kCPU};
    AssemblyModel model{nullptr};
    std::unique_ptr<TorchLearnedModel> learned;
    std::unique_ptr<FusedAdam> optimizer;
    std::unique_ptr<CpuTrainingStep> cpuStep; ///< null when autograd does every step (see stepKernel)
    std::unique_ptr<ConnectivityRefit> refit; ///< null unless training.connectivity_refit_every > 0
    std::unique_ptr<FunctionRefit> functionRefit; ///< null unless training.connectivity_refit_functions too
    /// Sets W to its least-squares value when training.connectivity_refit_every says so.
    void refitWhenDue();
    /// Refits W now (unless it was refit at this iteration); false without a refit.
    bool refitConnectivity();
    /// Appends what the refit just made chose, and how long it took, to runDir/refits.csv.
    void recordRefit(bool sparse, double seconds);
    /// Appends `row` to a run-folder CSV, writing `header` first when the file is new.
    void appendRow(const std::string& path, const std::string& header, const std::string& row) const;
    int64_t lastRefitIteration = -1;
    RefitSchedule refitSchedule{1, 0.0};  ///< when the next refit is due (training.connectivity_refit_every, _share)
    double stepSecondsSinceRefit = 0.0;    ///< the time the steps since the last refit (or the start) took
    std::string stepKernel;                   ///< which step runs, and why not the CPU kernels
    int optimizerThreads = 0;                 ///< Adam's threads: the CPU step's with it, else LibTorch's (0)
    Rng rng{0};

    torch::Tensor activity, derivative, stimulus; // [T, N], [T, N], [T, M] on the device
    double xnorm = 1.0;
    int64_t iterationsPerEpoch = 1;
    int64_t totalIterations = 1;
    int64_t checkpointInterval = 1;
    int64_t iteration = 0;
    double wallOffset = 0.0; // seconds trained before a resume
    std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
    bool frozenEpoch = false; // latents and ψ* frozen (the epoch after a clustering step)
    double coeffL1 = 0.0, coeffMonotonicity = 0.0;
    int lastClusters = 0;
    torch::Tensor lastTerms; // [5] total, prediction, update at zero, monotonicity, sparsity (not synced)
    std::string identity;    // what checkpoints are made for (model_identity.h)
    TrainingHealth health;
    std::string lastHealthyCheckpoint; // never pruned; where training goes back to after a blow-up
    std::string unconfirmedCheckpoint; // the newest checkpoint, until the next step's loss shows its model healthy
};

} // namespace plexus
