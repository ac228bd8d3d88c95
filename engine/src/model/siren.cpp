#include "siren.h"

#include <cmath>

namespace plexus {

SirenImpl::SirenImpl(int64_t inputs, int64_t width, int64_t hidden, int64_t outputs, double omega, bool outermostLinear)
    : m_omega(omega), m_outermostLinear(outermostLinear)
{
    const int64_t count = hidden + 2;
    for (int64_t l = 0; l < count; ++l) {
        const int64_t in = l == 0 ? inputs : width, out = l == count - 1 ? outputs : width;
        auto linear = register_module("layer" + std::to_string(l), torch::nn::Linear(in, out));
        torch::NoGradGuard noGrad;
        const double bound = l == 0 ? 1.0 / static_cast<double>(inputs) : std::sqrt(6.0 / static_cast<double>(width)) / omega;
        linear->weight.uniform_(-bound, bound);
        m_layers.push_back(linear);
    }
}

torch::Tensor SirenImpl::forward(torch::Tensor x)
{
    for (std::size_t l = 0; l < m_layers.size(); ++l) {
        x = m_layers[l]->forward(x);
        const bool last = l + 1 == m_layers.size();
        if (!last || !m_outermostLinear)
            x = torch::sin(m_omega * x);
    }
    return x;
}

} // namespace plexus
