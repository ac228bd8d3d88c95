#include "mlp.h"

namespace plexus {

MlpImpl::MlpImpl(int64_t inputs, int64_t hidden, int64_t layers, int64_t outputs, const std::string& activation)
    : m_activation(activation), m_inputs(inputs)
{
    const int64_t count = std::max<int64_t>(layers, 1);
    for (int64_t l = 0; l < count; ++l) {
        const int64_t in = l == 0 ? inputs : hidden;
        const int64_t out = l == count - 1 ? outputs : hidden;
        auto linear = register_module("layer" + std::to_string(l), torch::nn::Linear(in, out));
        if (l > 0) {
            torch::NoGradGuard noGrad;
            linear->weight.normal_(0.0, 0.1);
            linear->bias.zero_();
        }
        m_layers.push_back(linear);
    }
}

torch::Tensor MlpImpl::activate(const torch::Tensor& x) const
{
    if (m_activation == "tanh")
        return torch::tanh(x);
    if (m_activation == "leaky_relu")
        return torch::leaky_relu(x);
    if (m_activation == "sigmoid")
        return torch::sigmoid(x);
    return torch::relu(x);
}

torch::Tensor MlpImpl::forward(torch::Tensor x)
{
    return m_layers.back()->forward(hidden(std::move(x)));
}

torch::Tensor MlpImpl::hidden(torch::Tensor x)
{
    for (std::size_t l = 0; l + 1 < m_layers.size(); ++l)
        x = activate(m_layers[l]->forward(x));
    return x;
}

} // namespace plexus
