#pragma once

#include <Eigen/Core>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace plexus {

/// Read access to a trained GNN without LibTorch types (for analysis, snapshots and the UI).
/// Implementations evaluate the model under no-grad on its device and copy results to host memory.
class LearnedModel
{
public:
    virtual ~LearnedModel() = default;

    virtual std::int64_t neurons() const = 0;
    virtual std::string signalModel() const = 0;
    /// Latent vectors a [N, d].
    virtual Eigen::MatrixXf latents() const = 0;
    /// Learned W [N, N] (zero diagonal), row = postsynaptic.
    virtual Eigen::MatrixXf connectivity() const = 0;
    /// φ*(r, a_n) for the given neurons (empty: all) and every sample r: [neurons, R].
    virtual Eigen::MatrixXf updateCurves(const Eigen::VectorXf& samples,
                                         const std::vector<std::int64_t>& neurons = {}) const = 0;
    /// ψ* of the given neurons (empty: all) as senders (PDE_N5: with themselves as receivers): [neurons, R].
    virtual Eigen::MatrixXf transferCurves(const Eigen::VectorXf& samples,
                                           const std::vector<std::int64_t>& neurons = {}) const = 0;
    /// Models whose ψ* takes the receiver (PDE_N5): the latents receivers enter ψ* with as the model computes its
    /// messages (each receiver group's mean, docs/training.md) [K, d], and each neuron's row among them [N]. Empty
    /// when ψ* does not depend on the receiver.
    struct ReceiverInputs
    {
        Eigen::MatrixXf latents;
        std::vector<std::int32_t> of;
    };
    virtual ReceiverInputs receiverInputs() const { return {}; }
    /// ψ*(r, ā, a_j) of every sender j into a receiver whose ψ* input is the latent ā [d]: [N, R] (transferCurves
    /// when ψ* does not depend on the receiver).
    virtual Eigen::MatrixXf transferCurvesInto(const Eigen::VectorXf& samples, const Eigen::VectorXf& receiver) const
    {
        return transferCurves(samples);
    }
    /// Whether the model learned a stimulus field Ω* (docs/method.md §B.5).
    virtual bool hasStimulusField() const { return false; }
    /// |SIREN| = √Ω* of the receiving neurons at the given frames: [frames, receivers].
    virtual Eigen::MatrixXf stimulusAmplitude(const std::vector<std::int64_t>& frames) const { return {}; }
    /// Predicted du/dt [N] for activity u [N] and external values [N].
    virtual Eigen::VectorXf derivative(const Eigen::VectorXf& u, const Eigen::VectorXf& external) const = 0;
    /// A copy with other latents [N', d] and another, dense W [N', N'] (row = postsynaptic), the learned functions
    /// (and Ω*) unchanged: the learned side of a perturbed network (docs/lab.md).
    virtual std::unique_ptr<LearnedModel> restructured(const Eigen::MatrixXf& latents,
                                                       const Eigen::MatrixXf& connectivity) const = 0;
};

} // namespace plexus
