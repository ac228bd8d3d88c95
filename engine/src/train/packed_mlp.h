#pragma once

// Private to the engine: one MLP of the GNN laid out for the CPU training step (no LibTorch here).
#include "dense_kernels.h"

#include <cstdint>
#include <vector>

namespace plexus {

/// An MLP whose input row is [u, features of the row's neuron] (φ*: [u_i, a_i]; ψ*: [u_j] or [u_j, a_j]), with one
/// output, evaluated on rows of activity and differentiated by hand: forward keeps every hidden activation, backward
/// accumulates the weight gradients of the rows it is given. Hidden widths are padded to dense::kDenseLane with zeros
/// (the padding stays zero through every layer). Rows are grouped: row g·n + i belongs to neuron i. A neuron may have
/// several feature vectors (`variants`, e.g. PDE_N5's ψ* seen by each group of receivers: [ā_k, a_j]): each variant
/// keeps its own first-layer offsets and gradient sums, and every forward/backward names the variant of its rows.
///
/// Threading: threads work on disjoint neuron ranges (all groups of those neurons), each with its own Gradients; the
/// per-neuron sums are shared but written only by the neuron's owner.
class PackedMlp
{
public:
    /// Weight gradients in the packed layout (one per thread; reduce with add()).
    struct Gradients
    {
        std::vector<float> activity;   ///< ∂/∂W₀[:, 0] [width]
        std::vector<float> features;   ///< ∂/∂W₀[:, 1:]ᵀ [features × width]
        std::vector<float> firstBias;  ///< [width]
        std::vector<std::vector<float>> hidden;     ///< ∂/∂W_l [width(out) × width(in)], l = 1 … layers − 2
        std::vector<std::vector<float>> hiddenBias; ///< [width]
        std::vector<float> last;       ///< ∂/∂W_last [width]
        double lastBias = 0.0;
        void zero();
        void add(const Gradients& other);
    };

    /// `layers` Linear layers (≥ 2), hidden width `hidden`, `features` per-neuron inputs after u, for `neurons`
    /// neurons, at most `groups` row groups and `variants` feature vectors per neuron.
    PackedMlp(int64_t layers, int64_t hidden, int64_t features, dense::Activation activation, int64_t neurons,
              int64_t groups, int64_t variants = 1);

    /// Copies the weights (torch layout: weights[l] is [out × in] row-major, biases[l] is [out]).
    void load(const std::vector<const float*>& weights, const std::vector<const float*>& biases);
    Gradients makeGradients() const;

    /// Per-neuron first-layer offsets (features·W₀[:, 1:]ᵀ + b₀) and zeroed per-neuron sums for neurons [first, last).
    void prepareNeurons(const float* features, int64_t first, int64_t last, int64_t variant = 0);
    /// Outputs for the rows of group `group`, neurons [first, last): u holds their activities.
    void forward(const float* u, int64_t group, int64_t first, int64_t last, float* out, int64_t variant = 0);
    /// Accumulates the gradients of those rows for output gradients dOut (u as given to forward). With
    /// `detachedFeatures` the rows' features count as constants: the weights learn from them, the features do not
    /// (the monotonicity term's inputs, docs/method.md §C.3). Rows whose output gradient is zero add nothing, so runs
    /// of them are skipped (mostly the monotonicity term's, which is zero wherever ψ* already rises).
    void backward(const float* dOut, const float* u, int64_t group, int64_t first, int64_t last, Gradients& g,
                  std::vector<float>& scratch, bool detachedFeatures = false, int64_t variant = 0);
    /// After every backward of neurons [first, last): their feature gradients (featureGrad [neurons × features],
    /// overwritten; only from rows whose features were not detached) and their share of the first layer's
    /// feature-weight and bias gradients.
    void finishNeurons(const float* features, int64_t first, int64_t last, Gradients& g, float* featureGrad,
                       int64_t variant = 0) const;

    /// Writes the gradients in torch layout (as load()).
    void store(const Gradients& g, const std::vector<float*>& weights, const std::vector<float*>& biases) const;

    /// Per-thread scratch for backward().
    std::vector<float> makeScratch() const;

private:
    float* activation(int64_t layer, int64_t row) { return m_activations[layer].data() + row * m_width; }

    int64_t m_layers, m_hidden, m_width, m_features, m_neurons;
    dense::Activation m_activation;
    std::vector<float> m_activity;   // W₀[:, 0]
    std::vector<float> m_featureT;   // W₀[:, 1:]ᵀ [features × width]
    std::vector<float> m_firstBias;
    std::vector<std::vector<float>> m_forward;  // W_lᵀ [width(in) × width(out)]
    std::vector<std::vector<float>> m_backward; // W_l [width(out) × width(in)]
    std::vector<std::vector<float>> m_bias;
    std::vector<float> m_last;
    float m_lastBias = 0.0f;
    std::vector<float> m_offsets;    // [variants × neurons × width]
    std::vector<float> m_sums;       // Σ over rows of each neuron of ∂/∂(first pre-activation) [variants × neurons × width]
    std::vector<float> m_detachedSums; // the same over the rows whose features are detached
    std::vector<std::vector<float>> m_activations; // hidden outputs, [groups·neurons × width] per layer
};

} // namespace plexus
