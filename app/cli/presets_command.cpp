#include "commands.h"
#include "run_folder.h"

#include "plexus/config/presets.h"

#include <cstdio>

namespace plexus::cli {

namespace {

constexpr const char* kUsage = R"(plexus-cli presets [--show NAME]

Lists the built-in experiments (teaching demos, then the paper's), one line each.
  --show NAME   print that preset's YAML (copy it to a file to make your own experiment)
)";

} // namespace

int runPresets(const Args& argv)
{
    if (printHelpIfAsked(argv, kUsage))
        return 0;
    CliArgs args(argv, {"show"}, {});
    if (args.has("show")) {
        std::fputs(presetText(args.value("show")).c_str(), stdout);
        return 0;
    }
    for (const auto& preset : listPresets())
        std::printf("%-10s %s\n", preset.name.c_str(), preset.description.c_str());
    return 0;
}

} // namespace plexus::cli
