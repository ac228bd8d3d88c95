#pragma once

// Private to the engine: includes LibTorch.
#include "connectivity_kernels.h"
#include "model/assembly_model.h"
#include "packed_mlp.h"
#include "model/receiver_groups.h"
#include "plexus/data/dataset.h"

#include <torch/torch.h>

#include <array>
#include <memory>
#include <string>
#include <vector>

namespace plexus {

/// One training step of docs/method.md §C on the CPU with hand-written forward and backward passes instead of autograd: the same
/// loss terms and the same gradients (to float rounding), written into every trainable parameter's .grad for the
/// optimiser. ψ* and φ* run through PackedMlp's AVX2 kernels, Σ_j W_ij ψ*_j and its gradients in one pass over W per
/// product, and the threads split the neurons (no reduction over W). Covers PDE_N2 and PDE_N4, and PDE_N5 with its
/// receivers grouped by latent (ReceiverGroups: ψ* once per sender and receiver group), with a given, learned or
/// absent external input: a learned one (Ω*) is evaluated by the caller, and the step
/// returns the loss's gradient with respect to its values (externalGradient) for the caller to carry back through
/// Ω*. The Trainer uses autograd for everything else (unsupportedReason).
class CpuTrainingStep
{
public:
    struct Coefficients
    {
        double updateAtZero = 0.0;  ///< coeff_lin_phi_zero
        double monotonicity = 0.0;  ///< coeff_edge_diff of this epoch
        double sparsity = 0.0;      ///< L1 coefficient of this epoch
        double shift = 0.0;         ///< xnorm/150, the monotonicity step
    };

    /// "" when this model on this device can use the step, else why not.
    static std::string unsupportedReason(const AssemblyModelImpl& model, const torch::Device& device);

    /// `threads` (≥ 1) split the neurons; batches of up to `maxBatch` frames.
    CpuTrainingStep(AssemblyModel model, std::shared_ptr<const Dataset> data, int64_t maxBatch, int threads);

    /// Loss terms [total, prediction, update at zero, monotonicity, sparsity] on the frames; sets every gradient.
    /// `learnedExternal` [batch × receivers] (row-major), when given, replaces the data's stimulus for the
    /// receivers (the others keep the neutral value).
    std::array<double, 5> run(const int64_t* frames, int64_t batch, const Coefficients& c,
                              const float* learnedExternal = nullptr);
    /// ∂loss/∂(learned external value) [batch × receivers] of the last run with a learned external input.
    const float* externalGradient() const { return m_externalGrad.data(); }

private:
    /// Norms of the loss terms over all neurons (prediction, update at zero, Σ|W|, ‖relu(rise_b)‖ per frame).
    struct Totals
    {
        double prediction = 0.0, updateAtZero = 0.0, sparsity = 0.0;
        std::vector<double> monotonicity;
    };
    void forwardNeurons(int thread, const int64_t* frames, const Coefficients& c);
    void residualNeurons(int thread, const int64_t* frames, const Coefficients& c);
    void outputGradients(int thread, const Totals& totals, const Coefficients& c);
    void backwardNeurons(int thread, const Totals& totals, const Coefficients& c, float* gradW);
    std::array<double, 5> lossTerms(const Coefficients& c) const;
    void sumTotals(); ///< m_totals from every thread's partial sums
    void loadWeights();
    void storeGradients();
    /// ψ*'s first-layer offsets of every variant in use, this thread's neurons.
    void prepareTransfer(int thread, const Coefficients& c);
    /// ψ*'s variant for the neuron as its own receiver (PDE_N5: the one after the largest group count).
    int64_t selfVariant() const { return m_receiverLatents ? m_groups.maxGroups() : 0; }
    /// Row groups of ψ*'s evaluations in m_transferOut: messages of receiver group k at frame b, and the
    /// monotonicity term's rows (the neuron as its own receiver for PDE_N5; the message rows otherwise).
    int64_t messageRow(int64_t k, int64_t b) const { return k * m_batch + b; }
    int64_t unshiftedRow(int64_t b) const { return m_receiverLatents ? (m_groups.count() + 0) * m_batch + b : b; }
    int64_t shiftedRow(int64_t b) const { return m_receiverLatents ? (m_groups.count() + 1) * m_batch + b : m_batch + b; }
    int64_t messageGroups() const { return m_receiverLatents ? m_groups.count() : 1; }

    AssemblyModel m_model;
    std::shared_ptr<const Dataset> m_data;
    int64_t m_neurons, m_receivers, m_maxBatch, m_batch = 0, m_latentDim;
    const float* m_learnedExternal = nullptr; // this run's [batch × receivers], or null
    bool m_transferFeatures, m_receiverLatents, m_multiplicative, m_additive;
    ReceiverGroups m_groups;        // PDE_N5 only
    std::vector<float> m_variantFeatures; // PDE_N5: [variants × n × 2d] ψ*'s latent inputs, [ā_k, a_j] and [a_j, a_j]
    std::vector<float> m_variantGrad;     // PDE_N5: their gradients, same layout
    std::vector<float> m_receiverGrad;    // PDE_N5: per thread, ∂loss/∂ā_k [maxGroups × d]
    int m_threads;
    std::vector<int64_t> m_bounds; // neuron range of each thread
    PackedMlp m_update, m_transfer;
    std::vector<PackedMlp::Gradients> m_updateGrads, m_transferGrads;
    std::vector<std::vector<float>> m_scratch;
    std::vector<float> m_u, m_shifted, m_zeros, m_external, m_updateOut, m_transferOut, m_messages, m_residual;
    std::vector<float> m_updateDOut, m_transferDOut, m_messageGrad, m_latentFromUpdate, m_latentFromTransfer;
    std::vector<float> m_externalGrad;
    std::vector<float> m_monotonicityDOut; // ψ*'s unshifted rows' gradient from the monotonicity term (latent ψ* inputs)
    Totals m_totals;
    std::vector<const float*> m_weightPointers, m_biasPointers; // loadWeights' scratch
    std::vector<float*> m_gradientWeights, m_gradientBiases;    // storeGradients' scratch
    std::vector<double> m_partial; // per thread: [prediction², update-at-zero², |W|, monotonicity² per frame…]
};

} // namespace plexus
