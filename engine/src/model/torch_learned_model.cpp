#include "torch_learned_model.h"

#include "plexus/util/errors.h"

namespace plexus {

Eigen::MatrixXf toEigen(const torch::Tensor& tensor)
{
    auto host = tensor.detach().to(torch::kCPU, torch::kFloat).contiguous();
    const int64_t rows = host.dim() > 0 ? host.size(0) : 1, cols = host.dim() > 1 ? host.size(1) : 1;
    using RowMajor = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
    return Eigen::Map<const RowMajor>(host.data_ptr<float>(), rows, cols);
}

torch::Tensor toTensor(const Eigen::MatrixXf& matrix)
{
    // Eigen is column-major: its buffer read as [cols, rows] is the transpose.
    return torch::from_blob(const_cast<float*>(matrix.data()), {matrix.cols(), matrix.rows()}, torch::kFloat)
        .t()
        .contiguous();
}

TorchLearnedModel::TorchLearnedModel(AssemblyModel model, torch::Device device, const ExperimentConfig& config)
    : m_model(std::move(model)), m_device(device), m_signalModel(config.graphModel.signalModelName), m_config(config)
{
}

std::int64_t TorchLearnedModel::neurons() const
{
    return m_model->neurons();
}

Eigen::MatrixXf TorchLearnedModel::latents() const
{
    return toEigen(m_model->latent);
}

Eigen::MatrixXf TorchLearnedModel::connectivity() const
{
    torch::NoGradGuard noGrad;
    return toEigen(m_model->connectivityMatrix());
}

torch::Tensor TorchLearnedModel::curves(const torch::Tensor& samples, bool update,
                                        const std::vector<std::int64_t>& neurons) const
{
    torch::NoGradGuard noGrad;
    auto latent = m_model->latent;
    if (!neurons.empty())
        latent = latent.index_select(0, torch::tensor(std::vector<int64_t>(neurons.begin(), neurons.end()), torch::kLong)
                                            .to(latent.device()));
    const int64_t n = latent.size(0), r = samples.size(0);
    // Column n of u holds the samples; evaluating as a "batch" of R frames gives [R, n], transposed to [n, R].
    auto u = samples.to(m_device).unsqueeze(1).expand({r, n});
    auto values = update ? m_model->updateFunctionOf(u, latent) : m_model->transferOfSenders(u, latent);
    return values.t().contiguous();
}

Eigen::MatrixXf TorchLearnedModel::updateCurves(const Eigen::VectorXf& samples,
                                                const std::vector<std::int64_t>& neurons) const
{
    auto r = torch::from_blob(const_cast<float*>(samples.data()), {samples.size()}, torch::kFloat).clone();
    return toEigen(curves(r, true, neurons));
}

Eigen::MatrixXf TorchLearnedModel::transferCurves(const Eigen::VectorXf& samples,
                                                  const std::vector<std::int64_t>& neurons) const
{
    auto r = torch::from_blob(const_cast<float*>(samples.data()), {samples.size()}, torch::kFloat).clone();
    return toEigen(curves(r, false, neurons));
}

LearnedModel::ReceiverInputs TorchLearnedModel::receiverInputs() const
{
    if (m_model->transferInputs() != TransferInputs::ActivitySenderReceiver)
        return {};
    torch::NoGradGuard noGrad;
    const auto groups = m_model->receiverGroupLatents();
    ReceiverInputs inputs;
    inputs.latents = toEigen(groups.distinct);
    auto of = groups.of.to(torch::kCPU, torch::kInt).contiguous();
    inputs.of.assign(of.data_ptr<int32_t>(), of.data_ptr<int32_t>() + of.numel());
    return inputs;
}

Eigen::MatrixXf TorchLearnedModel::transferCurvesInto(const Eigen::VectorXf& samples,
                                                      const Eigen::VectorXf& receiver) const
{
    if (m_model->transferInputs() != TransferInputs::ActivitySenderReceiver)
        return transferCurves(samples);
    torch::NoGradGuard noGrad;
    const int64_t n = m_model->neurons(), r = samples.size();
    auto u = torch::from_blob(const_cast<float*>(samples.data()), {r, 1}, torch::kFloat).to(m_device).expand({r, n});
    auto a = torch::from_blob(const_cast<float*>(receiver.data()), {receiver.size()}, torch::kFloat).to(m_device);
    return toEigen(m_model->transferToReceiver(u, a, m_model->latent).t()); // [R, N] → [N, R]
}

Eigen::MatrixXf TorchLearnedModel::stimulusAmplitude(const std::vector<std::int64_t>& frames) const
{
    torch::NoGradGuard noGrad;
    auto k = torch::tensor(std::vector<int64_t>(frames.begin(), frames.end()), torch::kLong).to(m_device);
    return toEigen(m_model->fieldAmplitude(k).abs());
}

Eigen::VectorXf TorchLearnedModel::derivative(const Eigen::VectorXf& u, const Eigen::VectorXf& external) const
{
    torch::NoGradGuard noGrad;
    const int64_t n = u.size();
    auto ut = torch::from_blob(const_cast<float*>(u.data()), {1, n}, torch::kFloat).to(m_device);
    auto et = torch::from_blob(const_cast<float*>(external.data()), {1, n}, torch::kFloat).to(m_device);
    Eigen::MatrixXf out = toEigen(m_model->forward(ut, et));
    return out.row(0).transpose();
}

std::unique_ptr<LearnedModel> TorchLearnedModel::restructured(const Eigen::MatrixXf& latents,
                                                              const Eigen::MatrixXf& connectivity) const
{
    if (connectivity.rows() != latents.rows() || connectivity.cols() != latents.rows() ||
        latents.cols() != m_model->latent.size(1))
        throw InputError("restructured model: expected latents [N, " + std::to_string(m_model->latent.size(1)) +
                         "] and W [N, N], got [" + std::to_string(latents.rows()) + ", " + std::to_string(latents.cols()) +
                         "] and [" + std::to_string(connectivity.rows()) + ", " + std::to_string(connectivity.cols()) + "]");
    ExperimentConfig config = m_config;
    config.training.lowRankFactorization = false; // the new W is given whole
    const int64_t receivers = m_model->hasStimulusField() ? m_model->fieldCoordinates.size(0) : 0;
    AssemblyModel copy(config, latents.rows(), receivers, m_model->frames());
    torch::NoGradGuard noGrad;
    auto source = m_model->named_parameters(true);
    for (auto& item : copy->named_parameters(true))
        if (item.key() != "latent" && item.key().rfind("connectivity", 0) != 0)
            item.value().copy_(source[item.key()].to(torch::kCPU));
    auto sourceBuffers = m_model->named_buffers(true);
    for (auto& item : copy->named_buffers(true))
        if (item.key() != "latent")
            item.value().copy_(sourceBuffers[item.key()].to(torch::kCPU));
    copy->latent.copy_(toTensor(latents));
    copy->connectivity.copy_(toTensor(connectivity));
    copy->to(m_device);
    return std::make_unique<TorchLearnedModel>(copy, m_device, config);
}

} // namespace plexus
