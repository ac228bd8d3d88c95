#pragma once

// Private to the engine: includes LibTorch.
#include <torch/torch.h>

#include <string>

namespace plexus {

/// Linear(in, H) → act → [Linear(H, H) → act] × (layers − 2) → Linear(H, out), as the authors' MLP (docs/method.md §B.2):
/// the first layer keeps PyTorch's default init, every later layer gets weights N(0, 0.1²) and zero bias.
class MlpImpl : public torch::nn::Module
{
public:
    MlpImpl(int64_t inputs, int64_t hidden, int64_t layers, int64_t outputs, const std::string& activation);
    /// [rows, inputs] → [rows, outputs]
    torch::Tensor forward(torch::Tensor x);
    /// The last hidden layer's activations [rows, H]: forward(x) = layers().back()(hidden(x)).
    torch::Tensor hidden(torch::Tensor x);
    int64_t inputs() const { return m_inputs; }
    const std::vector<torch::nn::Linear>& layers() const { return m_layers; }
    const std::string& activation() const { return m_activation; }

private:
    torch::Tensor activate(const torch::Tensor& x) const;

    std::vector<torch::nn::Linear> m_layers;
    std::string m_activation;
    int64_t m_inputs;
};
TORCH_MODULE(Mlp);

} // namespace plexus
