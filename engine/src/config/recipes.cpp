#include "plexus/config/recipes.h"

#include "plexus/config/presets.h"
#include "plexus/util/errors.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>

namespace plexus {

namespace {

std::string where(const std::string& source, const YAML::Node& node, const std::string& key)
{
    return source + ":" + std::to_string(node.Mark().line + 1) + ": " + key;
}

std::optional<double> optionalNumber(const YAML::Node& paper, const char* key, const std::string& source)
{
    const YAML::Node value = paper[key];
    if (!value)
        return std::nullopt;
    try {
        return value.as<double>();
    } catch (const YAML::Exception&) {
        throw InputError(where(source, value, std::string("paper.") + key) + ": expected a number");
    }
}

template <typename T>
T valueOr(const YAML::Node& node, const char* key, T fallback, const std::string& source, const std::string& path)
{
    const YAML::Node value = node[key];
    if (!value)
        return fallback;
    try {
        return value.as<T>();
    } catch (const YAML::Exception&) {
        throw InputError(where(source, value, path + key) + ": expected " +
                         (std::is_same_v<T, std::string> ? "a text" : "a number"));
    }
}

RecipeVariant parseVariant(const YAML::Node& node, const std::string& source, const std::string& name)
{
    const std::string path = "recipes." + name + ".";
    RecipeVariant v;
    v.description = valueOr<std::string>(node, "description", "", source, path);
    v.iterations = valueOr<std::int64_t>(node, "iterations", 0, source, path);
    v.minutes = valueOr<double>(node, "minutes", 0.0, source, path);
    v.stopAtConnectivityR2 = valueOr<double>(node, "stop_at_w_r2", 0.0, source, path);
    v.stopSlopeSettled = valueOr<double>(node, "stop_slope_settled", 0.0, source, path);
    v.metricsEvery = valueOr<std::int64_t>(node, "metrics_every", 2500, source, path);
    if (v.iterations < 0 || v.metricsEvery < 1)
        throw InputError(where(source, node, path) + ": iterations must be ≥ 0 and metrics_every ≥ 1");
    if (!std::isfinite(v.minutes) || v.minutes < 0.0)
        throw InputError(where(source, node["minutes"], path + "minutes") + ": expected a number of minutes ≥ 0");
    if (!std::isfinite(v.stopSlopeSettled) || v.stopSlopeSettled < 0.0)
        throw InputError(where(source, node["stop_slope_settled"], path + "stop_slope_settled") +
                         ": expected a change of slope ≥ 0 (e.g. 0.002)");
    if (const YAML::Node set = node["set"]) {
        if (!set.IsMap())
            throw InputError(where(source, set, path + "set") + ": expected a mapping of section.key: value");
        for (const auto& entry : set)
            v.overrides.push_back(entry.first.as<std::string>() + "=" + YAML::Dump(entry.second));
    }
    return v;
}

} // namespace

ReproductionRecipe parseRecipe(const std::string& text, const std::string& source)
{
    YAML::Node root;
    try {
        root = YAML::Load(text);
    } catch (const YAML::Exception& e) {
        throw InputError(source + ":" + std::to_string(e.mark.line + 1) + ": YAML syntax error: " + e.msg);
    }
    if (!root.IsMap())
        throw InputError(source + ": expected a YAML mapping");
    ReproductionRecipe r;
    r.experiment = valueOr<std::string>(root, "experiment", "", source, "");
    if (r.experiment.empty())
        throw InputError(source + ": experiment: expected the preset this recipe trains");
    r.description = valueOr<std::string>(root, "description", "", source, "");
    if (const YAML::Node paper = root["paper"]) {
        r.paper.connectivityR2 = optionalNumber(paper, "w_r2", source);
        r.paper.connectivitySlope = optionalNumber(paper, "w_slope", source);
        r.paper.rolloutR2At400 = optionalNumber(paper, "rollout_r2_400", source);
        r.paper.separatedTypes = valueOr<bool>(paper, "separated_types", true, source, "paper.");
    }
    const YAML::Node variants = root["recipes"];
    if (!variants || !variants.IsMap() || variants.size() == 0)
        throw InputError(source + ": recipes: expected at least one recipe (paper, fast)");
    for (const auto& entry : variants)
        r.variants[entry.first.as<std::string>()] = parseVariant(entry.second, source, entry.first.as<std::string>());
    r.defaultVariant = valueOr<std::string>(root, "default", r.variants.count("fast") ? "fast" : r.variants.begin()->first,
                                            source, "");
    if (!r.variants.count(r.defaultVariant))
        throw InputError(source + ": default: '" + r.defaultVariant + "' is not one of its recipes");
    return r;
}

std::vector<std::string> recipeNames()
{
    std::vector<std::string> names;
    for (const auto& recipe : embeddedRecipes())
        names.push_back(recipe.name);
    // The paper's order: demos, then fig_2, supp_3, supp_7_x, supp_8 family, supp_10…14, fig_3 (the presets' order).
    std::vector<std::string> ordered;
    for (const auto& preset : listPresets())
        if (std::find(names.begin(), names.end(), preset.name) != names.end())
            ordered.push_back(preset.name);
    return ordered;
}

ReproductionRecipe loadRecipe(const std::string& experiment)
{
    for (const auto& recipe : embeddedRecipes())
        if (experiment == recipe.name)
            return parseRecipe(recipe.yaml, "recipe:" + experiment);
    std::string known;
    for (const auto& name : recipeNames())
        known += (known.empty() ? "" : ", ") + name;
    throw InputError("no reproduction recipe for '" + experiment + "' (known: " + known + ")");
}

} // namespace plexus
