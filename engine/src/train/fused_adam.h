#pragma once

// Private to the engine: includes LibTorch.
#include <torch/torch.h>

#include <string>
#include <vector>

namespace plexus {

/// Adam (β = (0.9, 0.999), ε = 1e−8, no weight decay: torch's defaults and the authors' choice) with one learning
/// rate per parameter group. On CPU each tensor is updated in one fused pass (moments, bias correction, step)
/// instead of torch's six element-wise passes; on other devices it uses the same tensor operations as torch::optim::Adam.
class FusedAdam
{
public:
    struct Group
    {
        std::string name;
        std::vector<torch::Tensor> params;
        double lr;
    };

    /// `threads` share each large CPU tensor's update (0: OpenMP's default).
    explicit FusedAdam(std::vector<Group> groups, int threads = 0);

    void zeroGrad();
    void step();
    /// Fresh moments for the group named `name` (after its parameters were set by other means).
    void resetMoments(const std::string& name);
    const std::vector<Group>& groups() const { return m_groups; }

    void save(torch::serialize::OutputArchive& archive) const;
    /// Restores moments and step counts saved by save() for the same groups and shapes.
    void load(torch::serialize::InputArchive& archive);

private:
    struct Moments
    {
        torch::Tensor first, second;
        int64_t steps = 0;
    };
    void update(torch::Tensor& param, Moments& moments, double lr);

    std::vector<Group> m_groups;
    int m_threads = 0;
    std::vector<std::vector<Moments>> m_moments;
};

} // namespace plexus
