#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace plexus {

enum class ConfigType { Bool, Int, Double, String, DoubleList, Matrix };

/// A config value of any schema type; the alternative matches the field's ConfigType.
using ConfigValue =
    std::variant<bool, std::int64_t, double, std::string, std::vector<double>, std::vector<std::vector<double>>>;

/// "an integer", "a list of numbers", … for messages.
const char* describeType(ConfigType type);

/// The value as YAML flow text (e.g. `[1, 2]`), for messages and the parameter editor.
std::string formatValue(const ConfigValue& value);

} // namespace plexus
