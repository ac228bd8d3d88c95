#include "model_identity.h"

#include "plexus/config/config_schema.h"

#include <map>
#include <sstream>

namespace plexus {

namespace {

std::map<std::string, std::string> linesOf(const std::string& identity)
{
    std::map<std::string, std::string> values;
    std::istringstream in(identity);
    std::string line;
    while (std::getline(in, line)) {
        const auto eq = line.find('=');
        if (eq != std::string::npos)
            values[line.substr(0, eq)] = line.substr(eq + 1);
    }
    return values;
}

bool isStructural(const ConfigField& field)
{
    if (field.section == "graph_model")
        return true;
    const std::string path = field.path();
    return path == "training.learn_external_input" || path == "training.low_rank_factorization" ||
           path == "training.low_rank";
}

} // namespace

std::string modelIdentity(const ExperimentConfig& config, const Dataset& data)
{
    std::ostringstream text;
    text << "neurons=" << data.neurons() << '\n';
    text << "types=" << data.typeParameters.rows() << '\n';
    text << "stimulus_receivers=" << data.stimulusReceivers() << '\n';
    for (const ConfigField& field : configSchema())
        if (isStructural(field))
            text << field.path() << '=' << formatValue(field.get(config)) << '\n';
    return text.str();
}

std::int64_t identityHash(const std::string& identity)
{
    std::uint64_t hash = 1469598103934665603ULL;
    for (const unsigned char c : identity) {
        hash ^= c;
        hash *= 1099511628211ULL;
    }
    return static_cast<std::int64_t>(hash);
}

std::string identityDifferences(const std::string& saved, const std::string& current)
{
    const auto before = linesOf(saved), now = linesOf(current);
    std::string text;
    auto note = [&text](const std::string& key, const std::string& a, const std::string& b) {
        text += (text.empty() ? "" : "; ") + key + ": checkpoint " + a + ", this run " + b;
    };
    for (const auto& [key, value] : before) {
        const auto it = now.find(key);
        if (it == now.end())
            note(key, value, "(none)");
        else if (it->second != value)
            note(key, value, it->second);
    }
    for (const auto& [key, value] : now)
        if (!before.count(key))
            note(key, "(none)", value);
    return text;
}

} // namespace plexus
