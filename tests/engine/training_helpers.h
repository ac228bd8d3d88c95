#pragma once
// Helpers shared by the training tests (test_training.cpp, test_refit.cpp): the model variants at a tiny size and
// their simulated data.
#include "plexus/sim/simulator.h"
#include "test_helpers.h"

#include <memory>
#include <string>

namespace plexus::test {

/// A 12-neuron, 60-frame experiment of `model` (PDE_N2, PDE_N4 or PDE_N5) with the latent size its ψ* needs.
inline ExperimentConfig variant(const std::string& model)
{
    ExperimentConfig c = model == "PDE_N2" ? smallConfig(12, 60) : smallConfigN4(model, 12, 60);
    c.graphModel.inputSize = model == "PDE_N2" ? 1 : model == "PDE_N4" ? 3 : 5;
    return c;
}

/// `c` simulated, as the trainers take it.
inline std::shared_ptr<const Dataset> tinyData(ExperimentConfig& c)
{
    return std::make_shared<const Dataset>(simulate(c));
}

} // namespace plexus::test
