#pragma once

#include "plexus/analysis/linear_fit.h"
#include "plexus/config/experiment_config.h"
#include "plexus/data/dataset.h"
#include "plexus/model/learned_model.h"
#include "plexus/util/errors.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace plexus {

/// Training stopped because the loss became NaN or infinite, or blew up (docs/training.md, "Divergence"); the
/// last checkpoint taken before it is kept and is the one --resume continues from.
class DivergedError : public std::runtime_error
{
public:
    DivergedError(std::int64_t iteration, const std::string& what)
        : std::runtime_error("diverged at step " + std::to_string(iteration) + " (" + what + ")"), m_iteration(iteration)
    {
    }
    std::int64_t iteration() const { return m_iteration; }

private:
    std::int64_t m_iteration;
};

/// A checkpoint made for another experiment or model shape: refused before anything is loaded or written.
class CheckpointMismatchError : public InputError
{
public:
    using InputError::InputError;
};

/// What Trainer::resume() did.
struct ResumeResult
{
    std::string checkpoint;            ///< the checkpoint training continues from ("" when the run had none)
    std::vector<std::string> skipped;  ///< damaged newer checkpoints passed over (moved to checkpoints/damaged/)
};

/// Choices that are not part of the experiment config.
struct TrainingOptions
{
    std::string device;                  ///< "cpu", "cuda", or "" for training.device ("auto": CUDA when present)
    std::int64_t iterations = -1;        ///< total iterations; −1: n_epochs × iterations per epoch
    std::int64_t checkpointInterval = -1; ///< iterations between checkpoints; −1: ⌊iterations per epoch / 20⌋
    std::string runDir;                  ///< checkpoints/ and metrics.csv go here ("" → nothing written)
    bool cpuKernels = true;              ///< hand-written CPU step where the model allows it (false: autograd always)
    /// Polled during the long work inside a step (the connectivity refit, up to minutes): true abandons that work,
    /// leaving the model as it was, so a Stop is answered within about a second.
    std::function<bool()> stopRequested;
};

/// The loss of one iteration, term by term (docs/method.md §C.3), each already multiplied by its coefficient.
struct LossTerms
{
    double total = 0.0;
    double prediction = 0.0; ///< ‖P − Y‖₂
    double updateAtZero = 0.0; ///< B·λ_φ0·‖φ*(0, a)‖₂
    double monotonicity = 0.0; ///< λ_ed·Σ_b ‖relu(ψ*(u) − ψ*(u + xnorm/150))‖₂
    double sparsity = 0.0;   ///< λ_L1·Σ|W|
};

/// The CPU training step against autograd on the same frames and weights (Trainer::compareStepKernels).
struct StepKernelComparison
{
    bool available = false;           ///< false: this model trains with autograd only (kernel says why)
    std::string kernel;               ///< Trainer::stepKernel()
    LossTerms kernels, autograd;      ///< the loss terms each computed
    std::vector<std::string> names;   ///< parameter names
    std::vector<double> differences;  ///< per parameter: max |g_kernels − g_autograd| / max |g_autograd|
};

/// One row of metrics.csv.
struct TrainingMetrics
{
    std::int64_t iteration = 0;
    std::int64_t epoch = 0;
    double wallSeconds = 0.0;
    LossTerms loss;
    double connectivityR2 = 0.0;    ///< live W R² (learned W/10 vs true W, no ψ* correction; docs/method.md §D.1)
    double connectivitySlope = 0.0;
    int clusters = 0;               ///< clusters of the latents (evaluation clustering, docs/method.md §D.2)
    /// Learning rate of each optimiser group at that iteration (columns lr_GROUP of metrics.csv).
    std::vector<std::pair<std::string, double>> learningRates;
};

/// The training loop of docs/method.md §C on one dataset: batches of random frames, the loss and its regularisers, Adam with
/// per-tensor learning rates rebuilt every epoch, the epoch-end clustering step (without ground truth), checkpoints
/// and resume. Not thread-safe: one thread drives it (the CLI or the runtime Session).
/// Sets the threads LibTorch uses in this process (process-wide; call once from main).
void setComputeThreads(int threads);
/// Threads of the hand-written CPU training step (docs/training.md), for Trainers made after the call; 0 (default):
/// the same as setComputeThreads. The Studio gives it every core while LibTorch keeps one free for the window.
void setKernelThreads(int threads);

/// Memory training needs, in bytes (doubles: absurd sizes must not overflow), estimated before anything is made.
struct TrainingMemory
{
    double connectivity = 0; ///< W, its gradient and two Adam moments: 16·N²
    double parameters = 0;   ///< the MLPs (and Ω*) with gradients and moments
    double activations = 0;  ///< one batch through φ* and ψ*, kept for the backward pass
    double total() const { return connectivity + parameters + activations; }
};
TrainingMemory estimateTrainingMemory(const ExperimentConfig& config, std::int64_t neurons);

/// The frames training draws from: all but the last training.held_out_fraction of them (at least 8).
std::int64_t trainingFrames(const Dataset& data, const ExperimentConfig& config);

class Trainer
{
public:
    Trainer(const ExperimentConfig& config, std::shared_ptr<const Dataset> data, const TrainingOptions& options = {});
    ~Trainer();
    Trainer(const Trainer&) = delete;
    Trainer& operator=(const Trainer&) = delete;

    std::int64_t iteration() const;          ///< iterations done
    std::int64_t totalIterations() const;
    std::int64_t iterationsPerEpoch() const; ///< ⌊n_frames·DAL/B⌋·0.2 (docs/method.md §C.2)
    std::int64_t epoch() const;
    bool finished() const;
    /// True once the two-phase schedule (n_epochs_init, docs/method.md §C.3) is in its last phase; always for
    /// single-phase training.
    bool inFinalPhase() const;
    std::string deviceName() const;
    /// Which training step runs: "cpu kernels", or "autograd (why not the kernels)".
    std::string stepKernel() const;
    double activityScale() const;            ///< xnorm = round(1.5·std(u))

    /// One iteration, then the epoch-end work when an epoch completes; returns the total loss.
    /// Throws DivergedError on a non-finite loss.
    double step();
    /// The end of training (the iterations done, the time budget spent or the W R² goal reached; not a Stop asked
    /// for): with training.connectivity_refit_every, W is set to its least-squares value for the final φ*, ψ* once
    /// more unless this iteration's step just did. Returns whether W changed.
    bool finishTraining();
    /// The relative ridge λ (× mean(diag G)) the last connectivity refit chose by validation, per receiver set (one
    /// unless PDE_N5); empty before the first refit (docs/training.md, "Connectivity refit").
    std::vector<double> connectivityRefitRidges() const;
    /// The relative L1 penalty the last sparse refit chose, per receiver set; empty unless the last refit was sparse
    /// (training.connectivity_refit_L1 with the L1 phase on; docs/training.md, "Sparse refit").
    std::vector<double> connectivityRefitPenalties() const;
    /// The last iteration's loss, term by term.
    LossTerms lastLoss() const;
    /// The loss the model has now on the given frames, term by term (no learning step).
    LossTerms lossOn(const std::vector<std::int64_t>& frames);
    /// Gradients of the loss on these frames from the CPU kernels and from autograd, compared; no learning step.
    StepKernelComparison compareStepKernels(const std::vector<std::int64_t>& frames);
    /// Learning rate of each optimiser group now: latent, updateFunction, connectivity, transferFunction
    /// (latent is absent when the latents are fixed).
    std::vector<std::pair<std::string, double>> learningRates() const;
    /// Metrics now (computes the live W R²); nothing is written.
    TrainingMetrics measure();
    /// The ψ*-corrected W against the true W (docs/method.md §D.1), as the evaluation computes it; a fit of zeros
    /// without a true W. Costs one ψ* evaluation per neuron on the normalisation range.
    LinearFit correctedConnectivityFit() const;
    /// Appends a metrics row to runDir/metrics.csv (nothing without a run folder).
    void recordMetrics(const TrainingMetrics& metrics);
    /// Writes a checkpoint (model, optimiser, iteration, random state) atomically into runDir/checkpoints/.
    void saveCheckpoint();
    /// Continues from the newest readable checkpoint in runDir/checkpoints/ (damaged newer ones are moved to
    /// checkpoints/damaged/ and listed). Throws CheckpointMismatchError for a checkpoint of another experiment or
    /// model, InputError when every checkpoint is damaged.
    ResumeResult resume();
    /// Loads model weights from a checkpoint file (for evaluation); refuses one of another experiment.
    void loadWeights(const std::string& checkpointPath);
    /// Replaces the latent vectors [N, d] (InputError on another shape).
    void setLatents(const Eigen::MatrixXf& latents);
    /// The newest checkpoint in runDir, or "" when none.
    static std::string latestCheckpoint(const std::string& runDir);

    const LearnedModel& model() const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace plexus
