#include "function_refit.h"

#include "connectivity_refit.h"

#include <algorithm>
#include <cmath>

namespace plexus {

namespace {

/// Frames per chunk of the design matrix (32 000 rows at N = 1000, 33 MB).
constexpr int64_t kChunkFrames = 32;
/// Relative ridge on the change of the output layers, in units of each column's own scale: keeps directions the
/// data leave undetermined (a dead hidden unit, collinear ones) where they are.
constexpr double kRidge = 1e-6;

} // namespace

std::string FunctionRefit::unsupportedReason(const AssemblyModelImpl& model)
{
    if (model.transferInputs() == TransferInputs::ActivitySenderReceiver)
        return "ψ* depends on the receiver";
    if (model.hasStimulusField())
        return "the stimulus field is learned";
    return ConnectivityRefit::unsupportedReason(model); // the W refit it alternates with
}

FunctionRefit::FunctionRefit(AssemblyModel model, std::shared_ptr<const Dataset> data, int64_t frames)
    : m_model(std::move(model)), m_data(std::move(data)), m_frames(std::max<int64_t>(1, frames))
{
}

torch::Tensor FunctionRefit::currentOutput() const
{
    const auto& transfer = m_model->transferFunction->layers().back();
    const auto& update = m_model->updateFunction->layers().back();
    return torch::cat({transfer->weight.reshape({-1}), transfer->bias.reshape({-1}), update->weight.reshape({-1}),
                       update->bias.reshape({-1})})
        .detach().to(torch::kCPU, torch::kDouble);
}

void FunctionRefit::setOutput(const torch::Tensor& theta)
{
    auto& transfer = m_model->transferFunction->layers().back();
    auto& update = m_model->updateFunction->layers().back();
    const int64_t k = transfer->weight.numel(), m = update->weight.numel();
    auto values = theta.to(torch::kFloat).to(transfer->weight.device());
    transfer->weight.copy_(values.narrow(0, 0, k).view_as(transfer->weight));
    transfer->bias.copy_(values.narrow(0, k, 1).view_as(transfer->bias));
    update->weight.copy_(values.narrow(0, k + 1, m).view_as(update->weight));
    update->bias.copy_(values.narrow(0, k + 1 + m, 1).view_as(update->bias));
}

void FunctionRefit::features(const torch::Tensor& frames, torch::Tensor& design, torch::Tensor& target)
{
    const int64_t n = m_data->neurons(), t = frames.size(0), receivers = m_data->stimulusReceivers();
    const auto device = m_model->connectivity.device();
    auto u = torch::empty({t, n}, torch::kFloat), y = torch::empty({t, n}, torch::kFloat);
    const auto* index = frames.data_ptr<int64_t>();
    for (int64_t row = 0; row < t; ++row) {
        std::copy_n(m_data->activity.row(index[row]).data(), n, u.data_ptr<float>() + row * n);
        float* target = y.data_ptr<float>() + row * n;
        std::copy_n(m_data->derivative.row(index[row]).data(), n, target);
        if (m_model->inputMode() == "additive")
            for (int64_t i = 0; i < receivers; ++i)
                target[i] -= m_data->stimulus(index[row], i);
    }
    u = u.to(device);
    const auto latent = m_model->latent.detach();
    const auto w = m_model->connectivityMatrix().detach();
    auto hidden = m_model->transferHiddenOfSenders(u, latent);            // [T, N, K]
    auto messages = torch::matmul(w, hidden);                             // Σ_j W_ij h(u_j): [T, N, K]
    auto rowSums = w.sum(1).view({1, n, 1}).expand({t, n, 1});            // ψ*'s bias reaches i through Σ_j W_ij
    auto own = m_model->updateHiddenOf(u, latent);                        // [T, N, K']
    auto ones = torch::ones({t, n, 1}, u.options());
    design = torch::cat({messages, rowSums, own, ones}, 2).reshape({t * n, -1}).to(torch::kCPU, torch::kDouble);
    target = y.reshape({t * n}).to(torch::kDouble);
}

void FunctionRefit::apply()
{
    torch::NoGradGuard noGrad;
    const int64_t count = std::min(m_frames, kMostFrames);
    const auto frames = (torch::arange(count, torch::kDouble) * (static_cast<double>(m_frames) / count))
                            .floor().to(torch::kLong);
    const auto theta = currentOutput();
    const int64_t p = theta.size(0);
    auto gram = torch::zeros({p, p}, torch::kDouble), cross = torch::zeros({p}, torch::kDouble);
    double targetSquared = 0.0;
    torch::Tensor design, target;
    for (int64_t first = 0; first < count; first += kChunkFrames) {
        features(frames.narrow(0, first, std::min(kChunkFrames, count - first)), design, target);
        gram += torch::mm(design.t(), design);
        cross += torch::mv(design.t(), target);
        targetSquared += target.dot(target).item<double>();
    }
    const double rows = static_cast<double>(count * m_data->neurons());
    auto error = [&](const torch::Tensor& v) {
        return (v.dot(torch::mv(gram, v)) - 2.0 * v.dot(cross)).item<double>() / rows + targetSquared / rows;
    };
    // (G + λD²) δ = Xᵀy − Gθ with D² = diag G: the change that minimises the error, ridged per column's own scale.
    auto scale = gram.diagonal().clamp_min(1e-300).sqrt();
    auto scaled = gram / scale.unsqueeze(0) / scale.unsqueeze(1);
    scaled.diagonal().add_(kRidge);
    auto change = torch::linalg_solve(scaled, ((cross - torch::mv(gram, theta)) / scale).unsqueeze(1)).squeeze(1) / scale;
    auto solved = theta + change;
    m_errorBefore = error(theta);
    m_errorAfter = error(solved);
    if (!std::isfinite(m_errorAfter) || m_errorAfter > m_errorBefore) {
        m_errorAfter = m_errorBefore; // numerically lost: leave the functions as they are
        return;
    }
    setOutput(solved);
}

} // namespace plexus
