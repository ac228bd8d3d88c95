#include "cli_args.h"

#include "plexus/util/errors.h"

namespace plexus::cli {

namespace {

std::string listOptions(const std::set<std::string>& values, const std::set<std::string>& flags)
{
    std::string text;
    for (const auto& v : values)
        text += (text.empty() ? "--" : ", --") + v;
    for (const auto& f : flags)
        text += (text.empty() ? "--" : ", --") + f;
    return text.empty() ? "none" : text;
}

} // namespace

CliArgs::CliArgs(const std::vector<std::string>& args, const std::set<std::string>& valueOptions,
                 const std::set<std::string>& flags)
{
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (arg.rfind("--", 0) != 0 || arg == "--") {
            m_positionals.push_back(arg);
            continue;
        }
        std::string name = arg.substr(2), value;
        auto eq = name.find('=');
        bool inlineValue = eq != std::string::npos;
        if (inlineValue) {
            value = name.substr(eq + 1);
            name = name.substr(0, eq);
        }
        if (flags.count(name) && !inlineValue) {
            m_flags.insert(name);
        } else if (valueOptions.count(name)) {
            if (!inlineValue) {
                if (i + 1 >= args.size())
                    throw InputError("--" + name + " needs a value");
                value = args[++i];
            }
            m_values[name].push_back(value);
        } else {
            throw InputError("unknown option --" + name + " (accepted: " + listOptions(valueOptions, flags) + ")");
        }
    }
}

std::string CliArgs::value(const std::string& name, const std::string& fallback) const
{
    auto it = m_values.find(name);
    return it == m_values.end() ? fallback : it->second.back();
}

std::vector<std::string> CliArgs::values(const std::string& name) const
{
    auto it = m_values.find(name);
    return it == m_values.end() ? std::vector<std::string>{} : it->second;
}

std::string CliArgs::requirePositional(const std::string& what) const
{
    if (m_positionals.empty())
        throw InputError("missing " + what);
    if (m_positionals.size() > 1)
        throw InputError("expected one " + what + ", got " + std::to_string(m_positionals.size()) + " arguments");
    return m_positionals.front();
}

long long CliArgs::intValue(const std::string& name, long long fallback) const
{
    if (!has(name))
        return fallback;
    std::string text = value(name);
    try {
        std::size_t used = 0;
        long long v = std::stoll(text, &used);
        if (used == text.size())
            return v;
    } catch (const std::exception&) {
    }
    throw InputError("--" + name + ": expected an integer, got '" + text + "'");
}

long long CliArgs::positiveIntValue(const std::string& name, long long fallback) const
{
    const long long v = intValue(name, fallback);
    if (has(name) && v < 1)
        throw InputError("--" + name + ": expected a positive integer, got " + value(name));
    return v;
}

double CliArgs::doubleValue(const std::string& name, double fallback) const
{
    if (!has(name))
        return fallback;
    std::string text = value(name);
    try {
        std::size_t used = 0;
        double v = std::stod(text, &used);
        if (used == text.size())
            return v;
    } catch (const std::exception&) {
    }
    throw InputError("--" + name + ": expected a number, got '" + text + "'");
}

} // namespace plexus::cli
