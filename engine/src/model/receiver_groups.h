#pragma once

// Private to the engine: the receiver groups of PDE_N5's training (no LibTorch here).
#include <cstdint>
#include <vector>

namespace plexus {

/// The neurons grouped by their latent vectors, for PDE_N5's ψ*(u_j, a_i, a_j) in training: ψ* is evaluated once per
/// sender and receiver group with the group's mean latent ā_k in place of a_i (docs/training.md, "PDE_N5"), and a_i
/// learns through ā_k (∂ā_k/∂a_i = 1/|group k|). The same as the per-edge model when the neurons of a group share one
/// latent (after a clustering step); otherwise a model whose receivers see their group's mean. Groups: farthest-point seeds, then Lloyd's k-means, recomputed from the latents at every step (no
/// state, so a resumed run groups as the original did); at most `maxGroups`, fewer when the latents form fewer clumps (a new group is seeded only
/// by a latent farther than 5 % of the latents' spread from every seed).
class ReceiverGroups
{
public:
    explicit ReceiverGroups(int64_t maxGroups);

    /// Groups the rows of `latents` [n × d] (row-major).
    void update(const float* latents, int64_t n, int64_t d);

    int64_t count() const { return static_cast<int64_t>(m_starts.size()) - 1; }
    int64_t maxGroups() const { return m_maxGroups; }
    /// ā_k [d] (the exact mean of the group's latents).
    const float* centroid(int64_t k) const { return m_centroids.data() + k * m_dim; }
    /// Group of each neuron [n].
    const int32_t* groupOf() const { return m_groupOf.data(); }
    /// The neurons group by group: group k at order()[starts()[k] … starts()[k + 1]).
    const int64_t* order() const { return m_order.data(); }
    const int64_t* starts() const { return m_starts.data(); }
    int64_t size(int64_t k) const { return m_starts[k + 1] - m_starts[k]; }

private:
    void seed(const float* latents, int64_t n);
    bool assign(const float* latents, int64_t n); ///< true when an assignment changed
    void recentre(const float* latents, int64_t n);

    int64_t m_maxGroups, m_dim = 0, m_seeds = 0;
    // Reused every step: nothing is allocated once the sizes are reached.
    std::vector<float> m_centroids, m_distance, m_sums;
    std::vector<int32_t> m_groupOf, m_renumber;
    std::vector<int64_t> m_order, m_starts, m_counts, m_next;
};

} // namespace plexus
