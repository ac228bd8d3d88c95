#pragma once

// Private to the engine: the small dense products of the CPU training step (no LibTorch here).
// Row-major float matrices; the column counts called `width` below are multiples of kDenseLane.

#include <cstdint>

namespace plexus::dense {

/// Column padding every kernel expects (two AVX registers).
constexpr int64_t kDenseLane = 16;

/// `value` rounded up to a multiple of kDenseLane.
constexpr int64_t padded(int64_t value) { return (value + kDenseLane - 1) / kDenseLane * kDenseLane; }

/// The MLP activations (docs/method.md §B.2, `MLP_activation`).
enum class Activation { Relu, LeakyRelu, Tanh, Sigmoid };

/// True when this CPU runs the AVX2 + FMA kernels (the training step uses LibTorch otherwise).
bool available();

/// C[rows × width] = A[rows × depth] · B[depth × width]; A's row stride is `depth`, B's and C's `width`.
void multiply(const float* a, const float* b, float* c, int64_t rows, int64_t depth, int64_t width);

/// C = act(A · B + bias), as multiply() then biasActivate() (in one pass for ReLU and leaky ReLU).
void multiplyActivate(const float* a, const float* b, const float* bias, float* c, int64_t rows, int64_t depth,
                      int64_t width, Activation act);
/// C = (A · B) ⊙ act′ through the activation's outputs h (laid out as C): multiply() then activationGradient().
void multiplyActivationGradient(const float* a, const float* b, const float* h, float* c, int64_t rows, int64_t depth,
                                int64_t width, Activation act);

/// G[depth × width] += Aᵀ · D for A[rows × depth] and D[rows × width] (row strides `depth` and `width`).
void accumulateTransposed(const float* a, const float* d, float* g, int64_t rows, int64_t depth, int64_t width);

/// out[r] = dot(A[r, :], v) + bias for rows of length `width`.
void rowDots(const float* a, const float* v, float bias, float* out, int64_t rows, int64_t width);

/// First layer of an MLP whose input is [u, per-neuron features]: h[r] = act(u[r]·wu + offsets[r]) (the offsets hold
/// features·W + bias for row r's neuron).
void firstLayer(const float* u, const float* wu, const float* offsets, float* h, int64_t rows, int64_t width,
                Activation act);
/// Backward of a width → 1 last layer and of the activation before it: dh[r] = dOut[r]·w ⊙ act′(h[r]);
/// gradW += Σ_r dOut[r]·h[r].
void lastLayerBackward(const float* dOut, const float* h, const float* w, float* dh, float* gradW, int64_t rows,
                       int64_t width, Activation act);
/// Backward of firstLayer (after activationGradient): gradWu += Σ_r dz[r]·u[r]; sums[r] += dz[r] (per-neuron sums,
/// from which the feature weights, the bias and the features' own gradients follow).
void firstLayerBackward(const float* dz, const float* u, float* gradWu, float* sums, int64_t rows, int64_t width);

} // namespace plexus::dense
