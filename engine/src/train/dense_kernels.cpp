#include "dense_kernels.h"

#include <immintrin.h>

#include <algorithm>
#include <cmath>

// Every kernel is compiled for AVX2 + FMA; callers check available() first (the trainer falls back to LibTorch).
#pragma GCC push_options
#pragma GCC target("avx2,fma")

#include "simd_helpers.h"

namespace plexus::dense {

namespace {

constexpr int64_t kTile = 6;         // rows of accumulators per micro-tile (6 × 16 floats = 12 registers)
constexpr int64_t kRowBlock = 128; // rows of A and D kept in cache while a transposed product accumulates


/// What a multiplication does to each value before storing it (piecewise-linear activations only).
struct Epilogue
{
    enum Kind { kPlain, kBiasActivate, kActivationGradient };
    const float* bias = nullptr;    ///< kBiasActivate: [width]
    const float* outputs = nullptr; ///< kActivationGradient: the activation's outputs h, laid out as C
    float negativeSlope = 0.0f;     ///< 0: ReLU, 0.01: leaky ReLU
};

/// R rows of C (16 columns from `col`) = R rows of A · B, finished as Mode says.
template <int R, int Mode>
__attribute__((noinline)) void multiplyTile(const float* a, const float* b, float* c, int64_t depth, int64_t width, int64_t col,
                  const Epilogue& e)
{
    __m256 acc[R][2];
#pragma GCC unroll 8
    for (int r = 0; r < R; ++r)
        acc[r][0] = acc[r][1] = _mm256_setzero_ps();
    for (int64_t k = 0; k < depth; ++k) {
        const __m256 b0 = _mm256_loadu_ps(b + k * width + col), b1 = _mm256_loadu_ps(b + k * width + col + 8);
#pragma GCC unroll 8
        for (int r = 0; r < R; ++r) {
            const __m256 x = _mm256_broadcast_ss(a + r * depth + k);
            acc[r][0] = _mm256_fmadd_ps(x, b0, acc[r][0]);
            acc[r][1] = _mm256_fmadd_ps(x, b1, acc[r][1]);
        }
    }
    const __m256 slope = _mm256_set1_ps(e.negativeSlope), one = _mm256_set1_ps(1.0f), zero = _mm256_setzero_ps();
#pragma GCC unroll 8
    for (int r = 0; r < R; ++r)
#pragma GCC unroll 2
        for (int half = 0; half < 2; ++half) {
            const int64_t at = r * width + col + 8 * half;
            __m256 v = acc[r][half];
            if constexpr (Mode == Epilogue::kBiasActivate) {
                v = _mm256_add_ps(v, _mm256_loadu_ps(e.bias + col + 8 * half));
                v = _mm256_max_ps(v, _mm256_mul_ps(v, slope));
            } else if constexpr (Mode == Epilogue::kActivationGradient) {
                const __m256 positive = _mm256_cmp_ps(_mm256_loadu_ps(e.outputs + at), zero, _CMP_GT_OQ);
                v = _mm256_mul_ps(v, _mm256_blendv_ps(slope, one, positive));
            }
            _mm256_storeu_ps(c + at, v);
        }
}

template <int R, int Mode>
void multiplyRows(const float* a, const float* b, float* c, int64_t depth, int64_t width, const Epilogue& e)
{
    for (int64_t col = 0; col < width; col += kDenseLane)
        multiplyTile<R, Mode>(a, b, c, depth, width, col, e);
}

template <int Mode>
void multiplyWith(const float* a, const float* b, float* c, int64_t rows, int64_t depth, int64_t width, Epilogue e)
{
    int64_t r = 0;
    for (; r + kTile <= rows; r += kTile) {
        multiplyRows<kTile, Mode>(a + r * depth, b, c + r * width, depth, width, e);
        if (e.outputs)
            e.outputs += kTile * width;
    }
    const float* at = a + r * depth;
    float* ct = c + r * width;
    switch (rows - r) {
    case 5: multiplyRows<5, Mode>(at, b, ct, depth, width, e); break;
    case 4: multiplyRows<4, Mode>(at, b, ct, depth, width, e); break;
    case 3: multiplyRows<3, Mode>(at, b, ct, depth, width, e); break;
    case 2: multiplyRows<2, Mode>(at, b, ct, depth, width, e); break;
    case 1: multiplyRows<1, Mode>(at, b, ct, depth, width, e); break;
    default: break;
    }
}

/// G rows [i, i + R) (16 columns from `col`) += A[rows, i : i + R]ᵀ · D[rows, col : col + 16].
template <int R>
void transposedTile(const float* a, const float* d, float* g, int64_t rows, int64_t depth, int64_t width, int64_t i,
                    int64_t col)
{
    __m256 acc[R][2];
#pragma GCC unroll 8
    for (int r = 0; r < R; ++r) {
        acc[r][0] = _mm256_loadu_ps(g + (i + r) * width + col);
        acc[r][1] = _mm256_loadu_ps(g + (i + r) * width + col + 8);
    }
    for (int64_t row = 0; row < rows; ++row) {
        const __m256 d0 = _mm256_loadu_ps(d + row * width + col), d1 = _mm256_loadu_ps(d + row * width + col + 8);
    #pragma GCC unroll 8
    for (int r = 0; r < R; ++r) {
            const __m256 x = _mm256_broadcast_ss(a + row * depth + i + r);
            acc[r][0] = _mm256_fmadd_ps(x, d0, acc[r][0]);
            acc[r][1] = _mm256_fmadd_ps(x, d1, acc[r][1]);
        }
    }
#pragma GCC unroll 8
    for (int r = 0; r < R; ++r) {
        _mm256_storeu_ps(g + (i + r) * width + col, acc[r][0]);
        _mm256_storeu_ps(g + (i + r) * width + col + 8, acc[r][1]);
    }
}

void transposedBlock(const float* a, const float* d, float* g, int64_t rows, int64_t depth, int64_t width)
{
    for (int64_t col = 0; col < width; col += kDenseLane) {
        int64_t i = 0;
        for (; i + kTile <= depth; i += kTile)
            transposedTile<kTile>(a, d, g, rows, depth, width, i, col);
        switch (depth - i) {
        case 5: transposedTile<5>(a, d, g, rows, depth, width, i, col); break;
        case 4: transposedTile<4>(a, d, g, rows, depth, width, i, col); break;
        case 3: transposedTile<3>(a, d, g, rows, depth, width, i, col); break;
        case 2: transposedTile<2>(a, d, g, rows, depth, width, i, col); break;
        case 1: transposedTile<1>(a, d, g, rows, depth, width, i, col); break;
        default: break;
        }
    }
}

__m256 activate8(__m256 z, Activation act)
{
    if (act == Activation::Relu)
        return _mm256_max_ps(z, _mm256_setzero_ps());
    // leaky ReLU, slope 0.01 (torch's default)
    return _mm256_max_ps(z, _mm256_mul_ps(z, _mm256_set1_ps(0.01f)));
}

float activateScalar(float z, Activation act)
{
    switch (act) {
    case Activation::Relu: return z > 0.0f ? z : 0.0f;
    case Activation::LeakyRelu: return z > 0.0f ? z : 0.01f * z;
    case Activation::Tanh: return std::tanh(z);
    case Activation::Sigmoid: return 1.0f / (1.0f + std::exp(-z));
    }
    return z;
}

bool piecewiseLinear(Activation act) { return act == Activation::Relu || act == Activation::LeakyRelu; }

/// The slope below zero of a piecewise-linear activation (torch's leaky ReLU default: 0.01).
float negativeSlope(Activation act) { return act == Activation::Relu ? 0.0f : 0.01f; }

/// z[r] = act(z[r] + bias) in place.
void biasActivate(float* z, const float* bias, int64_t rows, int64_t width, Activation act)
{
    for (int64_t r = 0; r < rows; ++r) {
        float* row = z + r * width;
        if (piecewiseLinear(act)) {
            for (int64_t k = 0; k < width; k += 8) {
                __m256 v = _mm256_loadu_ps(row + k);
                if (bias)
                    v = _mm256_add_ps(v, _mm256_loadu_ps(bias + k));
                _mm256_storeu_ps(row + k, activate8(v, act));
            }
        } else {
            for (int64_t k = 0; k < width; ++k)
                row[k] = activateScalar(row[k] + (bias ? bias[k] : 0.0f), act);
        }
    }
}

/// dh[r] *= act′ expressed through the activation's output h[r] (ReLU: h > 0).
void activationGradient(float* dh, const float* h, int64_t rows, int64_t width, Activation act)
{
    const int64_t count = rows * width;
    if (piecewiseLinear(act)) {
        const __m256 zero = _mm256_setzero_ps(), one = _mm256_set1_ps(1.0f);
        const __m256 negative = _mm256_set1_ps(negativeSlope(act));
        for (int64_t k = 0; k < count; k += 8) {
            const __m256 positive = _mm256_cmp_ps(_mm256_loadu_ps(h + k), zero, _CMP_GT_OQ);
            const __m256 slope = _mm256_blendv_ps(negative, one, positive);
            _mm256_storeu_ps(dh + k, _mm256_mul_ps(_mm256_loadu_ps(dh + k), slope));
        }
        return;
    }
    for (int64_t k = 0; k < count; ++k)
        dh[k] *= act == Activation::Tanh ? 1.0f - h[k] * h[k] : h[k] * (1.0f - h[k]);
}

} // namespace

bool available()
{
    static const bool supported = [] {
        __builtin_cpu_init();
        return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    }();
    return supported;
}

void multiply(const float* a, const float* b, float* c, int64_t rows, int64_t depth, int64_t width)
{
    multiplyWith<Epilogue::kPlain>(a, b, c, rows, depth, width, {});
}

void multiplyActivate(const float* a, const float* b, const float* bias, float* c, int64_t rows, int64_t depth,
                      int64_t width, Activation act)
{
    if (!piecewiseLinear(act)) {
        multiply(a, b, c, rows, depth, width);
        biasActivate(c, bias, rows, width, act);
        return;
    }
    Epilogue e;
    e.bias = bias;
    e.negativeSlope = negativeSlope(act);
    multiplyWith<Epilogue::kBiasActivate>(a, b, c, rows, depth, width, e);
}

void multiplyActivationGradient(const float* a, const float* b, const float* h, float* c, int64_t rows, int64_t depth,
                                int64_t width, Activation act)
{
    if (!piecewiseLinear(act)) {
        multiply(a, b, c, rows, depth, width);
        activationGradient(c, h, rows, width, act);
        return;
    }
    Epilogue e;
    e.outputs = h;
    e.negativeSlope = negativeSlope(act);
    multiplyWith<Epilogue::kActivationGradient>(a, b, c, rows, depth, width, e);
}

void accumulateTransposed(const float* a, const float* d, float* g, int64_t rows, int64_t depth, int64_t width)
{
    for (int64_t r = 0; r < rows; r += kRowBlock)
        transposedBlock(a + r * depth, d + r * width, g, std::min(kRowBlock, rows - r), depth, width);
}

void rowDots(const float* a, const float* v, float bias, float* out, int64_t rows, int64_t width)
{
    for (int64_t r = 0; r < rows; ++r) {
        const float* x = a + r * width;
        __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps();
        for (int64_t k = 0; k < width; k += kDenseLane) {
            acc0 = _mm256_fmadd_ps(_mm256_loadu_ps(x + k), _mm256_loadu_ps(v + k), acc0);
            acc1 = _mm256_fmadd_ps(_mm256_loadu_ps(x + k + 8), _mm256_loadu_ps(v + k + 8), acc1);
        }
        out[r] = horizontalSum(_mm256_add_ps(acc0, acc1)) + bias;
    }
}

void firstLayer(const float* u, const float* wu, const float* offsets, float* h, int64_t rows, int64_t width,
                Activation act)
{
    if (!piecewiseLinear(act)) {
        for (int64_t r = 0; r < rows; ++r)
            for (int64_t k = 0; k < width; ++k)
                h[r * width + k] = u[r] * wu[k] + offsets[r * width + k];
        biasActivate(h, nullptr, rows, width, act);
        return;
    }
    for (int64_t r = 0; r < rows; ++r) {
        const __m256 x = _mm256_set1_ps(u[r]);
        float* out = h + r * width;
        const float* offset = offsets + r * width;
        for (int64_t k = 0; k < width; k += 8)
            _mm256_storeu_ps(out + k, activate8(_mm256_fmadd_ps(x, _mm256_loadu_ps(wu + k), _mm256_loadu_ps(offset + k)),
                                               act));
    }
}

void lastLayerBackward(const float* dOut, const float* h, const float* w, float* dh, float* gradW, int64_t rows,
                       int64_t width, Activation act)
{
    const bool fused = piecewiseLinear(act);
    const __m256 slope = _mm256_set1_ps(negativeSlope(act)), one = _mm256_set1_ps(1.0f),
                 zero = _mm256_setzero_ps();
    for (int64_t r = 0; r < rows; ++r) {
        const __m256 g = _mm256_set1_ps(dOut[r]);
        const float* hr = h + r * width;
        float* dr = dh + r * width;
        for (int64_t k = 0; k < width; k += 8) {
            const __m256 hv = _mm256_loadu_ps(hr + k);
            _mm256_storeu_ps(gradW + k, _mm256_fmadd_ps(g, hv, _mm256_loadu_ps(gradW + k)));
            __m256 d = _mm256_mul_ps(g, _mm256_loadu_ps(w + k));
            if (fused)
                d = _mm256_mul_ps(d, _mm256_blendv_ps(slope, one, _mm256_cmp_ps(hv, zero, _CMP_GT_OQ)));
            _mm256_storeu_ps(dr + k, d);
        }
    }
    if (!fused)
        activationGradient(dh, h, rows, width, act);
}

void firstLayerBackward(const float* dz, const float* u, float* gradWu, float* sums, int64_t rows, int64_t width)
{
    for (int64_t k = 0; k < width; k += 8) {
        __m256 grad = _mm256_loadu_ps(gradWu + k);
        for (int64_t r = 0; r < rows; ++r) {
            const __m256 d = _mm256_loadu_ps(dz + r * width + k);
            grad = _mm256_fmadd_ps(_mm256_set1_ps(u[r]), d, grad);
            _mm256_storeu_ps(sums + r * width + k, _mm256_add_ps(_mm256_loadu_ps(sums + r * width + k), d));
        }
        _mm256_storeu_ps(gradWu + k, grad);
    }
}

} // namespace plexus::dense

#pragma GCC pop_options
