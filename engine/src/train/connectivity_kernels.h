#pragma once

// Private to the engine: the passes over W of the CPU training step (no LibTorch here). Row-major float matrices;
// the caller checks dense::available() (AVX2 + FMA) first.

#include <cstdint>

namespace plexus::dense {

/// messages[b][i] = dot(W[i, :], ψ[b, :]) for receivers i in [first, last); W is n × n, ψ is batch × n.
/// With `rowGroup`, ψ is groups × batch × n and receiver i reads the ψ of its group rowGroup[i].
void receiverSums(const float* w, const float* psi, float* messages, int64_t n, int64_t batch, int64_t first,
                  int64_t last, const int32_t* rowGroup = nullptr);

/// For senders j in [first, last): gradW[i][j] = Σ_b g[b][i]·ψ[b][j] for every receiver i, and
/// gradψ[b][j] = Σ_i g[b][i]·W[i][j]. W, gradW are n × n; g, ψ, gradψ are batch × n.
/// The diagonal of gradW is 0 (it stays out of learning) and λ·sign(W) is added for an L1 term (λ = `sparsity`).
void senderGradients(const float* w, const float* g, const float* psi, float* gradW, float* gradPsi, int64_t n,
                     int64_t batch, int64_t first, int64_t last, float sparsity);

/// The same when the receivers read the ψ of their group (receiverSums with rowGroup): ψ and gradψ are
/// groups × batch × n, gradψ[k][b][j] = Σ_{i in group k} g[b][i]·W[i][j], gradW[i][j] = Σ_b g[b][i]·ψ[k(i)][b][j].
/// `order` lists the receivers group by group, group k at order[starts[k] … starts[k + 1]).
void groupedSenderGradients(const float* w, const float* g, const float* psi, float* gradW, float* gradPsi, int64_t n,
                            int64_t batch, int64_t first, int64_t last, float sparsity, const int64_t* order,
                            const int64_t* starts, int64_t groups);

} // namespace plexus::dense
