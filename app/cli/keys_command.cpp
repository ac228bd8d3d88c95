#include "commands.h"
#include "run_folder.h"

#include "plexus/config/config_schema.h"

#include <cstdio>

namespace plexus::cli {

namespace {

constexpr const char* kUsage = R"(plexus-cli keys [--markdown]

Lists every experiment config key: section.key, type, default, what changing it needs, and what it means.
Keys marked "later" are read and kept but not acted on yet by this version.
)";

const char* effectName(FieldEffect effect)
{
    switch (effect) {
    case FieldEffect::Simulation: return "new simulation";
    case FieldEffect::Training: return "new training";
    case FieldEffect::Display: return "live";
    }
    return "";
}

} // namespace

int runKeys(const Args& argv)
{
    if (printHelpIfAsked(argv, kUsage))
        return 0;
    CliArgs args(argv, {}, {"markdown"});
    const ExperimentConfig defaults;
    const bool markdown = args.has("markdown");
    if (markdown)
        std::printf("| key | type | default | change needs | used | meaning |\n|---|---|---|---|---|---|\n");
    for (const auto& field : configSchema()) {
        std::string value = formatValue(field.get(defaults));
        const char* usage = field.usage == FieldUsage::Used ? "yes" : "later";
        if (markdown)
            std::printf("| `%s` | %s | `%s` | %s | %s | %s |\n", field.path().c_str(), describeType(field.type),
                        value.c_str(), effectName(field.effect), usage, field.help.c_str());
        else
            std::printf("%-42s %-14s %-6s %s (default %s)\n", field.path().c_str(), effectName(field.effect), usage,
                        field.help.c_str(), value.c_str());
    }
    return 0;
}

} // namespace plexus::cli
