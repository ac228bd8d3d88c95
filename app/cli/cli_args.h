#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

namespace plexus::cli {

/// Command-line arguments of one subcommand: positionals, `--name value` options (repeatable) and flags.
/// Unknown options are an InputError naming them and the accepted ones.
class CliArgs
{
public:
    /// `valueOptions` take a value (`--out DIR` or `--out=DIR`); `flags` do not.
    CliArgs(const std::vector<std::string>& args, const std::set<std::string>& valueOptions,
            const std::set<std::string>& flags);

    const std::vector<std::string>& positionals() const { return m_positionals; }
    bool has(const std::string& name) const { return m_values.count(name) || m_flags.count(name); }
    std::string value(const std::string& name, const std::string& fallback = "") const;
    std::vector<std::string> values(const std::string& name) const;
    /// The single positional argument `what` (e.g. RUN_DIR); InputError when absent or repeated.
    std::string requirePositional(const std::string& what) const;
    long long intValue(const std::string& name, long long fallback) const;
    /// intValue that must be at least 1 (counts, intervals): InputError naming the option otherwise.
    long long positiveIntValue(const std::string& name, long long fallback) const;
    double doubleValue(const std::string& name, double fallback) const;

private:
    std::vector<std::string> m_positionals;
    std::map<std::string, std::vector<std::string>> m_values;
    std::set<std::string> m_flags;
};

} // namespace plexus::cli
