#pragma once

#include "plexus/config/config_loader.h"

#include <string>
#include <vector>

namespace plexus {

/// A preset compiled into the program from resources/presets/NAME.yaml.
struct EmbeddedPreset
{
    const char* name;
    const char* yaml;
};

/// Every preset (generated at build time).
const std::vector<EmbeddedPreset>& embeddedPresets();
/// Every reproduction recipe, resources/recipes/NAME.yaml (generated at build time; recipes.h reads them).
const std::vector<EmbeddedPreset>& embeddedRecipes();

/// Names and one-line descriptions, in a stable order (demos first, then the paper experiments).
struct PresetInfo
{
    std::string name;
    std::string description;
};
std::vector<PresetInfo> listPresets();

/// The preset's YAML text; throws InputError listing the known names when unknown.
std::string presetText(const std::string& name);

/// Loads a preset as a config (source "preset:NAME").
ConfigLoadResult loadPreset(const std::string& name);

} // namespace plexus
