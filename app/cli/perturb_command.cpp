#include "commands.h"
#include "progress_line.h"
#include "run_folder.h"
#include "trained_run.h"

#include "plexus/lab/perturbation_file.h"
#include "plexus/lab/perturbed_rollout.h"
#include "plexus/runtime/run_folder.h"
#include "plexus/train/trainer.h"
#include "plexus/util/errors.h"

#include <cstdio>
#include <filesystem>
#include <sstream>

namespace plexus::cli {

namespace {

constexpr const char* kUsage = R"(plexus-cli perturb RUN_DIR [--preset supp_5|supp_6] [--seed S] [--filling F] [--types P0,P1,…]
                           [--silence LIST] [--cut A-B,…] [--scale A-B=X,…] [--gain TA-TB=X,…]
                           [--param TYPE:NAME=VALUE,…] [--amplitude A] [--frequency F] [--movie PATH] [--silence-hubs K]
                           [--lab] [--frames K] [--checkpoint FILE] [--threads T] [--json]

The what-if lab (docs/lab.md): changes the circuit on both sides — the true simulator and the trained model of
RUN_DIR — rolls both out for K frames (default 1000) from the dataset's first frame, and prints how far they
agree: R² and slope of learned against true activity across neurons at frames 400 and 800, every 10 frames
(--json), the mean per-neuron r, and which neurons part first.

  --preset supp_5|supp_6   the paper's generalisation tests: a new W with filling factor 0.25 / 0.5 and new
                           type proportions 10/20/30/40 % / 60/40/0/0 %; the learned side gets the new true W
                           times the learned scale and, per neuron, the latent of a training neuron of its type
  --filling F              a new true W drawn with filling factor F (--seed S, default 1)
  --types P0,P1,…          new type proportions, one per type (--seed S)
  --silence 3,17,40-45     neurons silenced: their outgoing connections cut, their activity held at 0
  --silence-hubs K         silence the K neurons with the strongest outgoing connections (Σ|W| of the true W)
  --cut A-B                cut the connection from neuron A to neuron B (W[B, A])
  --scale A-B=X            multiply the connection A → B by X
  --gain TA-TB=X           multiply every connection from type TA to type TB by X (any: every type)
  --param T:NAME=V         set type T's parameter NAME (g, s, c; or a, b, g, s, w, h) on the true side only
  --amplitude A, --frequency F   another oscillating input; --movie PATH another movie (both sides)
  --lab                    start from the Studio Lab's edits saved in RUN_DIR/lab.yaml
)";

std::vector<std::string> split(const std::string& text, char separator)
{
    std::vector<std::string> parts;
    std::stringstream in(text);
    std::string part;
    while (std::getline(in, part, separator))
        if (!part.empty())
            parts.push_back(part);
    return parts;
}

long long integer(const std::string& text, const std::string& option)
{
    try {
        std::size_t used = 0;
        const long long value = std::stoll(text, &used);
        if (used == text.size())
            return value;
    } catch (const std::exception&) {
    }
    throw InputError(option + ": expected a whole number, got '" + text + "'");
}

double real(const std::string& text, const std::string& option)
{
    try {
        std::size_t used = 0;
        const double value = std::stod(text, &used);
        if (used == text.size())
            return value;
    } catch (const std::exception&) {
    }
    throw InputError(option + ": expected a number, got '" + text + "'");
}

/// "A-B" → {A, B}.
std::pair<std::string, std::string> pair(const std::string& text, const std::string& option)
{
    const auto dash = text.find('-', 1);
    if (dash == std::string::npos)
        throw InputError(option + ": expected FROM-TO, got '" + text + "'");
    return {text.substr(0, dash), text.substr(dash + 1)};
}

/// "A-B=X" → {"A-B", X}.
std::pair<std::string, double> assignment(const std::string& text, const std::string& option)
{
    const auto equals = text.find('=');
    if (equals == std::string::npos)
        throw InputError(option + ": expected FROM-TO=FACTOR, got '" + text + "'");
    return {text.substr(0, equals), real(text.substr(equals + 1), option)};
}

std::int32_t typeValue(const std::string& text, const std::string& option)
{
    if (text == "any" || text == "*")
        return -1;
    return static_cast<std::int32_t>(integer(text, option));
}

void addSilenced(Perturbation& p, const std::string& list)
{
    for (const std::string& item : split(list, ',')) {
        const auto dash = item.find('-', 1);
        if (dash == std::string::npos) {
            p.silenced.push_back(integer(item, "--silence"));
            continue;
        }
        const long long first = integer(item.substr(0, dash), "--silence"), last = integer(item.substr(dash + 1), "--silence");
        if (last < first)
            throw InputError("--silence: the range " + item + " is empty");
        for (long long n = first; n <= last; ++n)
            p.silenced.push_back(n);
    }
}

void addEdits(Perturbation& p, const CliArgs& args)
{
    const std::int64_t seed = args.intValue("seed", 1);
    if (args.has("preset")) {
        const Perturbation preset = presetPerturbation(args.value("preset"), seed);
        p.connectivity = preset.connectivity;
        p.types = preset.types;
    }
    if (args.has("filling"))
        p.connectivity = ConnectivityRedraw{args.doubleValue("filling", 1.0), seed};
    if (args.has("types")) {
        TypeRedraw redraw{{}, seed};
        for (const std::string& item : split(args.value("types"), ','))
            redraw.proportions.push_back(real(item, "--types"));
        p.types = redraw;
    }
    for (const std::string& list : args.values("silence"))
        addSilenced(p, list);
    for (const std::string& list : args.values("cut"))
        for (const std::string& item : split(list, ',')) {
            const auto [from, to] = pair(item, "--cut");
            p.connections.push_back({integer(from, "--cut"), integer(to, "--cut"), 0.0});
        }
    for (const std::string& list : args.values("scale"))
        for (const std::string& item : split(list, ',')) {
            const auto [edge, factor] = assignment(item, "--scale");
            const auto [from, to] = pair(edge, "--scale");
            p.connections.push_back({integer(from, "--scale"), integer(to, "--scale"), factor});
        }
    for (const std::string& list : args.values("gain"))
        for (const std::string& item : split(list, ',')) {
            const auto [block, factor] = assignment(item, "--gain");
            const auto [from, to] = pair(block, "--gain");
            p.blocks.push_back({typeValue(from, "--gain"), typeValue(to, "--gain"), factor});
        }
    for (const std::string& list : args.values("param"))
        for (const std::string& item : split(list, ',')) {
            const auto colon = item.find(':'), equals = item.find('=');
            if (colon == std::string::npos || equals == std::string::npos || equals < colon)
                throw InputError("--param: expected TYPE:NAME=VALUE, got '" + item + "'");
            p.parameters.push_back({static_cast<std::int32_t>(integer(item.substr(0, colon), "--param")),
                                    item.substr(colon + 1, equals - colon - 1), real(item.substr(equals + 1), "--param")});
        }
    if (args.has("amplitude") || args.has("frequency") || args.has("movie")) {
        InputEdit input = p.input.value_or(InputEdit{});
        if (args.has("amplitude"))
            input.amplitude = args.doubleValue("amplitude", 1.0);
        if (args.has("frequency"))
            input.frequency = args.doubleValue("frequency", 1.0);
        if (args.has("movie"))
            input.movie = args.value("movie");
        p.input = input;
    }
}

void printResult(const PerturbationResult& r)
{
    const auto lines = r.perturbation.describe();
    if (lines.empty())
        std::printf("perturbation  none (the plain roll-out)\n");
    for (std::size_t i = 0; i < lines.size(); ++i)
        std::printf("%s%s\n", i ? "              " : "perturbation  ", lines[i].c_str());
    const RolloutScore& s = r.score;
    std::printf("roll-out      %lld frames%s: %s @400, %s @800, mean neuron r %.3f\n", static_cast<long long>(s.frames),
                s.divergedAt >= 0 ? " (the learned side diverged)" : "", rolloutText(s, 400, s.at400).c_str(),
                rolloutText(s, 800, s.at800).c_str(), s.meanNeuronCorrelation);
    if (r.departureOrder.empty()) {
        std::printf("parting       no neuron parts by more than %.3g\n", r.departureThreshold);
    } else {
        std::string first;
        for (std::size_t i = 0; i < std::min<std::size_t>(8, r.departureOrder.size()); ++i) {
            const std::int64_t n = r.departureOrder[i];
            first += (i ? ", " : "") + std::to_string(n) + " (frame " +
                     std::to_string(r.firstDeparture[static_cast<std::size_t>(n)]) + ")";
        }
        std::printf("parting       %zu neurons part by more than %.3g; first: %s\n", r.departureOrder.size(),
                    r.departureThreshold, first.c_str());
    }
    for (const std::string& note : r.network.notes)
        std::printf("note          %s\n", note.c_str());
}

} // namespace

int runPerturb(const Args& argv)
{
    if (printHelpIfAsked(argv, kUsage))
        return 0;
    CliArgs args(argv,
                 {"preset", "seed", "filling", "types", "silence", "cut", "scale", "gain", "param", "amplitude",
                  "frequency", "movie", "frames", "checkpoint", "threads", "silence-hubs"},
                 {"lab", "json"});
    const std::string runDir = args.requirePositional("RUN_DIR");
    setComputeThreads(computeThreads(args));
    LabState lab;
    if (args.has("lab")) {
        const std::string path = RunFolder(runDir).labPath();
        if (!std::filesystem::exists(path))
            throw InputError(path + ": no lab state here (the Studio's Lab panel saves it)");
        lab = loadLabState(path);
    }
    addEdits(lab.perturbation, args);
    const std::int64_t frames = args.positiveIntValue("frames", lab.frames);
    const std::string checkpoint = args.value("checkpoint", Trainer::latestCheckpoint(runDir));
    const TrainedRun run = loadTrainedRun(runDir, checkpoint);
    if (args.has("silence-hubs")) {
        if (run.data->connectivity.rows() != run.data->neurons())
            throw InputError("--silence-hubs: this run has no true W to find its hubs in");
        for (std::int64_t hub : hubNeurons(run.data->connectivity, static_cast<std::size_t>(args.positiveIntValue("silence-hubs", 1))))
            lab.perturbation.silenced.push_back(hub);
    }
    ProgressLine line("frames");
    const PerturbationResult result =
        runPerturbation(run.trainer->model(), *run.data, run.config, lab.perturbation, frames, progressOn(line));
    line.finish();
    if (args.has("json"))
        std::fputs(perturbationResultToJson(result).c_str(), stdout);
    else
        printResult(result);
    return 0;
}

} // namespace plexus::cli
