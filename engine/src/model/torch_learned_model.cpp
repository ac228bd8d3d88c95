#include "torch_learned_model.h"

namespace plexus {

Eigen::MatrixXf toEigen(const torch::Tensor& tensor)
{
    auto host = tensor.detach().to(torch::kCPU, torch::kFloat).contiguous();
    const int64_t rows = host.dim() > 0 ? host.size(0) : 1, cols = host.dim() > 1 ? host.size(1) : 1;
    using RowMajor = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
    return Eigen::Map<const RowMajor>(host.data_ptr<float>(), rows, cols);
}

TorchLearnedModel::TorchLearnedModel(AssemblyModel model, torch::Device device, std::string signalModel)
    : m_model(std::move(model)), m_device(device), m_signalModel(std::move(signalModel))
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

} // namespace plexus
