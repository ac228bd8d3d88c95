#pragma once

#include "plexus/config/experiment_config.h"

#include <string>
#include <vector>

namespace plexus {

/// A loaded config and what the user should read about it (unknown keys, keys not used yet).
struct ConfigLoadResult
{
    ExperimentConfig config;
    std::vector<std::string> warnings;
};

/// Loads an experiment YAML file (the authors' format). File paths inside it resolve against the file's folder.
/// Throws InputError naming the file, line and key for wrong types, impossible values and missing files;
/// unknown keys only warn (with the nearest known key).
ConfigLoadResult loadConfigFile(const std::string& path);

/// Same from text; `source` names it in messages, `baseDir` resolves relative paths.
ConfigLoadResult loadConfigText(const std::string& text, const std::string& source, const std::string& baseDir);

/// Applies one `section.key=value` override (value in YAML syntax) and re-validates.
/// Throws InputError naming the key and what was expected.
void applyConfigOverride(ExperimentConfig& config, const std::string& assignment, const std::string& baseDir);

/// Applies several overrides, then validates once: the order does not matter (simulation.n_neurons=512 before
/// simulation.n_input_neurons=256 is fine). Throws InputError naming the key.
void applyConfigOverrides(ExperimentConfig& config, const std::vector<std::string>& assignments, const std::string& baseDir);

/// Checks cross-field consistency (params rows = types, N ≥ inputs, …). Throws InputError listing every problem.
void validateConfig(const ExperimentConfig& config);

/// The whole config as YAML (every known key, plus unknown entries kept verbatim).
std::string configToYaml(const ExperimentConfig& config);

/// Writes configToYaml atomically to `path`.
void saveConfigFile(const ExperimentConfig& config, const std::string& path);

} // namespace plexus
