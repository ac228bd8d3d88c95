#pragma once

#include "plexus/config/experiment_config.h"

#include <cstdint>
#include <string>
#include <vector>

namespace plexus {

/// Self-checks of the GNN on random inputs, without LibTorch types (used by the tests and by `plexus-cli selftest`).
struct ModelCheck
{
    double fastVersusPerEdge = 0.0;  ///< max |forward − forwardPerEdge| (PDE_N5: also ψ* per distinct receiver latent)
    double outputScale = 0.0;        ///< max |forward|, to judge the difference against
    double permutationError = 0.0;   ///< max |f(P·x) − P·f(x)| when neurons, W and latents are permuted
    std::vector<std::int64_t> outputShape;
    std::vector<std::string> parameterNames;
    std::vector<double> gradientNorms; ///< per parameter after one backward pass of the prediction loss
    bool gradientsFinite = true;
};

/// Builds the model of `config` for `neurons` neurons (seeded), randomises latents, and runs the checks on a batch.
ModelCheck checkModel(const ExperimentConfig& config, std::int64_t neurons, std::int64_t batch, std::uint64_t seed);

} // namespace plexus
