#include "receiver_groups.h"

#include <algorithm>
#include <limits>

namespace plexus {

namespace {

constexpr int kLloydSteps = 10;
/// Latents closer to a seed than this fraction of the farthest latent's distance from neuron 0 join that seed's group
/// rather than seeding a group of their own: types already separated take one group each.
constexpr float kSameGroup = 0.05f;

float squaredDistance(const float* a, const float* b, int64_t d)
{
    float sum = 0.0f;
    for (int64_t c = 0; c < d; ++c)
        sum += (a[c] - b[c]) * (a[c] - b[c]);
    return sum;
}

} // namespace

ReceiverGroups::ReceiverGroups(int64_t maxGroups) : m_maxGroups(std::max<int64_t>(1, maxGroups)) {}

void ReceiverGroups::seed(const float* latents, int64_t n)
{
    // Farthest-point seeds from neuron 0: deterministic, and no two seeds alike.
    const int64_t d = m_dim;
    m_centroids.assign(static_cast<std::size_t>(m_maxGroups * d), 0.0f);
    std::copy(latents, latents + d, m_centroids.begin());
    m_distance.assign(static_cast<std::size_t>(n), 0.0f);
    for (int64_t i = 0; i < n; ++i)
        m_distance[i] = squaredDistance(latents + i * d, latents, d);
    m_seeds = 1;
    const float spread = *std::max_element(m_distance.begin(), m_distance.end());
    while (m_seeds < m_maxGroups) {
        const auto farthest = std::max_element(m_distance.begin(), m_distance.end()) - m_distance.begin();
        if (m_distance[farthest] <= 0.0f || m_distance[farthest] <= kSameGroup * kSameGroup * spread)
            break; // every latent equals a seed, or lies within kSameGroup of one
        const float* next = latents + farthest * d;
        std::copy(next, next + d, m_centroids.begin() + m_seeds * d);
        for (int64_t i = 0; i < n; ++i)
            m_distance[i] = std::min(m_distance[i], squaredDistance(latents + i * d, next, d));
        ++m_seeds;
    }
}

bool ReceiverGroups::assign(const float* latents, int64_t n)
{
    bool changed = false;
    for (int64_t i = 0; i < n; ++i) {
        int32_t best = 0;
        float nearest = std::numeric_limits<float>::max();
        for (int64_t k = 0; k < m_seeds; ++k) {
            const float distance = squaredDistance(latents + i * m_dim, m_centroids.data() + k * m_dim, m_dim);
            if (distance < nearest) {
                nearest = distance;
                best = static_cast<int32_t>(k);
            }
        }
        changed |= m_groupOf[i] != best;
        m_groupOf[i] = best;
    }
    return changed;
}

void ReceiverGroups::recentre(const float* latents, int64_t n)
{
    // Means of the non-empty groups, renumbered 0 … count − 1 in order of first appearance of their seed.
    m_counts.assign(static_cast<std::size_t>(m_seeds), 0);
    std::vector<float>& sums = m_sums;
    sums.assign(static_cast<std::size_t>(m_seeds * m_dim), 0.0f);
    for (int64_t i = 0; i < n; ++i) {
        ++m_counts[m_groupOf[i]];
        for (int64_t c = 0; c < m_dim; ++c)
            sums[m_groupOf[i] * m_dim + c] += latents[i * m_dim + c];
    }
    std::vector<int32_t>& renumber = m_renumber;
    renumber.assign(static_cast<std::size_t>(m_seeds), -1);
    int64_t kept = 0;
    for (int64_t k = 0; k < m_seeds; ++k) {
        if (m_counts[k] == 0)
            continue;
        renumber[k] = static_cast<int32_t>(kept);
        for (int64_t c = 0; c < m_dim; ++c)
            m_centroids[kept * m_dim + c] = sums[k * m_dim + c] / static_cast<float>(m_counts[k]);
        ++kept;
    }
    for (auto& g : m_groupOf)
        g = renumber[g];
    m_seeds = kept;
}

void ReceiverGroups::update(const float* latents, int64_t n, int64_t d)
{
    m_dim = d;
    m_groupOf.assign(static_cast<std::size_t>(n), -1);
    seed(latents, n);
    for (int step = 0; step < kLloydSteps; ++step) {
        const bool changed = assign(latents, n);
        recentre(latents, n);
        if (!changed)
            break;
    }
    if (assign(latents, n)) // the last centres' groups, and their exact means
        recentre(latents, n);
    m_starts.assign(static_cast<std::size_t>(m_seeds + 1), 0);
    for (int64_t i = 0; i < n; ++i)
        ++m_starts[m_groupOf[i] + 1];
    for (int64_t k = 0; k < m_seeds; ++k)
        m_starts[k + 1] += m_starts[k];
    m_order.assign(static_cast<std::size_t>(n), 0);
    m_next.assign(m_starts.begin(), m_starts.end() - 1);
    for (int64_t i = 0; i < n; ++i)
        m_order[m_next[m_groupOf[i]]++] = i;
}

} // namespace plexus
