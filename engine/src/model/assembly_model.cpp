#include "assembly_model.h"

#include "receiver_groups.h"

#include "plexus/util/errors.h"

#include <cmath>
#include <map>
#include <vector>

namespace plexus {

namespace {

TransferInputs transferInputsOf(const std::string& model)
{
    if (model == "PDE_N2")
        return TransferInputs::Activity;
    if (model == "PDE_N4")
        return TransferInputs::ActivityAndSender;
    return TransferInputs::ActivitySenderReceiver;
}

int64_t expectedTransferInputs(TransferInputs inputs, int64_t embedding)
{
    switch (inputs) {
    case TransferInputs::Activity: return 1;
    case TransferInputs::ActivityAndSender: return 1 + embedding;
    case TransferInputs::ActivitySenderReceiver: return 1 + 2 * embedding;
    }
    return 1;
}

/// The distinct rows of a latent matrix [N, d]: the first neuron holding each, and which one every neuron holds.
struct DistinctRows
{
    std::vector<int64_t> first;
    std::vector<int64_t> of;
};

DistinctRows distinctRows(const torch::Tensor& latents)
{
    auto host = latents.detach().to(torch::kCPU, torch::kFloat).contiguous();
    const int64_t n = host.size(0), d = host.size(1);
    const float* rows = host.data_ptr<float>();
    DistinctRows result;
    result.of.resize(n);
    std::map<std::vector<float>, int64_t> index;
    for (int64_t i = 0; i < n; ++i) {
        std::vector<float> row(rows + i * d, rows + (i + 1) * d);
        auto [it, added] = index.emplace(std::move(row), static_cast<int64_t>(result.first.size()));
        if (added)
            result.first.push_back(i);
        result.of[i] = it->second;
    }
    return result;
}

} // namespace

AssemblyModelImpl::AssemblyModelImpl(const ExperimentConfig& config, int64_t neurons, int64_t receivers, int64_t frames)
    : m_transferInputs(transferInputsOf(config.graphModel.signalModelName)),
      m_inputMode(config.simulation.externalInputMode), m_neurons(neurons),
      m_lowRank(config.training.lowRankFactorization), m_frames(std::max<int64_t>(1, frames)),
      m_receiverGroups(std::max<int64_t>(1, config.training.receiverGroups))
{
    const auto& g = config.graphModel;
    const int64_t d = g.embeddingDim;
    if (g.inputSize != expectedTransferInputs(m_transferInputs, d))
        throw InputError(config.source + ": graph_model.input_size: " + g.signalModelName + " with embedding_dim " +
                         std::to_string(d) + " needs " + std::to_string(expectedTransferInputs(m_transferInputs, d)) +
                         " transfer-function inputs, got " + std::to_string(g.inputSize));
    if (g.inputSizeUpdate != 1 + d)
        throw InputError(config.source + ": graph_model.input_size_update: expected 1 + embedding_dim = " +
                         std::to_string(1 + d) + ", got " + std::to_string(g.inputSizeUpdate));
    updateFunction = register_module(
        "updateFunction", Mlp(g.inputSizeUpdate, g.hiddenDimUpdate, g.nLayersUpdate, 1, g.mlpActivation));
    transferFunction =
        register_module("transferFunction", Mlp(g.inputSize, g.hiddenDim, g.nLayers, g.outputSize, g.mlpActivation));
    if (config.training.trainingSingleType)
        latent = register_buffer("latent", torch::ones({neurons, d}));
    else
        latent = register_parameter("latent", torch::ones({neurons, d}));
    if (config.training.learnExternalInput && receivers > 0 && m_inputMode != "none") {
        const auto& f = g;
        stimulusField = register_module("stimulusField", Siren(f.inputSizeNnrF, f.hiddenDimNnrF, f.nLayersNnrF,
                                                                f.outputSizeNnrF, f.omegaF, f.outermostLinearNnrF));
        const auto side = static_cast<int64_t>(std::llround(std::sqrt(static_cast<double>(receivers))));
        auto axis = torch::linspace(0.0, 1.0, side);
        auto grid = torch::meshgrid({axis, axis}, "ij");
        fieldCoordinates = register_buffer(
            "fieldCoordinates", torch::stack({grid[0].reshape({-1}), grid[1].reshape({-1})}, 1).narrow(0, 0, receivers));
    }
    if (m_lowRank) {
        const int64_t r = config.training.lowRank;
        const double scale = std::sqrt(config.training.wInitStd); // scales L·R by W_init_std
        connectivityLeft = register_parameter("connectivityLeft", torch::randn({neurons, r}) * scale);
        connectivityRight = register_parameter("connectivityRight", torch::randn({r, neurons}) * scale);
        torch::NoGradGuard noGrad;
        connectivityLeft.narrow(0, 0, std::min(r, neurons)).narrow(1, 0, r).fill_diagonal_(0.0);
    } else {
        connectivity = register_parameter("connectivity", torch::randn({neurons, neurons}) * config.training.wInitStd);
        torch::NoGradGuard noGrad;
        connectivity.fill_diagonal_(0.0);
    }
}

torch::Tensor AssemblyModelImpl::fieldAmplitude(const torch::Tensor& frames)
{
    const int64_t b = frames.size(0), m = fieldCoordinates.size(0);
    auto t = (frames.to(fieldCoordinates.dtype()) / static_cast<double>(m_frames)).view({b, 1, 1}).expand({b, m, 1});
    auto xy = fieldCoordinates.unsqueeze(0).expand({b, m, 2});
    return stimulusField->forward(torch::cat({xy, t}, 2).reshape({b * m, 3})).reshape({b, m});
}

torch::Tensor AssemblyModelImpl::learnedExternal(const torch::Tensor& frames, double neutral)
{
    const int64_t b = frames.size(0), m = fieldCoordinates.size(0);
    auto omega = fieldAmplitude(frames).square();
    if (m == m_neurons)
        return omega;
    auto rest = torch::full({b, m_neurons - m}, neutral, omega.options());
    return torch::cat({omega, rest}, 1);
}

torch::Tensor AssemblyModelImpl::connectivityMatrix() const
{
    if (!m_lowRank)
        return connectivity;
    auto w = torch::matmul(connectivityLeft, connectivityRight);
    return w * (1.0 - torch::eye(m_neurons, w.options()));
}

void AssemblyModelImpl::maskDiagonalGradient()
{
    if (!m_lowRank && connectivity.grad().defined())
        connectivity.grad().diagonal().zero_();
}

std::vector<torch::Tensor> AssemblyModelImpl::latentParameters() const
{
    return latent.requires_grad() ? std::vector<torch::Tensor>{latent} : std::vector<torch::Tensor>{};
}

std::vector<torch::Tensor> AssemblyModelImpl::connectivityParameters() const
{
    return m_lowRank ? std::vector<torch::Tensor>{connectivityLeft, connectivityRight}
                     : std::vector<torch::Tensor>{connectivity};
}

torch::Tensor AssemblyModelImpl::updateInputOf(const torch::Tensor& u, const torch::Tensor& a) const
{
    const int64_t b = u.size(0), n = u.size(1);
    return torch::cat({u.reshape({b * n, 1}), a.unsqueeze(0).expand({b, n, a.size(1)}).reshape({b * n, -1})}, 1);
}

torch::Tensor AssemblyModelImpl::updateFunctionOf(const torch::Tensor& u, const torch::Tensor& a)
{
    return updateFunction->forward(updateInputOf(u, a)).reshape({u.size(0), u.size(1)});
}

torch::Tensor AssemblyModelImpl::updateHiddenOf(const torch::Tensor& u, const torch::Tensor& a)
{
    return updateFunction->hidden(updateInputOf(u, a)).reshape({u.size(0), u.size(1), -1});
}

torch::Tensor AssemblyModelImpl::transferInput(const torch::Tensor& u, const torch::Tensor& receiver,
                                               const torch::Tensor& sender) const
{
    // u [..., 1]; latents [..., d] broadcast to u's leading shape.
    switch (m_transferInputs) {
    case TransferInputs::Activity: return u;
    case TransferInputs::ActivityAndSender: return torch::cat({u, sender}, -1);
    case TransferInputs::ActivitySenderReceiver: return torch::cat({u, receiver, sender}, -1);
    }
    return u;
}

torch::Tensor AssemblyModelImpl::senderTransferInputOf(const torch::Tensor& u, const torch::Tensor& a) const
{
    const int64_t b = u.size(0), n = u.size(1);
    auto latents = a.unsqueeze(0).expand({b, n, a.size(1)});
    return transferInput(u.unsqueeze(-1), latents, latents).reshape({b * n, -1});
}

torch::Tensor AssemblyModelImpl::transferOfSenders(const torch::Tensor& u, const torch::Tensor& a)
{
    return transferFunction->forward(senderTransferInputOf(u, a)).reshape({u.size(0), u.size(1)});
}

torch::Tensor AssemblyModelImpl::transferHiddenOfSenders(const torch::Tensor& u, const torch::Tensor& a)
{
    return transferFunction->hidden(senderTransferInputOf(u, a)).reshape({u.size(0), u.size(1), -1});
}

torch::Tensor AssemblyModelImpl::transferToReceiver(const torch::Tensor& u, const torch::Tensor& receiver,
                                                    const torch::Tensor& a)
{
    const int64_t b = u.size(0), n = u.size(1), d = a.size(1);
    auto input = transferInput(u.unsqueeze(-1), receiver.view({1, 1, d}).expand({b, n, d}),
                               a.unsqueeze(0).expand({b, n, d}));
    return transferFunction->forward(input.reshape({b * n, -1})).reshape({b, n});
}

torch::Tensor AssemblyModelImpl::combine(const torch::Tensor& update, const torch::Tensor& message,
                                         const torch::Tensor& external) const
{
    if (m_inputMode == "additive")
        return update + message + external;
    if (m_inputMode == "multiplicative")
        return update + message * external;
    return update + message;
}

torch::Tensor AssemblyModelImpl::forward(const torch::Tensor& u, const torch::Tensor& external)
{
    if (m_transferInputs == TransferInputs::ActivitySenderReceiver)
    {
        const ReceiverLatents groups = receiverGroupLatents();
        return forwardByReceiverLatent(u, external, groups.distinct, groups.of);
    }
    auto update = updateFunctionOf(u, latent);
    auto psi = transferOfSenders(u, latent);                     // [B, N], once per neuron
    auto message = torch::matmul(psi, connectivityMatrix().t()); // Σ_j W_ij ψ_j
    return combine(update, message, external);
}

AssemblyModelImpl::ReceiverLatents AssemblyModelImpl::receiverGroupLatents() const
{
    const int64_t n = latent.size(0), d = latent.size(1);
    auto host = latent.detach().to(torch::kCPU).contiguous();
    ReceiverGroups groups(m_receiverGroups);
    groups.update(host.data_ptr<float>(), n, d);
    auto index = torch::from_blob(const_cast<int32_t*>(groups.groupOf()), {n}, torch::kInt).to(torch::kLong)
                     .to(latent.device());
    auto counts = torch::zeros({groups.count()}, latent.options()).index_add(0, index, torch::ones({n}, latent.options()));
    auto means = torch::zeros({groups.count(), d}, latent.options()).index_add(0, index, latent) / counts.unsqueeze(1);
    return {means, index};
}

torch::Tensor AssemblyModelImpl::forwardPerReceiverLatent(const torch::Tensor& u, const torch::Tensor& external,
                                                          const torch::Tensor& receiverLatent)
{
    const DistinctRows distinct = distinctRows(receiverLatent);
    auto first = torch::tensor(distinct.first, torch::kLong).to(u.device());
    auto of = torch::tensor(distinct.of, torch::kLong).to(u.device());
    return forwardByReceiverLatent(u, external, receiverLatent.index_select(0, first), of);
}

torch::Tensor AssemblyModelImpl::forwardByReceiverLatent(const torch::Tensor& u, const torch::Tensor& external,
                                                         const torch::Tensor& receivers, const torch::Tensor& of)
{
    const int64_t b = u.size(0), n = u.size(1), d = latent.size(1), k = receivers.size(0);
    // ψ*(u_j, ā_k, a_j) for every receiver latent ā_k and sender j: B·K·N evaluations, not B·N².
    auto uj = u.unsqueeze(1).expand({b, k, n}).unsqueeze(-1); // [B, K, j, 1]
    auto receiver = receivers.unsqueeze(1).expand({k, n, d}).unsqueeze(0).expand({b, k, n, d});
    auto sender = latent.unsqueeze(0).expand({k, n, d}).unsqueeze(0).expand({b, k, n, d});
    auto psi = transferFunction->forward(transferInput(uj, receiver, sender).reshape({b * k * n, -1})).reshape({b, k, n});
    auto w = connectivityMatrix() * (1.0 - torch::eye(n, u.options()));
    torch::Tensor message;
    if (k <= kMatrixProductReceivers) {
        // Every receiver's message as if it had each latent ā_k ([B, K, N] by K matrix products), then its own.
        auto all = torch::matmul(psi, w.t());
        message = all.gather(1, of.view({1, 1, n}).expand({b, 1, n})).squeeze(1);
    } else {
        // Many distinct latents: each receiver reads its own row of ψ* ([B, N, N], the per-edge layout).
        message = (psi.index_select(1, of) * w.unsqueeze(0)).sum(-1);
    }
    return combine(updateFunctionOf(u, latent), message, external);
}

torch::Tensor AssemblyModelImpl::forwardPerEdge(const torch::Tensor& u, const torch::Tensor& external,
                                                const torch::Tensor& receiverLatent)
{
    const int64_t b = u.size(0), n = u.size(1), d = latent.size(1);
    auto update = updateFunctionOf(u, latent);
    // Edge (i, j) sees [u_j, a_i, a_j] (or its subset); ψ* evaluated B·N·N times.
    auto uj = u.unsqueeze(1).expand({b, n, n}).unsqueeze(-1);           // [B, i, j, 1]
    const torch::Tensor& seen = receiverLatent.defined() ? receiverLatent : latent;
    auto receiver = seen.unsqueeze(1).expand({n, n, d}).unsqueeze(0).expand({b, n, n, d});
    auto sender = latent.unsqueeze(0).expand({n, n, d}).unsqueeze(0).expand({b, n, n, d});
    auto input = transferInput(uj, receiver, sender);
    auto psi = transferFunction->forward(input.reshape({b * n * n, -1})).reshape({b, n, n});
    auto mask = 1.0 - torch::eye(n, u.options());
    auto message = (psi * (connectivityMatrix() * mask).unsqueeze(0)).sum(-1);
    return combine(update, message, external);
}

} // namespace plexus
