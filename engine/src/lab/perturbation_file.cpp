#include "plexus/lab/perturbation_file.h"

#include "plexus/util/atomic_file.h"
#include "plexus/util/errors.h"

#include <yaml-cpp/yaml.h>

#include <optional>
#include <set>
#include <sstream>

namespace plexus {

namespace {

/// Reads the keys of one YAML mapping, naming the file, the line and the key path in every error.
class Reader
{
public:
    Reader(const YAML::Node& node, std::string source, std::string path)
        : m_node(node), m_source(std::move(source)), m_path(std::move(path))
    {
        if (!node.IsMap())
            fail(node, "", "expected a mapping");
    }

    template <typename T>
    T get(const char* key, T fallback) const
    {
        m_known.insert(key);
        const YAML::Node value = m_node[key];
        if (!value)
            return fallback;
        try {
            return value.as<T>();
        } catch (const YAML::Exception&) {
            fail(value, key, std::is_same_v<T, std::string> ? "expected a text" : "expected a number");
        }
    }

    template <typename T>
    T required(const char* key) const
    {
        if (!m_node[key])
            fail(m_node, key, "missing");
        return get<T>(key, T{});
    }

    template <typename T>
    std::vector<T> list(const char* key) const
    {
        m_known.insert(key);
        std::vector<T> out;
        const YAML::Node value = m_node[key];
        if (!value)
            return out;
        if (!value.IsSequence())
            fail(value, key, "expected a list");
        for (const auto& item : value)
            try {
                out.push_back(item.as<T>());
            } catch (const YAML::Exception&) {
                fail(item, key, "expected a list of numbers");
            }
        return out;
    }

    /// The mappings of a list of mappings, each with its own Reader.
    std::vector<Reader> records(const char* key) const
    {
        m_known.insert(key);
        std::vector<Reader> out;
        const YAML::Node value = m_node[key];
        if (!value)
            return out;
        if (!value.IsSequence())
            fail(value, key, "expected a list");
        for (const auto& item : value)
            out.emplace_back(item, m_source, m_path + key + ".");
        return out;
    }

    std::optional<Reader> child(const char* key) const
    {
        m_known.insert(key);
        const YAML::Node value = m_node[key];
        if (!value)
            return std::nullopt;
        return Reader(value, m_source, m_path + key + ".");
    }

    /// After reading: a key no reader asked for is a typo the user should hear about.
    void rejectUnknown() const
    {
        for (const auto& entry : m_node) {
            const std::string key = entry.first.as<std::string>();
            if (!m_known.count(key))
                fail(entry.first, key, "unknown key");
        }
    }

    [[noreturn]] void fail(const YAML::Node& at, const std::string& key, const std::string& what) const
    {
        throw InputError(m_source + ":" + std::to_string(at.Mark().line + 1) + ": " + m_path + key + ": " + what);
    }

private:
    YAML::Node m_node;
    std::string m_source;
    std::string m_path;
    mutable std::set<std::string> m_known;
};

std::int32_t typeOf(const Reader& r, const char* key)
{
    // "any" (or −1): every type
    const std::string text = r.get<std::string>(key, "any");
    if (text == "any")
        return -1;
    return r.get<std::int32_t>(key, -1);
}

Perturbation readPerturbation(const Reader& r)
{
    Perturbation p;
    if (auto c = r.child("connectivity")) {
        p.connectivity = ConnectivityRedraw{c->required<double>("filling_factor"), c->get<std::int64_t>("seed", 1)};
        c->rejectUnknown();
    }
    if (auto t = r.child("types")) {
        p.types = TypeRedraw{t->list<double>("proportions"), t->get<std::int64_t>("seed", 1)};
        t->rejectUnknown();
    }
    for (const Reader& b : r.records("blocks")) {
        p.blocks.push_back({typeOf(b, "from_type"), typeOf(b, "to_type"), b.required<double>("factor")});
        b.rejectUnknown();
    }
    for (const Reader& c : r.records("connections")) {
        p.connections.push_back({c.required<std::int64_t>("from"), c.required<std::int64_t>("to"), c.get<double>("factor", 0.0)});
        c.rejectUnknown();
    }
    p.silenced = r.list<std::int64_t>("silenced");
    for (const Reader& e : r.records("parameters")) {
        p.parameters.push_back({e.required<std::int32_t>("type"), e.required<std::string>("parameter"), e.required<double>("value")});
        e.rejectUnknown();
    }
    if (auto in = r.child("input")) {
        InputEdit edit;
        if (in->get<std::string>("amplitude", "").size())
            edit.amplitude = in->get<double>("amplitude", 0.0);
        if (in->get<std::string>("frequency", "").size())
            edit.frequency = in->get<double>("frequency", 0.0);
        edit.movie = in->get<std::string>("movie", "");
        in->rejectUnknown();
        p.input = edit;
    }
    r.rejectUnknown();
    return p;
}

void writeType(YAML::Emitter& out, const char* key, std::int32_t type)
{
    out << YAML::Key << key << YAML::Value;
    if (type < 0)
        out << "any";
    else
        out << type;
}

void writePerturbation(YAML::Emitter& out, const Perturbation& p)
{
    out << YAML::BeginMap;
    if (p.connectivity)
        out << YAML::Key << "connectivity" << YAML::Value << YAML::Flow << YAML::BeginMap << YAML::Key << "filling_factor"
            << YAML::Value << p.connectivity->fillingFactor << YAML::Key << "seed" << YAML::Value << p.connectivity->seed
            << YAML::EndMap;
    if (p.types)
        out << YAML::Key << "types" << YAML::Value << YAML::Flow << YAML::BeginMap << YAML::Key << "proportions"
            << YAML::Value << YAML::Flow << p.types->proportions << YAML::Key << "seed" << YAML::Value << p.types->seed
            << YAML::EndMap;
    if (!p.blocks.empty()) {
        out << YAML::Key << "blocks" << YAML::Value << YAML::BeginSeq;
        for (const BlockEdit& b : p.blocks) {
            out << YAML::Flow << YAML::BeginMap;
            writeType(out, "from_type", b.fromType);
            writeType(out, "to_type", b.toType);
            out << YAML::Key << "factor" << YAML::Value << b.factor << YAML::EndMap;
        }
        out << YAML::EndSeq;
    }
    if (!p.connections.empty()) {
        out << YAML::Key << "connections" << YAML::Value << YAML::BeginSeq;
        for (const ConnectionEdit& c : p.connections)
            out << YAML::Flow << YAML::BeginMap << YAML::Key << "from" << YAML::Value << c.from << YAML::Key << "to"
                << YAML::Value << c.to << YAML::Key << "factor" << YAML::Value << c.factor << YAML::EndMap;
        out << YAML::EndSeq;
    }
    if (!p.silenced.empty())
        out << YAML::Key << "silenced" << YAML::Value << YAML::Flow << p.silenced;
    if (!p.parameters.empty()) {
        out << YAML::Key << "parameters" << YAML::Value << YAML::BeginSeq;
        for (const ParameterEdit& e : p.parameters)
            out << YAML::Flow << YAML::BeginMap << YAML::Key << "type" << YAML::Value << e.type << YAML::Key << "parameter"
                << YAML::Value << e.parameter << YAML::Key << "value" << YAML::Value << e.value << YAML::EndMap;
        out << YAML::EndSeq;
    }
    if (p.input) {
        out << YAML::Key << "input" << YAML::Value << YAML::Flow << YAML::BeginMap;
        if (p.input->amplitude)
            out << YAML::Key << "amplitude" << YAML::Value << *p.input->amplitude;
        if (p.input->frequency)
            out << YAML::Key << "frequency" << YAML::Value << *p.input->frequency;
        if (!p.input->movie.empty())
            out << YAML::Key << "movie" << YAML::Value << p.input->movie;
        out << YAML::EndMap;
    }
    out << YAML::EndMap;
}

} // namespace

std::string labStateToYaml(const LabState& s)
{
    YAML::Emitter out;
    out.SetDoublePrecision(17);
    out << YAML::BeginMap << YAML::Key << "frames" << YAML::Value << s.frames << YAML::Key << "shown_neurons"
        << YAML::Value << YAML::Flow << s.shownNeurons << YAML::Key << "perturbation" << YAML::Value;
    writePerturbation(out, s.perturbation);
    out << YAML::EndMap;
    return "# Plexus lab: the edits of the Studio's Lab panel (docs/lab.md)\n" + std::string(out.c_str()) + "\n";
}

LabState parseLabState(const std::string& text, const std::string& source)
{
    YAML::Node root;
    try {
        root = YAML::Load(text);
    } catch (const YAML::Exception& e) {
        throw InputError(source + ":" + std::to_string(e.mark.line + 1) + ": YAML syntax error: " + e.msg);
    }
    const Reader r(root, source, "");
    LabState s;
    s.frames = r.get<std::int64_t>("frames", 1000);
    if (s.frames < 1)
        throw InputError(source + ": frames: expected at least 1, got " + std::to_string(s.frames));
    s.shownNeurons = r.list<std::int64_t>("shown_neurons");
    if (auto p = r.child("perturbation"))
        s.perturbation = readPerturbation(*p);
    r.rejectUnknown();
    return s;
}

void saveLabState(const std::string& path, const LabState& state)
{
    writeFileAtomic(path, labStateToYaml(state));
}

LabState loadLabState(const std::string& path)
{
    return parseLabState(readTextFile(path), path);
}

} // namespace plexus
