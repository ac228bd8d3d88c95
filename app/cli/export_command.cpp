#include "commands.h"
#include "progress_line.h"
#include "run_folder.h"

#include "plexus/data/authors_layout.h"
#include "plexus/data/csv_export.h"
#include "plexus/data/dataset_file.h"
#include "plexus/util/errors.h"

#include <cstdio>
#include <filesystem>

namespace plexus::cli {

namespace fs = std::filesystem;

namespace {

constexpr const char* kUsage = R"(plexus-cli export RUN_DIR --format npy|csv [--to DIR] [--neurons LIST] [--frames FIRST:LAST]

  --format npy   the authors' layout: x_list_0.npy (frames, N, 8), y_list_0.npy (frames, N, 1), connectivity.npy
  --format csv   activity.csv (frame, time, one column per neuron), neurons.csv (id, type, x, y),
                 connectivity.csv (true W, row = postsynaptic) and stimulus.csv when there is an input
  --to DIR       where to write (default RUN_DIR/export)
  --neurons LIST CSV only: neurons to include, e.g. 0-9,42 (default all)
  --frames A:B   CSV only: frame range, inclusive (default all)
The npy layout is always the whole dataset (the authors' tools expect every neuron and frame): --neurons and
--frames are refused with it.
Files are written atomically: a stopped export leaves no partial file.
)";

CsvSelection parseSelection(const CliArgs& args, const Dataset& d)
{
    CsvSelection selection;
    if (args.has("neurons"))
        selection.neurons = parseIndexList(args.value("neurons"), d.neurons());
    if (args.has("frames")) {
        std::string text = args.value("frames");
        auto colon = text.find(':');
        try {
            if (colon == std::string::npos)
                throw std::invalid_argument(text);
            selection.firstFrame = colon == 0 ? 0 : std::stoll(text.substr(0, colon));
            selection.lastFrame = colon + 1 == text.size() ? -1 : std::stoll(text.substr(colon + 1));
        } catch (const std::exception&) {
            throw InputError("--frames: expected FIRST:LAST (e.g. 0:999), got '" + text + "'");
        }
    }
    return selection;
}

} // namespace

int runExport(const Args& argv)
{
    if (printHelpIfAsked(argv, kUsage))
        return 0;
    CliArgs args(argv, {"format", "to", "neurons", "frames"}, {});
    const std::string runDir = args.requirePositional("RUN_DIR");
    const std::string format = args.value("format");
    if (format != "npy" && format != "csv")
        throw InputError("--format: expected npy or csv, got '" + format + "'");
    if (format == "npy" && (args.has("neurons") || args.has("frames")))
        throw InputError("--neurons and --frames apply to --format csv only; --format npy writes the whole dataset "
                         "(the authors' layout)");
    const std::string path = datasetPathOf(runDir);
    Dataset d = loadDataset(path);
    const fs::path out = args.has("to") ? fs::path(args.value("to")) : fs::path(path).parent_path() / "export";
    fs::create_directories(out);
    ProgressLine line("frames");
    Progress progress = progressOn(line);
    if (format == "npy") {
        exportAuthorsLayout(d, out.string(), progress);
        line.finish();
        std::printf("wrote %s/{x_list_0.npy, y_list_0.npy, connectivity.npy}\n", out.c_str());
        return 0;
    }
    CsvSelection selection = parseSelection(args, d);
    exportTracesCsv(d, d.activity, "u", (out / "activity.csv").string(), selection, progress);
    exportNeuronsCsv(d, (out / "neurons.csv").string());
    exportMatrixCsv(d.connectivity, (out / "connectivity.csv").string());
    if (d.stimulusReceivers() > 0) {
        FrameMatrix padded(d.frames(), d.neurons());
        padded.setConstant(d.neutralInput());
        padded.leftCols(d.stimulusReceivers()) = d.stimulus;
        exportTracesCsv(d, padded, "input", (out / "stimulus.csv").string(), selection, progress);
    }
    line.finish();
    std::printf("wrote %s/{activity.csv, neurons.csv, connectivity.csv%s}\n", out.c_str(),
                d.stimulusReceivers() > 0 ? ", stimulus.csv" : "");
    return 0;
}

} // namespace plexus::cli
