#include "plexus/config/presets.h"

#include "plexus/util/errors.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>

namespace plexus {

namespace {

/// Demos first (what a new user wants), then the paper experiments in figure order.
int orderKey(const std::string& name)
{
    if (name == "demo")
        return 0;
    if (name.rfind("demo", 0) == 0)
        return 1;
    if (name.rfind("fig_", 0) == 0)
        return 2;
    return 3;
}

/// "supp_7_10" after "supp_7_9": compare digit runs by value.
bool naturalLess(const std::string& a, const std::string& b)
{
    std::size_t i = 0, j = 0;
    while (i < a.size() && j < b.size()) {
        if (std::isdigit(a[i]) && std::isdigit(b[j])) {
            std::size_t ei = i, ej = j;
            while (ei < a.size() && std::isdigit(a[ei]))
                ++ei;
            while (ej < b.size() && std::isdigit(b[ej]))
                ++ej;
            long va = std::stol(a.substr(i, ei - i)), vb = std::stol(b.substr(j, ej - j));
            if (va != vb)
                return va < vb;
            i = ei;
            j = ej;
        } else {
            if (a[i] != b[j])
                return a[i] < b[j];
            ++i;
            ++j;
        }
    }
    return a.size() - i < b.size() - j;
}

} // namespace

std::vector<PresetInfo> listPresets()
{
    std::vector<PresetInfo> list;
    for (const auto& preset : embeddedPresets()) {
        YAML::Node root = YAML::Load(preset.yaml);
        list.push_back({preset.name, root["description"] ? root["description"].as<std::string>() : ""});
    }
    std::sort(list.begin(), list.end(), [](const PresetInfo& a, const PresetInfo& b) {
        int ka = orderKey(a.name), kb = orderKey(b.name);
        return ka != kb ? ka < kb : naturalLess(a.name, b.name);
    });
    return list;
}

std::string presetText(const std::string& name)
{
    for (const auto& preset : embeddedPresets())
        if (name == preset.name)
            return preset.yaml;
    std::string known;
    for (const auto& info : listPresets())
        known += (known.empty() ? "" : ", ") + info.name;
    throw InputError("unknown preset '" + name + "'; known presets: " + known);
}

ConfigLoadResult loadPreset(const std::string& name)
{
    return loadConfigText(presetText(name), "preset:" + name, "");
}

} // namespace plexus
