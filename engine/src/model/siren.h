#pragma once

// Private to the engine: includes LibTorch.
#include <torch/torch.h>

namespace plexus {

/// A SIREN coordinate network (docs/method.md §B.5): SineLayer(in → H, ω0) + `hidden` × SineLayer(H → H, ω0) + Linear(H → out),
/// each SineLayer computing sin(ω0·(Wx + b)). Init: first weights U(±1/in), later weights U(±√(6/H)/ω0), biases
/// PyTorch's default.
class SirenImpl : public torch::nn::Module
{
public:
    SirenImpl(int64_t inputs, int64_t width, int64_t hidden, int64_t outputs, double omega, bool outermostLinear);
    torch::Tensor forward(torch::Tensor x);

private:
    std::vector<torch::nn::Linear> m_layers;
    double m_omega;
    bool m_outermostLinear;
};
TORCH_MODULE(Siren);

} // namespace plexus
