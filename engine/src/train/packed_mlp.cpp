#include "packed_mlp.h"

#include <algorithm>

namespace plexus {

namespace {

constexpr int64_t kChunk = 128; // rows per pass through the layers (their activations stay in L2)

void addInto(std::vector<float>& to, const std::vector<float>& from)
{
    for (std::size_t k = 0; k < to.size(); ++k)
        to[k] += from[k];
}

void addColumnSums(const float* rows, int64_t count, int64_t width, float* sums)
{
    for (int64_t r = 0; r < count; ++r)
        for (int64_t k = 0; k < width; ++k)
            sums[k] += rows[r * width + k];
}

} // namespace

void PackedMlp::Gradients::zero()
{
    for (auto* v : {&activity, &features, &firstBias, &last})
        std::fill(v->begin(), v->end(), 0.0f);
    for (auto& v : hidden)
        std::fill(v.begin(), v.end(), 0.0f);
    for (auto& v : hiddenBias)
        std::fill(v.begin(), v.end(), 0.0f);
    lastBias = 0.0;
}

void PackedMlp::Gradients::add(const Gradients& o)
{
    addInto(activity, o.activity);
    addInto(features, o.features);
    addInto(firstBias, o.firstBias);
    addInto(last, o.last);
    for (std::size_t l = 0; l < hidden.size(); ++l) {
        addInto(hidden[l], o.hidden[l]);
        addInto(hiddenBias[l], o.hiddenBias[l]);
    }
    lastBias += o.lastBias;
}

PackedMlp::PackedMlp(int64_t layers, int64_t hidden, int64_t features, dense::Activation activation, int64_t neurons,
                     int64_t groups, int64_t variants)
    : m_layers(layers), m_hidden(hidden), m_width(dense::padded(hidden)), m_features(features), m_neurons(neurons),
      m_activation(activation)
{
    const auto w = static_cast<std::size_t>(m_width);
    m_activity.assign(w, 0.0f);
    m_featureT.assign(static_cast<std::size_t>(features) * w, 0.0f);
    m_firstBias.assign(w, 0.0f);
    for (int64_t l = 1; l + 1 < layers; ++l) {
        m_forward.emplace_back(w * w, 0.0f);
        m_backward.emplace_back(w * w, 0.0f);
        m_bias.emplace_back(w, 0.0f);
    }
    m_last.assign(w, 0.0f);
    const auto perVariant = static_cast<std::size_t>(std::max<int64_t>(1, variants) * neurons) * w;
    m_offsets.assign(perVariant, 0.0f);
    m_sums.assign(perVariant, 0.0f);
    m_detachedSums.assign(perVariant, 0.0f);
    for (int64_t l = 0; l + 1 < layers; ++l)
        m_activations.emplace_back(static_cast<std::size_t>(groups * neurons) * w, 0.0f);
}

void PackedMlp::load(const std::vector<const float*>& weights, const std::vector<const float*>& biases)
{
    const int64_t in0 = 1 + m_features, h = m_hidden, w = m_width;
    for (int64_t o = 0; o < h; ++o) {
        m_activity[o] = weights[0][o * in0];
        for (int64_t f = 0; f < m_features; ++f)
            m_featureT[f * w + o] = weights[0][o * in0 + 1 + f];
        m_firstBias[o] = biases[0][o];
    }
    for (int64_t l = 1; l + 1 < m_layers; ++l) {
        auto& forward = m_forward[l - 1];
        auto& backward = m_backward[l - 1];
        for (int64_t o = 0; o < h; ++o) {
            for (int64_t i = 0; i < h; ++i) {
                forward[i * w + o] = weights[l][o * h + i];
                backward[o * w + i] = weights[l][o * h + i];
            }
            m_bias[l - 1][o] = biases[l][o];
        }
    }
    for (int64_t i = 0; i < h; ++i)
        m_last[i] = weights[m_layers - 1][i];
    m_lastBias = biases[m_layers - 1][0];
}

PackedMlp::Gradients PackedMlp::makeGradients() const
{
    const auto w = static_cast<std::size_t>(m_width);
    Gradients g;
    g.activity.assign(w, 0.0f);
    g.features.assign(static_cast<std::size_t>(m_features) * w, 0.0f);
    g.firstBias.assign(w, 0.0f);
    for (int64_t l = 1; l + 1 < m_layers; ++l) {
        g.hidden.emplace_back(w * w, 0.0f);
        g.hiddenBias.emplace_back(w, 0.0f);
    }
    g.last.assign(w, 0.0f);
    return g;
}

std::vector<float> PackedMlp::makeScratch() const { return std::vector<float>(2 * kChunk * m_width, 0.0f); }

void PackedMlp::prepareNeurons(const float* features, int64_t first, int64_t last, int64_t variant)
{
    const int64_t w = m_width, base = variant * m_neurons;
    for (int64_t n = first; n < last; ++n) {
        float* offset = m_offsets.data() + (base + n) * w;
        std::copy(m_firstBias.begin(), m_firstBias.end(), offset);
        for (int64_t f = 0; f < m_features; ++f) {
            const float x = features[n * m_features + f];
            const float* column = m_featureT.data() + f * w;
            for (int64_t k = 0; k < w; ++k)
                offset[k] += x * column[k];
        }
        std::fill(m_sums.begin() + (base + n) * w, m_sums.begin() + (base + n + 1) * w, 0.0f);
        std::fill(m_detachedSums.begin() + (base + n) * w, m_detachedSums.begin() + (base + n + 1) * w, 0.0f);
    }
}

void PackedMlp::forward(const float* u, int64_t group, int64_t first, int64_t last, float* out, int64_t variant)
{
    const int64_t w = m_width;
    const float* offsets = m_offsets.data() + variant * m_neurons * w;
    for (int64_t n = first; n < last; n += kChunk) {
        const int64_t rows = std::min(kChunk, last - n);
        const int64_t row = group * m_neurons + n;
        dense::firstLayer(u + (n - first), m_activity.data(), offsets + n * w, activation(0, row), rows, w,
                          m_activation);
        for (int64_t l = 1; l + 1 < m_layers; ++l) {
            dense::multiplyActivate(activation(l - 1, row), m_forward[l - 1].data(), m_bias[l - 1].data(),
                                    activation(l, row), rows, w, w, m_activation);
        }
        dense::rowDots(activation(m_layers - 2, row), m_last.data(), m_lastBias, out + (n - first), rows, w);
    }
}

void PackedMlp::backward(const float* dOut, const float* u, int64_t group, int64_t first, int64_t last, Gradients& g,
                         std::vector<float>& scratch, bool detachedFeatures, int64_t variant)
{
    const int64_t w = m_width;
    float* sums = (detachedFeatures ? m_detachedSums : m_sums).data() + variant * m_neurons * w;
    float* dh = scratch.data();
    float* previous = scratch.data() + kChunk * w;
    for (int64_t n = first; n < last; n += kChunk) {
        const int64_t rows = std::min(kChunk, last - n);
        const int64_t row = group * m_neurons + n;
        const float* d = dOut + (n - first);
        if (std::all_of(d, d + rows, [](float x) { return x == 0.0f; }))
            continue; // adds nothing: the monotonicity term's rows wherever ψ* already rises
        // dh holds ∂/∂(pre-activation) of layer l's output at each step.
        dense::lastLayerBackward(d, activation(m_layers - 2, row), m_last.data(), dh, g.last.data(), rows, w,
                                 m_activation);
        for (int64_t r = 0; r < rows; ++r)
            g.lastBias += d[r];
        for (int64_t l = m_layers - 2; l >= 1; --l) {
            dense::accumulateTransposed(dh, activation(l - 1, row), g.hidden[l - 1].data(), rows, w, w);
            addColumnSums(dh, rows, w, g.hiddenBias[l - 1].data());
            dense::multiplyActivationGradient(dh, m_backward[l - 1].data(), activation(l - 1, row), previous, rows, w,
                                              w, m_activation);
            std::swap(dh, previous);
        }
        dense::firstLayerBackward(dh, u + (n - first), g.activity.data(), sums + n * w, rows, w);
    }
}

void PackedMlp::finishNeurons(const float* features, int64_t first, int64_t last, Gradients& g, float* featureGrad,
                              int64_t variant) const
{
    const int64_t w = m_width, base = variant * m_neurons;
    for (int64_t n = first; n < last; ++n) {
        const float* sum = m_sums.data() + (base + n) * w;
        const float* detached = m_detachedSums.data() + (base + n) * w;
        for (int64_t k = 0; k < w; ++k)
            g.firstBias[k] += sum[k] + detached[k];
        for (int64_t f = 0; f < m_features; ++f) {
            const float x = features[n * m_features + f];
            const float* column = m_featureT.data() + f * w;
            float* grad = g.features.data() + f * w;
            float dot = 0.0f;
            for (int64_t k = 0; k < w; ++k) {
                grad[k] += x * (sum[k] + detached[k]);
                dot += sum[k] * column[k];
            }
            featureGrad[n * m_features + f] = dot;
        }
    }
}

void PackedMlp::store(const Gradients& g, const std::vector<float*>& weights, const std::vector<float*>& biases) const
{
    const int64_t in0 = 1 + m_features, h = m_hidden, w = m_width;
    for (int64_t o = 0; o < h; ++o) {
        weights[0][o * in0] = g.activity[o];
        for (int64_t f = 0; f < m_features; ++f)
            weights[0][o * in0 + 1 + f] = g.features[f * w + o];
        biases[0][o] = g.firstBias[o];
    }
    for (int64_t l = 1; l + 1 < m_layers; ++l) {
        for (int64_t o = 0; o < h; ++o) {
            for (int64_t i = 0; i < h; ++i)
                weights[l][o * h + i] = g.hidden[l - 1][o * w + i];
            biases[l][o] = g.hiddenBias[l - 1][o];
        }
    }
    for (int64_t i = 0; i < h; ++i)
        weights[m_layers - 1][i] = g.last[i];
    biases[m_layers - 1][0] = static_cast<float>(g.lastBias);
}

} // namespace plexus
