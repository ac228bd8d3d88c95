// plexus-cli: the headless front end of Plexus. Exit codes: 0 ok, 1 failed (e.g. training diverged), 2 bad input
// or a run folder in use (the message says what), 130 stopped by Ctrl-C (what was done is kept).
#include "commands.h"
#include "run_folder.h"

#include "plexus/util/errors.h"
#include "plexus/util/thread_waiting.h"

#include <csignal>
#include <cstdio>
#include <cstring>
#include <exception>
#include <map>

namespace {

constexpr const char* kUsage = R"(plexus-cli — simulate neural assemblies and manage Plexus runs without a display.

Usage:
  plexus-cli simulate (--preset NAME | --config FILE) --out RUN_DIR [--set section.key=value ...] [--force]
  plexus-cli info RUN_DIR | --devices
  plexus-cli verify RUN_DIR [--tolerance T]
  plexus-cli export RUN_DIR --format npy|csv [--to DIR] [--neurons 0-9,42] [--frames FIRST:LAST]
  plexus-cli import AUTHORS_DIR --out RUN_DIR [--signal-model PDE_N2] [--input-mode MODE]
                    [--input-neurons M] [--delta-t DT] [--force]
  plexus-cli train RUN_DIR [--preset NAME | --config FILE] [--iterations N] [--resume] [--device cpu|cuda]
  plexus-cli evaluate RUN_DIR [--checkpoint FILE] [--rollout-frames N]
  plexus-cli reproduce NAME|all [--recipe fast|paper] [--budget-minutes M] [--out DIR] [--list]
  plexus-cli equations (RUN_DIR | --csv FILE) [--json] [--seed S] [--max-complexity C]
  plexus-cli perturb RUN_DIR [--preset supp_5|supp_6] [--silence LIST] [--cut A-B,…] [--frames K] [--json]
  plexus-cli presets [--show NAME]
  plexus-cli keys [--markdown]
  plexus-cli bench [--preset NAME] [--frames N] [--repeat K]

Exit codes: 0 done; 1 failed (e.g. training diverged); 2 bad input, or the run folder is in use by another
process (the message names it); 130 stopped by Ctrl-C (a checkpoint is kept, no half-written file).
Run `plexus-cli COMMAND --help` for details. See README.md and docs/ for more.
)";

void onInterrupt(int)
{
    if (plexus::cli::g_stopRequested.exchange(true))
        std::_Exit(130); // a second Ctrl-C: leave now
}

} // namespace

int main(int argc, char** argv)
{
    using namespace plexus::cli;
    plexus::ensurePassiveThreadWaiting(argv);
    std::signal(SIGINT, onInterrupt);
    std::signal(SIGTERM, onInterrupt);
    if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h") || !std::strcmp(argv[1], "help")) {
        std::fputs(kUsage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const std::map<std::string, int (*)(const Args&)> commands = {
        {"simulate", runSimulate}, {"info", runInfo},       {"export", runExport},
        {"import", runImport},     {"presets", runPresets}, {"bench", runBench},
        {"keys", runKeys},         {"verify", runVerify},
        {"train", runTrain},         {"evaluate", runEvaluate}, {"reproduce", runReproduce},
        {"equations", runEquations}, {"perturb", runPerturb},
    };
    auto command = commands.find(argv[1]);
    if (command == commands.end()) {
        std::fprintf(stderr, "plexus-cli: unknown command '%s'\n\n%s", argv[1], kUsage);
        return 2;
    }
    Args args(argv + 2, argv + argc);
    try {
        return command->second(args);
    } catch (const plexus::InputError& e) {
        std::fprintf(stderr, "\nplexus-cli %s: error: %s\n", argv[1], e.what());
        return 2;
    } catch (const plexus::CancelledError&) {
        std::fprintf(stderr, "\nplexus-cli %s: stopped; no partial file was written.\n", argv[1]);
        return kExitStopped;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "\nplexus-cli %s: failed: %s\n", argv[1], e.what());
        return 1;
    }
}
