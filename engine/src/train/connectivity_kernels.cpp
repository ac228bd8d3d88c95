#include "connectivity_kernels.h"

#include <immintrin.h>

#include <algorithm>

// Every kernel is compiled for AVX2 + FMA; callers check dense::available() first.
#pragma GCC push_options
#pragma GCC target("avx2,fma")

#include "simd_helpers.h"

namespace plexus::dense {

namespace {

/// messages[b][i] for G frames from b0: one pass over row i of W.
template <int G>
void rowSums(const float* row, const float* psi, float* messages, int64_t n, int64_t i)
{
    const int64_t vectorEnd = n / 8 * 8;
    __m256 acc[G];
#pragma GCC unroll 8
    for (int b = 0; b < G; ++b)
        acc[b] = _mm256_setzero_ps();
    for (int64_t j = 0; j < vectorEnd; j += 8) {
        const __m256 x = _mm256_loadu_ps(row + j);
#pragma GCC unroll 8
        for (int b = 0; b < G; ++b)
            acc[b] = _mm256_fmadd_ps(x, _mm256_loadu_ps(psi + b * n + j), acc[b]);
    }
#pragma GCC unroll 8
    for (int b = 0; b < G; ++b) {
        float sum = horizontalSum(acc[b]);
        for (int64_t j = vectorEnd; j < n; ++j)
            sum += row[j] * psi[b * n + j];
        messages[b * n + i] = sum;
    }
}

/// λ·sign(W) added and the diagonal lane zeroed; stored at gradW[i, j : j + 8].
inline void storeGradient(__m256 grad, __m256 weight, float* gradW, int64_t i, int64_t j, int64_t n, float sparsity)
{
    if (sparsity != 0.0f) {
        const __m256 zero = _mm256_setzero_ps(), l1 = _mm256_set1_ps(sparsity);
        const __m256 positive = _mm256_and_ps(_mm256_cmp_ps(weight, zero, _CMP_GT_OQ), l1);
        const __m256 negative = _mm256_and_ps(_mm256_cmp_ps(weight, zero, _CMP_LT_OQ), l1);
        grad = _mm256_add_ps(grad, _mm256_sub_ps(positive, negative));
    }
    _mm256_storeu_ps(gradW + i * n + j, grad);
    if (i >= j && i < j + 8)
        gradW[i * n + i] = 0.0f;
}

/// senderGradients for the K receivers `rows` and the senders [first, vectorEnd) (8 at a time).
template <int K>
void receiverBlock(const float* w, const float* g, const float* psi, float* gradW, float* gradPsi, int64_t n,
                   int64_t batch, const int64_t* rows, int64_t first, int64_t vectorEnd, float sparsity)
{
    for (int64_t j = first; j < vectorEnd; j += 8) {
        __m256 weight[K], grad[K];
#pragma GCC unroll 8
        for (int k = 0; k < K; ++k) {
            weight[k] = _mm256_loadu_ps(w + rows[k] * n + j);
            grad[k] = _mm256_setzero_ps();
        }
        for (int64_t b = 0; b < batch; ++b) {
            const __m256 p = _mm256_loadu_ps(psi + b * n + j);
            __m256 gp = _mm256_loadu_ps(gradPsi + b * n + j);
#pragma GCC unroll 8
            for (int k = 0; k < K; ++k) {
                const __m256 x = _mm256_broadcast_ss(g + b * n + rows[k]);
                grad[k] = _mm256_fmadd_ps(x, p, grad[k]);
                gp = _mm256_fmadd_ps(x, weight[k], gp);
            }
            _mm256_storeu_ps(gradPsi + b * n + j, gp);
        }
#pragma GCC unroll 8
        for (int k = 0; k < K; ++k)
            storeGradient(grad[k], weight[k], gradW, rows[k], j, n, sparsity);
    }
}

/// The scalar remainder of senderGradients (senders not in a block of 8).
void senderTail(const float* w, const float* g, const float* psi, float* gradW, float* gradPsi, int64_t n,
                int64_t batch, int64_t i, int64_t j, float sparsity)
{
    const float weight = w[i * n + j];
    float sum = 0.0f;
    for (int64_t b = 0; b < batch; ++b) {
        sum += g[b * n + i] * psi[b * n + j];
        gradPsi[b * n + j] += g[b * n + i] * weight;
    }
    sum += weight > 0 ? sparsity : (weight < 0 ? -sparsity : 0.0f);
    gradW[i * n + j] = i == j ? 0.0f : sum;
}

} // namespace

void receiverSums(const float* w, const float* psi, float* messages, int64_t n, int64_t batch, int64_t first,
                  int64_t last, const int32_t* rowGroup)
{
    const float* shared = psi;
    for (int64_t i = first; i < last; ++i) {
        const float* row = w + i * n;
        psi = rowGroup ? shared + rowGroup[i] * batch * n : shared;
        int64_t b = 0;
        for (; b + 8 <= batch; b += 8)
            rowSums<8>(row, psi + b * n, messages + b * n, n, i);
        for (; b + 4 <= batch; b += 4)
            rowSums<4>(row, psi + b * n, messages + b * n, n, i);
        for (; b < batch; ++b)
            rowSums<1>(row, psi + b * n, messages + b * n, n, i);
    }
}

namespace {

/// senderGradients over the receivers rows[0 … count), 4 at a time; gradψ already zeroed.
void senderPass(const float* w, const float* g, const float* psi, float* gradW, float* gradPsi, int64_t n,
                int64_t batch, int64_t first, int64_t last, float sparsity, const int64_t* rows, int64_t count)
{
    constexpr int64_t kRows = 4; // receivers per pass over the sender block (keeps gradψ loads low)
    const int64_t vectorEnd = first + (last - first) / 8 * 8;
    for (int64_t r = 0; r < count; r += kRows) {
        const int64_t block = std::min(kRows, count - r);
        const int64_t* four = rows + r;
        switch (block) {
        case 4: receiverBlock<4>(w, g, psi, gradW, gradPsi, n, batch, four, first, vectorEnd, sparsity); break;
        case 3: receiverBlock<3>(w, g, psi, gradW, gradPsi, n, batch, four, first, vectorEnd, sparsity); break;
        case 2: receiverBlock<2>(w, g, psi, gradW, gradPsi, n, batch, four, first, vectorEnd, sparsity); break;
        default: receiverBlock<1>(w, g, psi, gradW, gradPsi, n, batch, four, first, vectorEnd, sparsity); break;
        }
        for (int64_t j = vectorEnd; j < last; ++j)
            for (int64_t k = 0; k < block; ++k)
                senderTail(w, g, psi, gradW, gradPsi, n, batch, four[k], j, sparsity);
    }
}

} // namespace

void senderGradients(const float* w, const float* g, const float* psi, float* gradW, float* gradPsi, int64_t n,
                     int64_t batch, int64_t first, int64_t last, float sparsity)
{
    for (int64_t b = 0; b < batch; ++b)
        std::fill(gradPsi + b * n + first, gradPsi + b * n + last, 0.0f);
    int64_t rows[4];
    for (int64_t i0 = 0; i0 < n; i0 += 4) {
        const int64_t count = std::min<int64_t>(4, n - i0);
        for (int64_t k = 0; k < count; ++k)
            rows[k] = i0 + k;
        senderPass(w, g, psi, gradW, gradPsi, n, batch, first, last, sparsity, rows, count);
    }
}

void groupedSenderGradients(const float* w, const float* g, const float* psi, float* gradW, float* gradPsi, int64_t n,
                            int64_t batch, int64_t first, int64_t last, float sparsity, const int64_t* order,
                            const int64_t* starts, int64_t groups)
{
    for (int64_t k = 0; k < groups; ++k) {
        const float* groupPsi = psi + k * batch * n;
        float* groupGrad = gradPsi + k * batch * n;
        for (int64_t b = 0; b < batch; ++b)
            std::fill(groupGrad + b * n + first, groupGrad + b * n + last, 0.0f);
        senderPass(w, g, groupPsi, gradW, groupGrad, n, batch, first, last, sparsity, order + starts[k],
                   starts[k + 1] - starts[k]);
    }
}

} // namespace plexus::dense

#pragma GCC pop_options
