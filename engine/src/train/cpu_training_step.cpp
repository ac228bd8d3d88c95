#include "cpu_training_step.h"

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace plexus {

namespace {

dense::Activation activationOf(const std::string& name)
{
    if (name == "tanh")
        return dense::Activation::Tanh;
    if (name == "leaky_relu")
        return dense::Activation::LeakyRelu;
    if (name == "sigmoid")
        return dense::Activation::Sigmoid;
    return dense::Activation::Relu;
}

PackedMlp packedOf(const MlpImpl& mlp, int64_t features, int64_t neurons, int64_t groups, int64_t variants = 1)
{
    const auto& layers = mlp.layers();
    return PackedMlp(static_cast<int64_t>(layers.size()), layers.front()->weight.size(0), features,
                     activationOf(mlp.activation()), neurons, groups, variants);
}

bool receiverModel(const AssemblyModelImpl& model)
{
    return model.transferInputs() == TransferInputs::ActivitySenderReceiver;
}

/// ψ*'s per-neuron inputs after u: none (PDE_N2), a_j (PDE_N4), [a_i, a_j] (PDE_N5).
int64_t transferFeatureCount(const AssemblyModelImpl& model, int64_t d)
{
    switch (model.transferInputs()) {
    case TransferInputs::Activity: return 0;
    case TransferInputs::ActivityAndSender: return d;
    case TransferInputs::ActivitySenderReceiver: return 2 * d;
    }
    return 0;
}

/// The .grad of a parameter, allocated when missing (first step).
float* gradientOf(const torch::Tensor& parameter)
{
    if (!parameter.grad().defined())
        const_cast<torch::Tensor&>(parameter).mutable_grad() = torch::zeros_like(parameter);
    return parameter.grad().data_ptr<float>();
}

/// `weights`, `biases`: reused scratch for the gradients' addresses.
void storeMlp(const PackedMlp& packed, const PackedMlp::Gradients& g, const MlpImpl& mlp,
              std::vector<float*>& weights, std::vector<float*>& biases)
{
    weights.clear();
    biases.clear();
    for (const auto& layer : mlp.layers()) {
        weights.push_back(gradientOf(layer->weight));
        biases.push_back(gradientOf(layer->bias));
    }
    packed.store(g, weights, biases);
}

constexpr int kFixedTerms = 3; // prediction², update-at-zero², Σ|W| before the per-frame monotonicity terms

} // namespace

std::string CpuTrainingStep::unsupportedReason(const AssemblyModelImpl& model, const torch::Device& device)
{
    if (!device.is_cpu())
        return "not on the CPU";
    if (!dense::available())
        return "this CPU has no AVX2/FMA";
    if (!model.connectivity.defined())
        return "low-rank W";
    if (model.updateFunction->layers().size() < 2 || model.transferFunction->layers().size() < 2)
        return "an MLP without hidden layer";
    if (model.transferFunction->layers().back()->weight.size(0) != 1)
        return "ψ* with more than one output";
    for (const auto& p : model.parameters())
        if (p.scalar_type() != torch::kFloat || !p.is_contiguous())
            return "parameters are not contiguous float32";
    return {};
}

CpuTrainingStep::CpuTrainingStep(AssemblyModel model, std::shared_ptr<const Dataset> data, int64_t maxBatch,
                                 int threads)
    : m_model(std::move(model)), m_data(std::move(data)), m_neurons(m_data->neurons()),
      m_receivers(m_data->stimulusReceivers()), m_maxBatch(maxBatch),
      m_latentDim(m_model->latent.size(1)),
      m_transferFeatures(m_model->transferInputs() == TransferInputs::ActivityAndSender),
      m_receiverLatents(receiverModel(*m_model)), m_multiplicative(m_model->inputMode() == "multiplicative"),
      m_additive(m_model->inputMode() == "additive"), m_groups(m_receiverLatents ? m_model->receiverGroups() : 1),
      m_threads(std::max(1, threads)),
      m_update(packedOf(*m_model->updateFunction, m_latentDim, m_neurons, maxBatch + 1)),
      m_transfer(packedOf(*m_model->transferFunction, transferFeatureCount(*m_model, m_latentDim), m_neurons,
                          (m_receiverLatents ? m_model->receiverGroups() + 2 : 2) * maxBatch,
                          m_receiverLatents ? m_model->receiverGroups() + 1 : 1))
{
    const int64_t n = m_neurons, bn = maxBatch * n;
    const int64_t transferRows = (m_receiverLatents ? m_groups.maxGroups() + 2 : 2) * bn;
    // Neuron ranges per thread, multiples of 8 (W's columns are read 8 at a time).
    const int64_t share = (n / m_threads + 7) / 8 * 8;
    for (int t = 0; t <= m_threads; ++t)
        m_bounds.push_back(std::min(n, t * share));
    m_bounds.back() = n;
    for (int t = 0; t < m_threads; ++t) {
        m_updateGrads.push_back(m_update.makeGradients());
        m_transferGrads.push_back(m_transfer.makeGradients());
        m_scratch.push_back(m_update.makeScratch());
        m_scratch.push_back(m_transfer.makeScratch());
    }
    for (auto* v : {&m_u, &m_shifted, &m_external, &m_messages, &m_residual, &m_messageGrad})
        v->assign(static_cast<std::size_t>(bn), 0.0f);
    m_zeros.assign(static_cast<std::size_t>(n), 0.0f);
    m_updateOut.assign(static_cast<std::size_t>(bn + n), 0.0f);
    m_updateDOut.assign(static_cast<std::size_t>(bn + n), 0.0f);
    m_transferOut.assign(static_cast<std::size_t>(transferRows), 0.0f);
    m_transferDOut.assign(static_cast<std::size_t>(transferRows), 0.0f);
    if (m_receiverLatents) {
        const auto variants = static_cast<std::size_t>((m_groups.maxGroups() + 1) * n * 2 * m_latentDim);
        m_variantFeatures.assign(variants, 0.0f);
        m_variantGrad.assign(variants, 0.0f);
        m_receiverGrad.assign(static_cast<std::size_t>(m_threads * m_groups.maxGroups() * m_latentDim), 0.0f);
    }
    m_latentFromUpdate.assign(static_cast<std::size_t>(n * m_latentDim), 0.0f);
    m_latentFromTransfer.assign(static_cast<std::size_t>(n * m_latentDim), 0.0f);
    m_partial.assign(static_cast<std::size_t>(m_threads * (kFixedTerms + maxBatch)), 0.0);
    m_externalGrad.assign(static_cast<std::size_t>(maxBatch * m_receivers), 0.0f);
    if (m_transferFeatures)
        m_monotonicityDOut.assign(static_cast<std::size_t>(bn), 0.0f);
}

void CpuTrainingStep::loadWeights()
{
    for (auto* mlp : {&m_update, &m_transfer}) {
        const MlpImpl& source = mlp == &m_update ? *m_model->updateFunction : *m_model->transferFunction;
        m_weightPointers.clear();
        m_biasPointers.clear();
        for (const auto& layer : source.layers()) {
            m_weightPointers.push_back(layer->weight.data_ptr<float>());
            m_biasPointers.push_back(layer->bias.data_ptr<float>());
        }
        mlp->load(m_weightPointers, m_biasPointers);
    }
}

void CpuTrainingStep::prepareTransfer(int t, const Coefficients& c)
{
    const int64_t first = m_bounds[t], last = m_bounds[t + 1], d = m_latentDim;
    const float* latent = m_model->latent.data_ptr<float>();
    if (!m_receiverLatents) {
        m_transfer.prepareNeurons(latent, first, last);
        return;
    }
    // PDE_N5: variant k holds [ā_k, a_j] for every sender j, the last variant [a_j, a_j] (the sender as receiver).
    auto fill = [&](int64_t variant, const float* receiver) {
        float* features = m_variantFeatures.data() + variant * m_neurons * 2 * d;
        for (int64_t j = first; j < last; ++j) {
            const float* own = latent + j * d;
            std::copy(receiver ? receiver : own, (receiver ? receiver : own) + d, features + j * 2 * d);
            std::copy(own, own + d, features + j * 2 * d + d);
        }
        m_transfer.prepareNeurons(features, first, last, variant);
    };
    for (int64_t k = 0; k < m_groups.count(); ++k)
        fill(k, m_groups.centroid(k));
    if (c.monotonicity > 0) // only the monotonicity term's rows use it
        fill(selfVariant(), nullptr);
}

void CpuTrainingStep::forwardNeurons(int t, const int64_t* frames, const Coefficients& c)
{
    const int64_t n = m_neurons, first = m_bounds[t], last = m_bounds[t + 1];
    const float* latent = m_model->latent.data_ptr<float>();
    const float* activity = m_data->activity.data();
    m_update.prepareNeurons(latent, first, last);
    prepareTransfer(t, c);
    float* out = m_transferOut.data();
    for (int64_t b = 0; b < m_batch; ++b) {
        float* u = m_u.data() + b * n;
        std::copy(activity + frames[b] * n + first, activity + frames[b] * n + last, u + first);
        m_update.forward(u + first, b, first, last, m_updateOut.data() + b * n + first);
        for (int64_t k = 0; k < messageGroups(); ++k)
            m_transfer.forward(u + first, messageRow(k, b), first, last, out + messageRow(k, b) * n + first,
                               m_receiverLatents ? k : 0);
        if (c.monotonicity > 0) {
            float* shifted = m_shifted.data() + b * n;
            for (int64_t i = first; i < last; ++i)
                shifted[i] = u[i] + static_cast<float>(c.shift);
            if (m_receiverLatents)
                m_transfer.forward(u + first, unshiftedRow(b), first, last, out + unshiftedRow(b) * n + first,
                                   selfVariant());
            m_transfer.forward(shifted + first, shiftedRow(b), first, last, out + shiftedRow(b) * n + first,
                               selfVariant());
        }
    }
    if (c.updateAtZero > 0)
        m_update.forward(m_zeros.data() + first, m_batch, first, last, m_updateOut.data() + m_batch * n + first);
}

void CpuTrainingStep::residualNeurons(int t, const int64_t* frames, const Coefficients& c)
{
    const int64_t n = m_neurons, first = m_bounds[t], last = m_bounds[t + 1];
    const float* w = m_model->connectivity.data_ptr<float>();
    dense::receiverSums(w, m_transferOut.data(), m_messages.data(), n, m_batch, first, last,
                        m_receiverLatents ? m_groups.groupOf() : nullptr);
    const float* target = m_data->derivative.data();
    const auto& stimulus = m_data->stimulus;
    const float neutral = m_data->neutralInput();
    const int64_t m = m_receivers;
    double* partial = m_partial.data() + t * (kFixedTerms + m_maxBatch);
    std::fill(partial, partial + kFixedTerms + m_maxBatch, 0.0);
    for (int64_t b = 0; b < m_batch; ++b) {
        for (int64_t i = first; i < last; ++i) {
            const int64_t k = b * n + i;
            float message = m_messages[k];
            if (m_additive || m_multiplicative) {
                const float e = i >= m                ? neutral
                                : m_learnedExternal ? m_learnedExternal[b * m + i]
                                                    : stimulus(frames[b], i);
                m_external[k] = e;
                message = m_multiplicative ? message * e : message + e;
            }
            const float r = m_updateOut[k] + message - target[frames[b] * n + i];
            m_residual[k] = r;
            partial[0] += static_cast<double>(r) * r;
            if (c.monotonicity > 0) {
                const float rise = std::max(0.0f, m_transferOut[unshiftedRow(b) * n + i] -
                                                      m_transferOut[shiftedRow(b) * n + i]);
                partial[kFixedTerms + b] += static_cast<double>(rise) * rise;
            }
        }
    }
    if (c.updateAtZero > 0)
        for (int64_t i = first; i < last; ++i)
            partial[1] += static_cast<double>(m_updateOut[m_batch * n + i]) * m_updateOut[m_batch * n + i];
    if (c.sparsity > 0)
        for (int64_t k = first * n; k < last * n; ++k)
            partial[2] += std::fabs(w[k]);
}

void CpuTrainingStep::sumTotals()
{
    Totals& s = m_totals; // reuses its storage: nothing is allocated per step
    s.prediction = s.updateAtZero = s.sparsity = 0.0;
    s.monotonicity.assign(static_cast<std::size_t>(m_batch), 0.0);
    for (int t = 0; t < m_threads; ++t) {
        const double* p = m_partial.data() + t * (kFixedTerms + m_maxBatch);
        s.prediction += p[0];
        s.updateAtZero += p[1];
        s.sparsity += p[2];
        for (int64_t b = 0; b < m_batch; ++b)
            s.monotonicity[b] += p[kFixedTerms + b];
    }
    s.prediction = std::sqrt(s.prediction);
    s.updateAtZero = std::sqrt(s.updateAtZero);
    for (auto& m : s.monotonicity)
        m = std::sqrt(m);
}

void CpuTrainingStep::outputGradients(int t, const Totals& s, const Coefficients& c)
{
    // d‖r‖/dr = r/‖r‖ (0 when r = 0, as torch's norm backward)
    const int64_t n = m_neurons, first = m_bounds[t], last = m_bounds[t + 1];
    const float scale = s.prediction > 0 ? static_cast<float>(1.0 / s.prediction) : 0.0f;
    for (int64_t b = 0; b < m_batch; ++b)
        for (int64_t i = first; i < last; ++i) {
            const int64_t k = b * n + i;
            const float d = m_residual[k] * scale;
            m_updateDOut[k] = d;
            m_messageGrad[k] = m_multiplicative ? d * m_external[k] : d;
            if (m_learnedExternal && i < m_receivers)
                m_externalGrad[b * m_receivers + i] = m_multiplicative ? d * m_messages[k] : d;
        }
    if (c.updateAtZero > 0) {
        const double factor = s.updateAtZero > 0 ? c.updateAtZero * static_cast<double>(m_batch) / s.updateAtZero : 0.0;
        for (int64_t i = first; i < last; ++i)
            m_updateDOut[m_batch * n + i] = static_cast<float>(factor * m_updateOut[m_batch * n + i]);
    }
}

void CpuTrainingStep::backwardNeurons(int t, const Totals& s, const Coefficients& c, float* gradW)
{
    const int64_t n = m_neurons, first = m_bounds[t], last = m_bounds[t + 1], d = m_latentDim;
    const float* w = m_model->connectivity.data_ptr<float>();
    const float l1 = c.sparsity > 0 ? static_cast<float>(c.sparsity) : 0.0f;
    if (m_receiverLatents)
        dense::groupedSenderGradients(w, m_messageGrad.data(), m_transferOut.data(), gradW, m_transferDOut.data(), n,
                                      m_batch, first, last, l1, m_groups.order(), m_groups.starts(), m_groups.count());
    else
        dense::senderGradients(w, m_messageGrad.data(), m_transferOut.data(), gradW, m_transferDOut.data(), n, m_batch,
                               first, last, l1);
    // The monotonicity term's gradient. Its inputs are detached: where its unshifted rows are also message rows and
    // ψ* takes latents (PDE_N4), they are carried back separately; PDE_N5 has rows of their own; PDE_N2's join the
    // message rows.
    const bool ownRows = m_transferFeatures || m_receiverLatents;
    float* unshifted = m_transferFeatures   ? m_monotonicityDOut.data()
                       : m_receiverLatents ? m_transferDOut.data() + unshiftedRow(0) * n
                                           : m_transferDOut.data();
    if (c.monotonicity > 0)
        for (int64_t b = 0; b < m_batch; ++b) {
            const double norm = s.monotonicity[b];
            for (int64_t j = first; j < last; ++j) {
                const float rise = m_transferOut[unshiftedRow(b) * n + j] - m_transferOut[shiftedRow(b) * n + j];
                const float dr = norm > 0 && rise > 0 ? static_cast<float>(c.monotonicity * rise / norm) : 0.0f;
                unshifted[b * n + j] = (ownRows ? 0.0f : unshifted[b * n + j]) + dr;
                m_transferDOut[shiftedRow(b) * n + j] = -dr;
            }
        }
    auto& updateGrads = m_updateGrads[t];
    auto& transferGrads = m_transferGrads[t];
    updateGrads.zero();
    transferGrads.zero();
    auto& updateScratch = m_scratch[2 * t];
    auto& transferScratch = m_scratch[2 * t + 1];
    const float* dOut = m_transferDOut.data();
    for (int64_t b = 0; b < m_batch; ++b) {
        const float* u = m_u.data() + b * n + first;
        m_update.backward(m_updateDOut.data() + b * n + first, u, b, first, last, updateGrads, updateScratch);
        for (int64_t k = 0; k < messageGroups(); ++k)
            m_transfer.backward(dOut + messageRow(k, b) * n + first, u, messageRow(k, b), first, last, transferGrads,
                                transferScratch, false, m_receiverLatents ? k : 0);
        if (c.monotonicity > 0) {
            m_transfer.backward(dOut + shiftedRow(b) * n + first, m_shifted.data() + b * n + first, shiftedRow(b),
                                first, last, transferGrads, transferScratch, true, selfVariant());
            if (ownRows)
                m_transfer.backward(unshifted + b * n + first, u, unshiftedRow(b), first, last, transferGrads,
                                    transferScratch, true, selfVariant());
        }
    }
    if (c.updateAtZero > 0)
        m_update.backward(m_updateDOut.data() + m_batch * n + first, m_zeros.data() + first, m_batch, first, last,
                          updateGrads, updateScratch);
    const float* latent = m_model->latent.data_ptr<float>();
    m_update.finishNeurons(latent, first, last, updateGrads, m_latentFromUpdate.data());
    if (!m_receiverLatents) {
        m_transfer.finishNeurons(latent, first, last, transferGrads, m_latentFromTransfer.data()); // bias (+ latents)
        return;
    }
    // PDE_N5: each variant's sender half goes to the sender's latent, its receiver half to the group's mean ā_k.
    float* receiverGrad = m_receiverGrad.data() + t * m_groups.maxGroups() * d;
    std::fill(receiverGrad, receiverGrad + m_groups.maxGroups() * d, 0.0f);
    std::fill(m_latentFromTransfer.begin() + first * d, m_latentFromTransfer.begin() + last * d, 0.0f);
    for (int64_t variant = 0; variant <= m_groups.count(); ++variant) {
        const bool self = variant == m_groups.count();
        const int64_t index = self ? selfVariant() : variant;
        if (self && c.monotonicity <= 0)
            break;
        const float* features = m_variantFeatures.data() + index * n * 2 * d;
        float* grad = m_variantGrad.data() + index * n * 2 * d;
        m_transfer.finishNeurons(features, first, last, transferGrads, grad, index);
        if (self)
            break; // detached rows: weights and biases only
        for (int64_t j = first; j < last; ++j)
            for (int64_t e = 0; e < d; ++e) {
                receiverGrad[variant * d + e] += grad[j * 2 * d + e];
                m_latentFromTransfer[j * d + e] += grad[j * 2 * d + d + e];
            }
    }
}

void CpuTrainingStep::storeGradients()
{
    for (int t = 1; t < m_threads; ++t) {
        m_updateGrads[0].add(m_updateGrads[t]);
        m_transferGrads[0].add(m_transferGrads[t]);
    }
    storeMlp(m_update, m_updateGrads[0], *m_model->updateFunction, m_gradientWeights, m_gradientBiases);
    storeMlp(m_transfer, m_transferGrads[0], *m_model->transferFunction, m_gradientWeights, m_gradientBiases);
    if (!m_model->latent.requires_grad())
        return;
    float* grad = gradientOf(m_model->latent);
    const bool transferLatents = m_transferFeatures || m_receiverLatents;
    for (int64_t k = 0; k < m_neurons * m_latentDim; ++k)
        grad[k] = m_latentFromUpdate[k] + (transferLatents ? m_latentFromTransfer[k] : 0.0f);
    if (!m_receiverLatents)
        return;
    // ā_k is the mean of its group's latents: each member receives ∂loss/∂ā_k / |group k|.
    const int64_t d = m_latentDim;
    for (int t = 1; t < m_threads; ++t)
        for (int64_t e = 0; e < m_groups.maxGroups() * d; ++e)
            m_receiverGrad[e] += m_receiverGrad[t * m_groups.maxGroups() * d + e];
    const int32_t* group = m_groups.groupOf();
    for (int64_t i = 0; i < m_neurons; ++i) {
        const auto share = 1.0f / static_cast<float>(m_groups.size(group[i]));
        for (int64_t e = 0; e < d; ++e)
            grad[i * d + e] += m_receiverGrad[group[i] * d + e] * share;
    }
}

std::array<double, 5> CpuTrainingStep::lossTerms(const Coefficients& c) const
{
    const Totals& s = m_totals;
    double monotonicity = 0.0;
    for (double m : s.monotonicity)
        monotonicity += m;
    std::array<double, 5> terms{0.0, s.prediction, 0.0, 0.0, 0.0};
    if (c.updateAtZero > 0)
        terms[2] = s.updateAtZero * c.updateAtZero * static_cast<double>(m_batch);
    if (c.monotonicity > 0)
        terms[3] = monotonicity * c.monotonicity;
    if (c.sparsity > 0)
        terms[4] = s.sparsity * c.sparsity;
    terms[0] = terms[1] + terms[2] + terms[3] + terms[4];
    return terms;
}

std::array<double, 5> CpuTrainingStep::run(const int64_t* frames, int64_t batch, const Coefficients& c,
                                           const float* learnedExternal)
{
    if (batch < 1 || batch > m_maxBatch)
        throw std::invalid_argument("CpuTrainingStep: batch of " + std::to_string(batch) + " frames, at most " +
                                    std::to_string(m_maxBatch));
    m_batch = batch;
    m_learnedExternal = learnedExternal;
    if (m_receiverLatents)
        m_groups.update(m_model->latent.data_ptr<float>(), m_neurons, m_latentDim);
    loadWeights();
    float* gradW = gradientOf(m_model->connectivity);
    const int ranges = m_threads;
#pragma omp parallel num_threads(ranges)
    {
        // Each neuron range is worked on by one thread per phase (OpenMP may give fewer threads than asked).
        const int first = omp_get_thread_num(), stride = omp_get_num_threads();
        for (int r = first; r < ranges; r += stride)
            forwardNeurons(r, frames, c);
#pragma omp barrier
        for (int r = first; r < ranges; r += stride)
            residualNeurons(r, frames, c);
#pragma omp barrier
#pragma omp single
        sumTotals();
        for (int r = first; r < ranges; r += stride)
            outputGradients(r, m_totals, c);
#pragma omp barrier
        for (int r = first; r < ranges; r += stride)
            backwardNeurons(r, m_totals, c, gradW);
    }
    storeGradients();
    return lossTerms(c);
}

} // namespace plexus
