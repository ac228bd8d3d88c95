#include "plexus/config/config_loader.h"

#include "config_validation.h"
#include "plexus/config/config_schema.h"
#include "plexus/util/atomic_file.h"
#include "plexus/util/errors.h"

#include <yaml-cpp/yaml.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <set>

namespace plexus {

namespace fs = std::filesystem;

namespace {

bool toNumber(const YAML::Node& node, double& out)
{
    if (!node.IsScalar())
        return false;
    try {
        out = node.as<double>();
        return true;
    } catch (const YAML::Exception&) {
        return false;
    }
}

bool toRow(const YAML::Node& node, std::vector<double>& row)
{
    if (!node.IsSequence())
        return false;
    row.clear();
    for (const auto& item : node) {
        double v;
        if (!toNumber(item, v))
            return false;
        row.push_back(v);
    }
    return true;
}

/// Converts a YAML node to the field's type; false when it does not fit.
bool convertNode(const YAML::Node& node, ConfigType type, ConfigValue& out)
{
    try {
        switch (type) {
        case ConfigType::Bool:
            if (!node.IsScalar())
                return false;
            out = node.as<bool>();
            return true;
        case ConfigType::Int: {
            double v;
            if (!toNumber(node, v) || !std::isfinite(v) || v != std::floor(v) || std::fabs(v) > 9.0e15)
                return false;
            out = static_cast<std::int64_t>(v);
            return true;
        }
        case ConfigType::Double: {
            double v;
            if (!toNumber(node, v))
                return false;
            out = v;
            return true;
        }
        case ConfigType::String:
            if (node.IsNull()) {
                out = std::string();
                return true;
            }
            if (!node.IsScalar())
                return false;
            out = node.as<std::string>();
            return true;
        case ConfigType::DoubleList: {
            std::vector<double> row;
            if (!toRow(node, row))
                return false;
            out = row;
            return true;
        }
        case ConfigType::Matrix: {
            if (!node.IsSequence())
                return false;
            std::vector<std::vector<double>> rows;
            for (const auto& item : node) {
                std::vector<double> row;
                if (!toRow(item, row))
                    return false;
                rows.push_back(row);
            }
            out = rows;
            return true;
        }
        }
    } catch (const YAML::Exception&) {
    }
    return false;
}

std::string nodeText(const YAML::Node& node)
{
    YAML::Emitter out;
    out << YAML::Flow << node;
    std::string text = out.c_str();
    return text.size() > 60 ? text.substr(0, 57) + "..." : text;
}

/// Resolves a movie path against the config's folder; builtin movies stay as they are.
std::string resolvePath(const std::string& value, const std::string& baseDir)
{
    if (value.empty() || value.rfind("builtin:", 0) == 0)
        return value;
    fs::path p(value);
    if (p.is_relative() && !baseDir.empty())
        p = fs::path(baseDir) / p;
    return p.lexically_normal().string();
}

class Loader
{
public:
    Loader(std::string source, std::string baseDir) : m_source(std::move(source)), m_baseDir(std::move(baseDir)) {}

    ConfigLoadResult load(const std::string& text)
    {
        YAML::Node root;
        try {
            root = YAML::Load(text);
        } catch (const YAML::ParserException& e) {
            throw InputError(at(e.mark.line + 1) + "YAML syntax error: " + e.msg);
        }
        if (!root.IsMap())
            throw InputError(m_source + ": expected a YAML mapping with sections simulation, graph_model, "
                                        "training, plotting");
        m_result.config.source = m_source;
        for (const auto& entry : root)
            readTopEntry(entry.first, entry.second);
        reportNotUsedYet();
        resolveMoviePath();
        for (const auto& [key, message] : crossFieldProblems(m_result.config))
            m_errors.push_back(at(lineOf(key)) + key + ": " + message);
        if (!m_errors.empty())
            throw InputError(joinLines(m_errors));
        return m_result;
    }

private:
    std::string at(int line) const { return line > 0 ? m_source + ":" + std::to_string(line) + ": " : m_source + ": "; }
    int lineOf(const std::string& key) const
    {
        auto it = m_lines.find(key);
        return it == m_lines.end() ? 0 : it->second;
    }
    static std::string joinLines(const std::vector<std::string>& lines)
    {
        std::string text;
        for (const auto& l : lines)
            text += (text.empty() ? "" : "\n") + l;
        return text;
    }

    void readTopEntry(const YAML::Node& keyNode, const YAML::Node& value)
    {
        std::string key = keyNode.as<std::string>();
        int line = keyNode.Mark().line + 1;
        const auto& sections = configSections();
        if (std::find(sections.begin(), sections.end(), key) != sections.end()) {
            if (value.IsNull())
                return;
            if (!value.IsMap()) {
                m_errors.push_back(at(line) + key + ": expected a section of `key: value` lines");
                return;
            }
            for (const auto& entry : value)
                readField(key, entry.first, entry.second);
            return;
        }
        if (findConfigField(key)) {
            readField("", keyNode, value);
            return;
        }
        m_result.config.unknownEntries.emplace_back(key, YAML::Dump(value));
        m_result.warnings.push_back(at(line) + "unknown " + std::string(value.IsMap() ? "section" : "key") + " '" +
                                    key + "' (kept in the config, not used)");
    }

    void readField(const std::string& section, const YAML::Node& keyNode, const YAML::Node& value)
    {
        std::string path = section.empty() ? keyNode.as<std::string>() : section + "." + keyNode.as<std::string>();
        int line = keyNode.Mark().line + 1;
        m_lines[path] = line;
        const ConfigField* field = findConfigField(path);
        if (!field) {
            m_result.config.unknownEntries.emplace_back(path, YAML::Dump(value));
            if (!isIgnoredAuthorKey(path)) {
                std::string hint = nearestConfigKey(path);
                m_result.warnings.push_back(at(line) + "unknown key '" + path + "'" +
                                            (hint.empty() ? "" : " (did you mean '" + hint + "'?)") +
                                            "; kept in the config, not used");
            }
            return;
        }
        ConfigValue converted;
        if (!convertNode(value, field->type, converted)) {
            m_errors.push_back(at(line) + path + ": expected " + describeType(field->type) + ", got '" +
                               nodeText(value) + "'");
            return;
        }
        if (field->check) {
            std::string expected = field->check(converted);
            if (!expected.empty()) {
                m_errors.push_back(at(line) + path + ": expected " + expected + ", got " + formatValue(converted));
                return;
            }
        }
        field->set(m_result.config, converted);
        // A key left at its default changes nothing, so only other values are worth a warning.
        static const ExperimentConfig kDefaults;
        if (field->usage == FieldUsage::NotUsedYet && formatValue(converted) != formatValue(field->get(kDefaults)))
            m_notUsedYet.push_back(path);
    }

    void reportNotUsedYet()
    {
        if (m_notUsedYet.empty())
            return;
        std::map<std::string, int> perSection;
        for (const auto& path : m_notUsedYet)
            ++perSection[path.substr(0, path.find('.'))];
        std::string counts;
        for (const auto& [section, count] : perSection)
            counts += (counts.empty() ? "" : ", ") + section + ": " + std::to_string(count);
        m_result.warnings.push_back(m_source + ": " + std::to_string(m_notUsedYet.size()) +
                                    " key(s) are kept but not used yet by this version of Plexus (" + counts +
                                    "); `plexus-cli keys` lists which keys act");
    }

    void resolveMoviePath()
    {
        auto& sim = m_result.config.simulation;
        sim.nodeValueMap = resolvePath(sim.nodeValueMap, m_baseDir);
        bool usesMovie = sim.externalInputType == "visual" || sim.externalInputType == "modulation";
        if (usesMovie && !sim.nodeValueMap.empty() && sim.nodeValueMap.rfind("builtin:", 0) != 0 &&
            !fs::exists(sim.nodeValueMap))
            m_errors.push_back(at(lineOf("simulation.node_value_map")) +
                               "simulation.node_value_map: movie not found, tried " + sim.nodeValueMap);
    }

    std::string m_source;
    std::string m_baseDir;
    ConfigLoadResult m_result;
    std::vector<std::string> m_errors;
    std::vector<std::string> m_notUsedYet;
    std::map<std::string, int> m_lines;
};

void emitValue(YAML::Emitter& out, const ConfigValue& value)
{
    struct Visitor
    {
        YAML::Emitter& out;
        void operator()(bool v) const { out << v; }
        void operator()(std::int64_t v) const { out << v; }
        void operator()(double v) const { out << v; }
        void operator()(const std::string& v) const { out << YAML::DoubleQuoted << v; }
        void operator()(const std::vector<double>& v) const { out << YAML::Flow << v; }
        void operator()(const std::vector<std::vector<double>>& rows) const
        {
            out << YAML::BeginSeq;
            for (const auto& row : rows)
                out << YAML::Flow << row;
            out << YAML::EndSeq;
        }
    };
    std::visit(Visitor{out}, value);
}

bool isUnset(const ConfigValue& value)
{
    return std::holds_alternative<double>(value) && std::isnan(std::get<double>(value));
}

void emitUnknown(YAML::Emitter& out, const std::string& key, const std::string& yamlText)
{
    out << YAML::Key << key << YAML::Value << YAML::Load(yamlText);
}

} // namespace

ConfigLoadResult loadConfigText(const std::string& text, const std::string& source, const std::string& baseDir)
{
    return Loader(source, baseDir).load(text);
}

ConfigLoadResult loadConfigFile(const std::string& path)
{
    if (!fs::exists(path))
        throw InputError(path + ": config file not found");
    if (fs::is_directory(path))
        throw InputError(path + ": is a folder; expected a YAML config file");
    std::string baseDir = fs::absolute(path).parent_path().string();
    return loadConfigText(readTextFile(path), path, baseDir);
}

void validateConfig(const ExperimentConfig& config)
{
    std::string text;
    for (const auto& [key, message] : crossFieldProblems(config))
        text += (text.empty() ? "" : "\n") + config.source + ": " + key + ": " + message;
    if (!text.empty())
        throw InputError(text);
}

namespace {

void setFromAssignment(ExperimentConfig& config, const std::string& assignment, const std::string& baseDir)
{
    auto eq = assignment.find('=');
    if (eq == std::string::npos || eq == 0)
        throw InputError("--set " + assignment + ": expected section.key=value, e.g. simulation.n_neurons=500");
    std::string path = assignment.substr(0, eq);
    std::string valueText = assignment.substr(eq + 1);
    const ConfigField* field = findConfigField(path);
    if (!field && path.find('.') == std::string::npos) {
        std::vector<const ConfigField*> matches;
        for (const auto& f : configSchema())
            if (f.key == path)
                matches.push_back(&f);
        if (matches.size() > 1)
            throw InputError("--set " + path + ": ambiguous, say " + matches[0]->path() + " or " +
                             matches[1]->path());
        if (matches.size() == 1)
            field = matches[0];
    }
    if (!field) {
        std::string hint = nearestConfigKey(path);
        throw InputError("--set " + path + ": unknown key" + (hint.empty() ? "" : " (did you mean '" + hint + "'?)"));
    }
    YAML::Node node;
    try {
        node = YAML::Load(valueText);
    } catch (const YAML::Exception& e) {
        throw InputError("--set " + field->path() + ": cannot read '" + valueText + "': " + e.msg);
    }
    ConfigValue value;
    if (!convertNode(node, field->type, value))
        throw InputError("--set " + field->path() + ": expected " + describeType(field->type) + ", got '" +
                         valueText + "'");
    if (field->check) {
        std::string expected = field->check(value);
        if (!expected.empty())
            throw InputError("--set " + field->path() + ": expected " + expected + ", got " + valueText);
    }
    if (field->path() == "simulation.node_value_map")
        value = resolvePath(std::get<std::string>(value), baseDir);
    field->set(config, value);
}

} // namespace

void applyConfigOverride(ExperimentConfig& config, const std::string& assignment, const std::string& baseDir)
{
    setFromAssignment(config, assignment, baseDir);
    validateConfig(config);
}

void applyConfigOverrides(ExperimentConfig& config, const std::vector<std::string>& assignments, const std::string& baseDir)
{
    for (const auto& assignment : assignments)
        setFromAssignment(config, assignment, baseDir);
    if (!assignments.empty())
        validateConfig(config);
}

std::string configToYaml(const ExperimentConfig& config)
{
    YAML::Emitter out;
    out.SetDoublePrecision(15);
    out << YAML::BeginMap;
    std::set<std::string> sections(configSections().begin(), configSections().end());
    for (const auto& f : configSchema())
        if (f.section.empty()) {
            out << YAML::Key << f.key << YAML::Value;
            emitValue(out, f.get(config));
        }
    for (const auto& section : configSections()) {
        out << YAML::Key << section << YAML::Value << YAML::BeginMap;
        for (const auto& f : configSchema()) {
            if (f.section != section || isUnset(f.get(config)))
                continue;
            out << YAML::Key << f.key << YAML::Value;
            emitValue(out, f.get(config));
        }
        for (const auto& [path, text] : config.unknownEntries)
            if (path.rfind(section + ".", 0) == 0)
                emitUnknown(out, path.substr(section.size() + 1), text);
        out << YAML::EndMap;
    }
    for (const auto& [path, text] : config.unknownEntries)
        if (path.find('.') == std::string::npos)
            emitUnknown(out, path, text);
    out << YAML::EndMap;
    return std::string(out.c_str()) + "\n";
}

void saveConfigFile(const ExperimentConfig& config, const std::string& path)
{
    writeFileAtomic(path, configToYaml(config));
}

} // namespace plexus
