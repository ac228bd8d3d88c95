#include "plexus/config/config_value.h"

#include <cmath>
#include <sstream>

namespace plexus {

const char* describeType(ConfigType type)
{
    switch (type) {
    case ConfigType::Bool: return "true or false";
    case ConfigType::Int: return "an integer";
    case ConfigType::Double: return "a number";
    case ConfigType::String: return "a text";
    case ConfigType::DoubleList: return "a list of numbers, e.g. [0, 1]";
    case ConfigType::Matrix: return "a list of rows of numbers, e.g. [[1, 2], [3, 4]]";
    }
    return "a value";
}

namespace {

std::string formatNumber(double v)
{
    if (std::isnan(v))
        return ".nan";
    std::ostringstream out;
    out.precision(12);
    out << v;
    return out.str();
}

std::string formatList(const std::vector<double>& values)
{
    std::string text = "[";
    for (std::size_t i = 0; i < values.size(); ++i)
        text += (i ? ", " : "") + formatNumber(values[i]);
    return text + "]";
}

} // namespace

std::string formatValue(const ConfigValue& value)
{
    struct Visitor
    {
        std::string operator()(bool v) const { return v ? "true" : "false"; }
        std::string operator()(std::int64_t v) const { return std::to_string(v); }
        std::string operator()(double v) const { return formatNumber(v); }
        std::string operator()(const std::string& v) const { return "\"" + v + "\""; }
        std::string operator()(const std::vector<double>& v) const { return formatList(v); }
        std::string operator()(const std::vector<std::vector<double>>& rows) const
        {
            std::string text = "[";
            for (std::size_t i = 0; i < rows.size(); ++i)
                text += (i ? ", " : "") + formatList(rows[i]);
            return text + "]";
        }
    };
    return std::visit(Visitor{}, value);
}

} // namespace plexus
