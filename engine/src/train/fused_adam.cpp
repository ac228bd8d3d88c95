#include "fused_adam.h"

#include <omp.h>

#include <cmath>

namespace plexus {

namespace {

constexpr double kBeta1 = 0.9;
constexpr double kBeta2 = 0.999;
constexpr double kEpsilon = 1e-8;

} // namespace

FusedAdam::FusedAdam(std::vector<Group> groups, int threads) : m_groups(std::move(groups)), m_threads(threads)
{
    for (const auto& g : m_groups) {
        std::vector<Moments> moments;
        for (const auto& p : g.params)
            moments.push_back({torch::zeros_like(p), torch::zeros_like(p), 0});
        m_moments.push_back(std::move(moments));
    }
}

void FusedAdam::zeroGrad()
{
    for (auto& g : m_groups)
        for (auto& p : g.params)
            if (p.grad().defined())
                p.mutable_grad().zero_();
}

void FusedAdam::step()
{
    torch::NoGradGuard noGrad;
    for (std::size_t g = 0; g < m_groups.size(); ++g)
        for (std::size_t i = 0; i < m_groups[g].params.size(); ++i)
            if (m_groups[g].params[i].grad().defined())
                update(m_groups[g].params[i], m_moments[g][i], m_groups[g].lr);
}

void FusedAdam::resetMoments(const std::string& name)
{
    for (std::size_t g = 0; g < m_groups.size(); ++g)
        if (m_groups[g].name == name)
            for (auto& m : m_moments[g]) {
                m.first.zero_();
                m.second.zero_();
                m.steps = 0;
            }
}

void FusedAdam::update(torch::Tensor& param, Moments& m, double lr)
{
    const auto& grad = param.grad();
    ++m.steps;
    const double correction1 = 1.0 - std::pow(kBeta1, static_cast<double>(m.steps));
    const double correction2 = 1.0 - std::pow(kBeta2, static_cast<double>(m.steps));
    const double stepSize = lr / correction1;
    const double rootCorrection2 = std::sqrt(correction2);
    const bool fusable = param.is_cpu() && param.scalar_type() == torch::kFloat && param.is_contiguous() &&
                         grad.is_contiguous() && m.first.is_contiguous() && m.second.is_contiguous();
    if (!fusable) {
        m.first.mul_(kBeta1).add_(grad, 1.0 - kBeta1);
        m.second.mul_(kBeta2).addcmul_(grad, grad, 1.0 - kBeta2);
        auto denominator = (m.second.sqrt() / rootCorrection2).add_(kEpsilon);
        param.addcdiv_(m.first, denominator, -stepSize);
        return;
    }
    float* p = param.data_ptr<float>();
    const float* d = grad.data_ptr<float>();
    float* first = m.first.data_ptr<float>();
    float* second = m.second.data_ptr<float>();
    const int64_t count = param.numel();
    const auto b1 = static_cast<float>(kBeta1), b2 = static_cast<float>(kBeta2);
    const auto size = static_cast<float>(stepSize), root = static_cast<float>(rootCorrection2);
    const auto eps = static_cast<float>(kEpsilon);
    const int threads = m_threads > 0 ? m_threads : omp_get_max_threads();
#pragma omp parallel for schedule(static) if (count > (1 << 16)) num_threads(threads)
    for (int64_t i = 0; i < count; ++i) {
        const float gi = d[i];
        const float mi = b1 * first[i] + (1.0f - b1) * gi;
        const float vi = b2 * second[i] + (1.0f - b2) * gi * gi;
        first[i] = mi;
        second[i] = vi;
        p[i] -= size * mi / (std::sqrt(vi) / root + eps);
    }
}

void FusedAdam::save(torch::serialize::OutputArchive& archive) const
{
    for (std::size_t g = 0; g < m_groups.size(); ++g)
        for (std::size_t i = 0; i < m_moments[g].size(); ++i) {
            const std::string key = m_groups[g].name + "." + std::to_string(i);
            archive.write(key + ".first", m_moments[g][i].first);
            archive.write(key + ".second", m_moments[g][i].second);
            archive.write(key + ".steps", torch::tensor(m_moments[g][i].steps, torch::kLong));
        }
}

void FusedAdam::load(torch::serialize::InputArchive& archive)
{
    for (std::size_t g = 0; g < m_groups.size(); ++g)
        for (std::size_t i = 0; i < m_moments[g].size(); ++i) {
            const std::string key = m_groups[g].name + "." + std::to_string(i);
            torch::Tensor first, second, steps;
            archive.read(key + ".first", first);
            archive.read(key + ".second", second);
            archive.read(key + ".steps", steps);
            m_moments[g][i].first.copy_(first);
            m_moments[g][i].second.copy_(second);
            m_moments[g][i].steps = steps.item<int64_t>();
        }
}

} // namespace plexus
