#pragma once

// Private to the engine: includes LibTorch.
#include "mlp.h"
#include "siren.h"

#include "plexus/config/experiment_config.h"

#include <torch/torch.h>

namespace plexus {

/// What the ψ* (transfer function) MLP receives, by dynamics variant (docs/method.md §B.1).
enum class TransferInputs {
    Activity,               ///< PDE_N2: [u_j]
    ActivityAndSender,      ///< PDE_N4: [u_j, a_j]
    ActivitySenderReceiver, ///< PDE_N5: [u_j, a_i, a_j] — one evaluation per sender and distinct receiver latent
};

/// The graph neural network of docs/method.md §B: dû_i/dt = φ*(u_i, a_i) + Σ_{j≠i} W_ij ψ*(·), with the external input added
/// or multiplying the message sum. Registered names (checkpoint format): updateFunction, transferFunction, latent,
/// connectivity (or connectivityLeft/connectivityRight when low rank).
class AssemblyModelImpl : public torch::nn::Module
{
public:
    /// `receivers` > 0 with training.learn_external_input: the first `receivers` neurons (a square grid) get a learned
    /// stimulus field Ω*; `frames` (n_frames) scales its time input.
    AssemblyModelImpl(const ExperimentConfig& config, int64_t neurons, int64_t receivers = 0, int64_t frames = 1);

    /// Ω* for the receivers at frames k [B] → external values [B, N] (Ω* = SIREN(x, y, k/n_frames)² on the receivers,
    /// `neutral` elsewhere), docs/method.md §B.5. Only when hasStimulusField().
    torch::Tensor learnedExternal(const torch::Tensor& frames, double neutral);
    /// |SIREN| = √Ω* for the receivers at frames k [B] → [B, receivers].
    torch::Tensor fieldAmplitude(const torch::Tensor& frames);
    bool hasStimulusField() const { return !stimulusField.is_empty(); }

    /// Predicted du/dt [B, N] for activity u [B, N] and external values [B, N] (ignored in mode none): the model every
    /// path trains and evaluates. ψ* is evaluated once per neuron and aggregated with one matrix product; PDE_N5's
    /// receivers enter ψ* with their group's mean latent (ReceiverGroups), so ψ* is evaluated once per
    /// sender and group (forwardByReceiverLatent).
    torch::Tensor forward(const torch::Tensor& u, const torch::Tensor& external);
    /// The same computed edge by edge (the authors' way), for tests. `receiverLatent` [N, d], when
    /// given, is what ψ* sees of each receiver (default: its latent).
    torch::Tensor forwardPerEdge(const torch::Tensor& u, const torch::Tensor& external,
                                 const torch::Tensor& receiverLatent = {});
    /// PDE_N5 with each receiver seeing `receiverLatent` [N, d]: ψ* evaluated once per sender and distinct row of
    /// `receiverLatent` (exactly equal rows share it), B·K·N evaluations for K distinct rows; equal to forwardPerEdge.
    torch::Tensor forwardPerReceiverLatent(const torch::Tensor& u, const torch::Tensor& external,
                                           const torch::Tensor& receiverLatent);
    /// Up to this many distinct receiver latents, forwardPerReceiverLatent aggregates by K matrix products.
    static constexpr int64_t kMatrixProductReceivers = 32;

    /// φ*([u, a_i]) for every neuron: u [B, N] → [B, N].
    torch::Tensor updateFunctionOf(const torch::Tensor& u, const torch::Tensor& latent);
    /// ψ* seen by every sender j with its own latent as receiver (PDE_N5: [u_j, a_j, a_j]): u [B, N] → [B, N].
    torch::Tensor transferOfSenders(const torch::Tensor& u, const torch::Tensor& latent);
    /// ψ* of every sender j seen by one receiver latent `receiver` [d] (PDE_N5: [u_j, receiver, a_j]; the other
    /// variants ignore it): u [B, N] → [B, N].
    torch::Tensor transferToReceiver(const torch::Tensor& u, const torch::Tensor& receiver, const torch::Tensor& latent);
    /// φ*'s and ψ*'s last hidden layers for the same inputs as updateFunctionOf and transferOfSenders: [B, N, H]
    /// (their outputs are the output layer of these; FunctionRefit fits that layer).
    torch::Tensor updateHiddenOf(const torch::Tensor& u, const torch::Tensor& latent);
    torch::Tensor transferHiddenOfSenders(const torch::Tensor& u, const torch::Tensor& latent);
    /// The learned W [N, N] (zero diagonal).
    torch::Tensor connectivityMatrix() const;
    /// Keeps the diagonal out of learning: zeroes its gradient (equivalent to the authors' W ⊙ M).
    void maskDiagonalGradient();

    /// Parameter groups of the optimiser (docs/method.md §C.4).
    std::vector<torch::Tensor> latentParameters() const;
    std::vector<torch::Tensor> connectivityParameters() const;

    Mlp updateFunction{nullptr};
    Mlp transferFunction{nullptr};
    Siren stimulusField{nullptr};    ///< Ω* (only with a learned external input)
    torch::Tensor fieldCoordinates;  ///< [receivers, 2] grid (p/(side−1), q/(side−1)), "ij" order
    torch::Tensor latent;            ///< a [N, d] (a parameter, or a fixed buffer of ones for training_single_type)
    torch::Tensor connectivity;      ///< W [N, N], or undefined when low rank
    torch::Tensor connectivityLeft;  ///< W_L [N, r] when low rank
    torch::Tensor connectivityRight; ///< W_R [r, N] when low rank

    TransferInputs transferInputs() const { return m_transferInputs; }
    const std::string& inputMode() const { return m_inputMode; }
    int64_t neurons() const { return m_neurons; }
    /// n_frames of the data (Ω*'s time scale).
    int64_t frames() const { return m_frames; }
    /// PDE_N5: the most receiver groups training uses (training.receiver_groups).
    int64_t receiverGroups() const { return m_receiverGroups; }
    /// PDE_N5: the receivers' distinct latents [K, d] and which one each neuron has [N] (long).
    struct ReceiverLatents
    {
        torch::Tensor distinct;
        torch::Tensor of;
    };
    /// The ReceiverGroups of the latents: each group's mean latent (differentiable: a group's gradient is shared
    /// equally by its members) and every neuron's group.
    ReceiverLatents receiverGroupLatents() const;

private:
    /// forwardPerReceiverLatent with the distinct latents already known.
    torch::Tensor forwardByReceiverLatent(const torch::Tensor& u, const torch::Tensor& external,
                                          const torch::Tensor& receivers, const torch::Tensor& of);
    torch::Tensor transferInput(const torch::Tensor& u, const torch::Tensor& receiverLatent,
                                const torch::Tensor& senderLatent) const;
    /// φ*'s input rows [B·N, 1 + d] ([u_i, a_i]) and ψ*'s for every sender seen by itself, for u [B, N].
    torch::Tensor updateInputOf(const torch::Tensor& u, const torch::Tensor& latent) const;
    torch::Tensor senderTransferInputOf(const torch::Tensor& u, const torch::Tensor& latent) const;
    torch::Tensor combine(const torch::Tensor& update, const torch::Tensor& message, const torch::Tensor& external) const;

    TransferInputs m_transferInputs;
    std::string m_inputMode;
    int64_t m_neurons;
    bool m_lowRank;
    int64_t m_frames = 1;
    int64_t m_receiverGroups = 8;
};
TORCH_MODULE(AssemblyModel);

} // namespace plexus
