#include "plexus/model/model_checks.h"

#include "assembly_model.h"

namespace plexus {

ModelCheck checkModel(const ExperimentConfig& config, std::int64_t n, std::int64_t batch, std::uint64_t seed)
{
    torch::manual_seed(seed);
    AssemblyModel model(config, n);
    const bool receiverDependent = model->transferInputs() == TransferInputs::ActivitySenderReceiver;
    {
        torch::NoGradGuard noGrad; // distinct latents, so ψ*/φ* differ per neuron
        if (model->latent.requires_grad())
            model->latent.copy_(torch::randn_like(model->latent));
        // PDE_N5's receivers see their group's mean latent, groups found in the latents: with latents in 4 clumps
        // the groups are the clumps whatever the neurons' order, and the model equals the per-edge one.
        if (receiverDependent && model->latent.requires_grad())
            model->latent.copy_(torch::randn({4, model->latent.size(1)}).index_select(0, torch::arange(n) % 4));
    }
    auto u = torch::randn({batch, n}) * 3.0;
    auto external = torch::rand({batch, n}) + 0.5;
    ModelCheck check;
    auto fast = model->forward(u, external);
    check.outputShape = fast.sizes().vec();
    check.outputScale = fast.abs().max().item<double>();
    {
        torch::NoGradGuard noGrad;
        check.fastVersusPerEdge = (fast - model->forwardPerEdge(u, external)).abs().max().item<double>();
        if (receiverDependent) { // ψ* per distinct receiver latent, with every latent distinct, against per edge
            auto spread = torch::randn_like(model->latent);
            auto shared = model->forwardPerReceiverLatent(u, external, spread);
            check.fastVersusPerEdge = std::max(
                check.fastVersusPerEdge, (shared - model->forwardPerEdge(u, external, spread)).abs().max().item<double>());
        }
        // Permutation equivariance: relabel neurons by p in inputs, W (rows and columns) and latents.
        auto p = torch::randperm(n, torch::kLong);
        auto w = model->connectivityMatrix().clone();
        auto latent = model->latent.clone();
        AssemblyModel permuted(config, n);
        permuted->updateFunction = model->updateFunction;
        permuted->transferFunction = model->transferFunction;
        if (permuted->connectivity.defined()) {
            permuted->connectivity.copy_(w.index_select(0, p).index_select(1, p));
            permuted->latent.copy_(latent.index_select(0, p));
            auto out = permuted->forward(u.index_select(1, p), external.index_select(1, p));
            check.permutationError = (out - fast.detach().index_select(1, p)).abs().max().item<double>();
        }
    }
    auto loss = fast.norm();
    loss.backward();
    model->maskDiagonalGradient();
    for (const auto& item : model->named_parameters()) {
        check.parameterNames.push_back(item.key());
        const auto& grad = item.value().grad();
        const double norm = grad.defined() ? grad.norm().item<double>() : 0.0;
        check.gradientNorms.push_back(norm);
        check.gradientsFinite = check.gradientsFinite && std::isfinite(norm);
    }
    return check;
}

} // namespace plexus
