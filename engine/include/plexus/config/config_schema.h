#pragma once

#include "plexus/config/config_value.h"
#include "plexus/config/experiment_config.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace plexus {

/// Whether Plexus acts on a key yet. Keys not used yet are kept and reported once on load.
enum class FieldUsage { Used, NotUsedYet };

/// What a change of the value requires (the parameter editor marks it).
enum class FieldEffect {
    Simulation, ///< a new simulation
    Training,   ///< a new training run
    Display,    ///< applies live (plots only)
};

/// One config key: its YAML place, type, meaning, and typed access to ExperimentConfig.
struct ConfigField
{
    std::string section; ///< "simulation", "graph_model", "training", "plotting", or "" for top level
    std::string key;     ///< the authors' key name
    ConfigType type;
    FieldUsage usage;
    FieldEffect effect;
    std::string help;
    std::function<ConfigValue(const ExperimentConfig&)> get;
    std::function<void(ExperimentConfig&, const ConfigValue&)> set;
    /// Checks one value on its own; returns an empty string when fine, else what was expected.
    std::function<std::string(const ConfigValue&)> check;

    std::string path() const { return section.empty() ? key : section + "." + key; }
};

/// Every known key, in file order (top level, simulation, graph_model, plotting, training).
const std::vector<ConfigField>& configSchema();

/// The field at "section.key" (or a top-level key), if known.
const ConfigField* findConfigField(const std::string& path);

/// Keys of the authors' files that mean nothing for signal experiments (kept, not reported).
bool isIgnoredAuthorKey(const std::string& path);

/// The known section names.
const std::vector<std::string>& configSections();

/// The known key closest to `path` by edit distance (for "did you mean" hints); empty if none is close.
std::string nearestConfigKey(const std::string& path);

} // namespace plexus
