#include "config_validation.h"

#include <cmath>

namespace plexus {

namespace {

std::size_t parameterColumns(const std::string& model)
{
    return model == "PDE_N2" ? 3 : 6;
}

const char* parameterNames(const std::string& model)
{
    return model == "PDE_N2" ? "[g, s, c]" : "[a, b, g, s, w, h]";
}

bool isSquare(std::int64_t n)
{
    auto side = static_cast<std::int64_t>(std::llround(std::sqrt(static_cast<double>(n))));
    return side * side == n;
}

void checkParams(const ExperimentConfig& config, std::vector<std::pair<std::string, std::string>>& problems)
{
    const auto& sim = config.simulation;
    const std::string& model = config.graphModel.signalModelName;
    if (sim.params.empty()) {
        problems.emplace_back("simulation.params", std::string("missing: one row ") + parameterNames(model) +
                                                       " per neuron type");
        return;
    }
    if (static_cast<std::int64_t>(sim.params.size()) != sim.nNeuronTypes)
        problems.emplace_back("simulation.params", "expected one row per neuron type (n_neuron_types = " +
                                                       std::to_string(sim.nNeuronTypes) + "), got " +
                                                       std::to_string(sim.params.size()) + " rows");
    for (std::size_t k = 0; k < sim.params.size(); ++k) {
        const auto& row = sim.params[k];
        if (row.size() != parameterColumns(model)) {
            problems.emplace_back("simulation.params", "row " + std::to_string(k) + ": " + model + " expects " +
                                                           std::to_string(parameterColumns(model)) + " values " +
                                                           parameterNames(model) + ", got " +
                                                           std::to_string(row.size()));
            continue;
        }
        for (double v : row)
            if (!std::isfinite(v))
                problems.emplace_back("simulation.params", "row " + std::to_string(k) + " holds a non-finite value");
        if (model != "PDE_N2" && row[4] <= 0)
            problems.emplace_back("simulation.params",
                                  "row " + std::to_string(k) + ": the width w (5th value) must be > 0");
    }
}

void checkInputs(const ExperimentConfig& config, std::vector<std::pair<std::string, std::string>>& problems)
{
    const auto& sim = config.simulation;
    const std::string& type = sim.externalInputType;
    if (type == "none")
        return;
    if (sim.externalInputMode == "none")
        problems.emplace_back("simulation.external_input_mode",
                              "additive or multiplicative when external_input_type is " + type);
    if (type == "visual") {
        if (sim.nInputNeurons <= 0 || !isSquare(sim.nInputNeurons))
            problems.emplace_back("simulation.n_input_neurons",
                                  "a square number > 0 (the movie grid, e.g. 1024 = 32×32) for visual input");
        if (sim.nInputNeurons > sim.nNeurons)
            problems.emplace_back("simulation.n_input_neurons", "at most n_neurons (" +
                                                                    std::to_string(sim.nNeurons) + ")");
    }
    if (type == "modulation" && !isSquare(sim.nNeurons))
        problems.emplace_back("simulation.n_neurons", "a square number for modulation input (movie on all neurons)");
    if ((type == "visual" || type == "modulation") && sim.nodeValueMap.empty())
        problems.emplace_back("simulation.node_value_map",
                              "a movie (TIFF stack, PNG folder, builtin:blobs or builtin:gratings) for " + type +
                                  " input");
}

} // namespace

std::vector<std::pair<std::string, std::string>> crossFieldProblems(const ExperimentConfig& config)
{
    std::vector<std::pair<std::string, std::string>> problems;
    const auto& sim = config.simulation;
    checkParams(config, problems);
    checkInputs(config, problems);
    if (sim.nNeuronTypes > sim.nNeurons)
        problems.emplace_back("simulation.n_neuron_types", "at most n_neurons (" + std::to_string(sim.nNeurons) + ")");
    if (sim.connectivityType == "low_rank" && sim.connectivityRank > sim.nNeurons)
        problems.emplace_back("simulation.connectivity_rank", "at most n_neurons");
    if (sim.nNeurons > 100000)
        problems.emplace_back("simulation.n_neurons", "at most 100000 (W alone would need " +
                                                          std::to_string(sim.nNeurons * sim.nNeurons * 4 / 1000000000) +
                                                          " GB)");
    return problems;
}

} // namespace plexus
