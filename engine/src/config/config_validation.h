#pragma once

#include "plexus/config/experiment_config.h"

#include <string>
#include <utility>
#include <vector>

namespace plexus {

/// Problems between fields (params rows ≠ types, inputs > N, …) as (key, what was expected); empty when fine.
std::vector<std::pair<std::string, std::string>> crossFieldProblems(const ExperimentConfig& config);

} // namespace plexus
