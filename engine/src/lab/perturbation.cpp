#include "plexus/lab/perturbation.h"

#include "plexus/util/errors.h"

#include <sstream>

namespace plexus {

namespace {

std::string number(double value)
{
    std::ostringstream out;
    out << value;
    return out.str();
}

std::string typeName(std::int32_t type)
{
    return type < 0 ? "any type" : "type " + std::to_string(type);
}

std::string proportionsText(const std::vector<double>& proportions)
{
    std::string text;
    for (std::size_t k = 0; k < proportions.size(); ++k)
        text += (k ? "/" : "") + number(100.0 * proportions[k]);
    return text + " %";
}

} // namespace

bool Perturbation::empty() const
{
    return !connectivity && !types && blocks.empty() && connections.empty() && silenced.empty() &&
           parameters.empty() && !input;
}

std::vector<std::string> Perturbation::describe() const
{
    std::vector<std::string> lines;
    if (connectivity)
        lines.push_back("new W, filling factor " + number(connectivity->fillingFactor) + " (seed " +
                        std::to_string(connectivity->seed) + ")");
    if (types)
        lines.push_back("new types " + proportionsText(types->proportions) + " (seed " + std::to_string(types->seed) + ")");
    for (const BlockEdit& b : blocks)
        lines.push_back("connections " + typeName(b.fromType) + " → " + typeName(b.toType) + " × " + number(b.factor));
    for (const ConnectionEdit& c : connections)
        lines.push_back(c.factor == 0.0 ? "cut " + std::to_string(c.from) + " → " + std::to_string(c.to)
                                        : "connection " + std::to_string(c.from) + " → " + std::to_string(c.to) + " × " +
                                              number(c.factor));
    for (std::int64_t n : silenced)
        lines.push_back("silence neuron " + std::to_string(n));
    for (const ParameterEdit& p : parameters)
        lines.push_back("type " + std::to_string(p.type) + ": " + p.parameter + " = " + number(p.value) +
                        " (true side only)");
    if (input) {
        if (input->amplitude)
            lines.push_back("input amplitude " + number(*input->amplitude));
        if (input->frequency)
            lines.push_back("input frequency " + number(*input->frequency));
        if (!input->movie.empty())
            lines.push_back("input movie " + input->movie);
    }
    return lines;
}

bool Perturbation::operator==(const Perturbation& o) const
{
    auto sameRedraw = [](const auto& a, const auto& b) {
        return a.has_value() == b.has_value() && (!a || (a->seed == b->seed));
    };
    if (!sameRedraw(connectivity, o.connectivity) || (connectivity && connectivity->fillingFactor != o.connectivity->fillingFactor))
        return false;
    if (!sameRedraw(types, o.types) || (types && types->proportions != o.types->proportions))
        return false;
    if (blocks.size() != o.blocks.size() || connections.size() != o.connections.size() || silenced != o.silenced ||
        parameters.size() != o.parameters.size() || input.has_value() != o.input.has_value())
        return false;
    for (std::size_t i = 0; i < blocks.size(); ++i)
        if (blocks[i].fromType != o.blocks[i].fromType || blocks[i].toType != o.blocks[i].toType ||
            blocks[i].factor != o.blocks[i].factor)
            return false;
    for (std::size_t i = 0; i < connections.size(); ++i)
        if (connections[i].from != o.connections[i].from || connections[i].to != o.connections[i].to ||
            connections[i].factor != o.connections[i].factor)
            return false;
    for (std::size_t i = 0; i < parameters.size(); ++i)
        if (parameters[i].type != o.parameters[i].type || parameters[i].parameter != o.parameters[i].parameter ||
            parameters[i].value != o.parameters[i].value)
            return false;
    return !input || (input->amplitude == o.input->amplitude && input->frequency == o.input->frequency &&
                      input->movie == o.input->movie);
}

Perturbation presetPerturbation(const std::string& name, std::int64_t seed)
{
    Perturbation p;
    if (name == "supp_5") {
        p.connectivity = ConnectivityRedraw{0.25, seed};
        p.types = TypeRedraw{{0.1, 0.2, 0.3, 0.4}, seed};
    } else if (name == "supp_6") {
        p.connectivity = ConnectivityRedraw{0.5, seed};
        p.types = TypeRedraw{{0.6, 0.4, 0.0, 0.0}, seed};
    } else {
        throw InputError("perturbation preset '" + name + "': expected supp_5 or supp_6");
    }
    return p;
}

std::vector<std::string> perturbationPresets()
{
    return {"supp_5", "supp_6"};
}

} // namespace plexus
