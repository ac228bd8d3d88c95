#include "commands.h"
#include "progress_line.h"
#include "run_folder.h"

#include "plexus/config/config_loader.h"
#include "plexus/config/presets.h"
#include "plexus/data/authors_layout.h"
#include "plexus/data/csv_export.h"
#include "plexus/data/recording_import.h"
#include "plexus/runtime/run_folder.h"
#include "plexus/runtime/run_folder_lock.h"
#include "plexus/data/dataset_file.h"
#include "plexus/util/errors.h"

#include <cstdio>
#include <filesystem>
#include <tuple>

namespace plexus::cli {

namespace fs = std::filesystem;

namespace {

constexpr const char* kUsage = R"(plexus-cli import SOURCE --out RUN_DIR [--format authors|suite2p|nwb|csv|npy|hdf5] [options]

Reads a recording or the authors' layout into RUN_DIR/dataset.h5 (docs/recordings.md).

--format authors (default): x_list_0.npy, y_list_0.npy, optional connectivity.npy, with their ground truth.
  --signal-model NAME   PDE_N2 (default), PDE_N4 or PDE_N5
  --input-mode MODE     none, additive or multiplicative (default: none when column 4 is zero, else multiplicative)
  --input-neurons M     the first M neurons receive the input (default: all when there is one)
  --delta-t DT          time step of the recording (default 0.01)

--format suite2p|nwb|csv|npy|hdf5: a recording without ground truth; du/dt is estimated from it, and
RUN_DIR/config.yaml is written from --preset (default demo) for its model and training settings.
  suite2p: a plane folder (F.npy, Fneu.npy, iscell.npy, ops.npy); nwb: an NWB file (processing/ophys DfOverF or
  Fluorescence); csv/npy/hdf5: a matrix of neurons and frames.
  --rate HZ             frames per second (needed when the file does not say: csv, npy, hdf5)
  --layout L            neurons-by-time or time-by-neurons (csv/npy/hdf5; default: the longer axis is time)
  --dataset PATH        hdf5: the dataset; nwb: the series (default: the only 2-D dataset / the first series)
  --neuropil-factor F   suite2p: F − F·Fneu (default 0.7); --no-neuropil keeps F as it is
  --all-rois            suite2p: keep the ROIs iscell.npy rejects
  --frames FIRST:LAST   keep frames FIRST .. LAST, inclusive (one half, for plexus-cli evaluate --compare; or to
                        cut off missing frames at an edge)
  --max-gap K           interpolate runs of up to K missing (NaN) frames (default 0: refuse them)
  --normalise HOW       none (default), zscore (per neuron) or scale (all neurons by one std)
  --derivative METHOD   savgol (default, --window 7 --order 2) or central; noisy data want a wider window
  --smooth-activity     savgol: train on the window's smoothed activity too (denoised inputs as well as targets)
  --positions FILE      neuron positions, CSV or NPY [N, 2] (for the network view)
  --input FILE          an external input, CSV or NPY [frames, M] (the first M neurons receive it; --input-mode)
  --force               replace an existing dataset in RUN_DIR
)";

RecordingOptions recordingOptions(const CliArgs& args)
{
    RecordingOptions o;
    o.format = args.value("format");
    o.rate = args.doubleValue("rate", 0.0);
    if (args.has("rate") && !(o.rate > 0))
        throw InputError("--rate: expected a positive number of frames per second");
    if (args.has("layout"))
        o.layout = parseMatrixLayout(args.value("layout"));
    o.dataset = args.value("dataset");
    o.subtractNeuropil = !args.has("no-neuropil");
    o.neuropilFactor = args.doubleValue("neuropil-factor", 0.7);
    o.keepAllRois = args.has("all-rois");
    if (args.has("frames"))
        std::tie(o.firstFrame, o.lastFrame) = parseFrameRange(args.value("frames"));
    o.maxGap = args.intValue("max-gap", 0);
    if (o.maxGap < 0)
        throw InputError("--max-gap: expected 0 or more frames");
    o.positions = args.value("positions");
    o.input = args.value("input");
    o.inputMode = args.value("input-mode", "additive");
    if (o.inputMode != "additive" && o.inputMode != "multiplicative")
        throw InputError("--input-mode: expected additive or multiplicative for a recording's input");
    o.normalise = args.value("normalise", "none");
    o.derivative.method = parseDerivativeMethod(args.value("derivative", "savgol"));
    o.derivative.window = static_cast<int>(args.intValue("window", 7));
    o.derivative.order = static_cast<int>(args.intValue("order", 2));
    o.derivative.smoothActivity = args.has("smooth-activity");
    o.signalModel = args.value("signal-model", "PDE_N2");
    return o;
}

void printSummary(const RecordingSummary& s)
{
    std::printf("read          %lld neurons, %lld kept; %lld frames at %.4g Hz (%s); %s\n",
                static_cast<long long>(s.neuronsRead), static_cast<long long>(s.neuronsKept),
                static_cast<long long>(s.frames), s.rate, s.rateSource.c_str(), s.layout.c_str());
    std::printf("values        %.4g .. %.4g%s\n", s.minimum, s.maximum,
                s.interpolatedFrames > 0
                    ? (", " + std::to_string(s.interpolatedFrames) + " missing frames interpolated").c_str()
                    : "");
    for (const std::string& note : s.notes)
        std::printf("note          %s\n", note.c_str());
}

int importRecordingCommand(const CliArgs& args, const Args& argv)
{
    const std::string source = args.requirePositional("SOURCE");
    if (!args.has("out"))
        throw InputError("missing --out RUN_DIR");
    const RecordingOptions options = recordingOptions(args);
    const fs::path runDir = args.value("out");
    const std::string target = (runDir / "dataset.h5").string();
    if (fs::exists(target) && !args.has("force"))
        throw InputError(target + " already exists; use --force to replace it");
    ProgressLine line("steps");
    Progress progress = progressOn(line);
    RecordingSummary summary;
    const std::string preset = args.value("preset", "demo");
    loadPreset(preset); // an unknown preset fails before anything is read
    const NewFolderGuard cleanup(runDir.string());
    const auto lock = RunFolderLock::acquire(runDir.string(), commandLine("import", argv));
    const ExperimentConfig config = importRecordingTo(source, options, target, preset, &summary, progress);
    saveConfigFile(config, RunFolder(runDir.string()).configPath());
    line.finish();
    printSummary(summary);
    std::printf("imported %lld frames x %lld neurons (no ground truth) into %s\n",
                static_cast<long long>(summary.frames), static_cast<long long>(summary.neuronsKept), target.c_str());
    return 0;
}

} // namespace

int runImport(const Args& argv)
{
    if (printHelpIfAsked(argv, kUsage))
        return 0;
    CliArgs args(argv,
                 {"out", "signal-model", "input-mode", "input-neurons", "delta-t", "format", "rate", "layout", "dataset",
                  "neuropil-factor", "max-gap", "positions", "input", "normalise", "derivative", "window", "order",
                  "preset", "frames"},
                 {"force", "no-neuropil", "all-rois", "smooth-activity"});
    const std::string format = args.value("format", "authors");
    if (format != "authors")
        return importRecordingCommand(args, argv);
    const std::string source = args.requirePositional("AUTHORS_DIR");
    if (!args.has("out"))
        throw InputError("missing --out RUN_DIR");
    AuthorsImportOptions options;
    options.signalModel = args.value("signal-model", "PDE_N2");
    if (options.signalModel != "PDE_N2" && options.signalModel != "PDE_N4" && options.signalModel != "PDE_N5")
        throw InputError("--signal-model: expected PDE_N2, PDE_N4 or PDE_N5, got '" + options.signalModel + "'");
    options.inputMode = args.value("input-mode");
    if (!options.inputMode.empty() && options.inputMode != "none" && options.inputMode != "additive" &&
        options.inputMode != "multiplicative")
        throw InputError("--input-mode: expected none, additive or multiplicative, got '" + options.inputMode + "'");
    options.inputNeurons = args.intValue("input-neurons", -1);
    options.deltaT = args.doubleValue("delta-t", 0.01);
    if (!(options.deltaT > 0))
        throw InputError("--delta-t: expected a positive number");
    const fs::path runDir = args.value("out");
    const std::string target = (runDir / "dataset.h5").string();
    if (fs::exists(target) && !args.has("force"))
        throw InputError(target + " already exists; use --force to replace it");
    ProgressLine line("frames");
    Progress progress = progressOn(line);
    Dataset d = importAuthorsLayout(source, options, progress);
    const NewFolderGuard cleanup(runDir.string());
    const auto lock = RunFolderLock::acquire(runDir.string(), commandLine("import", argv));
    saveDataset(d, target, progress);
    line.finish();
    std::printf("imported %lld frames x %lld neurons (%lld types) into %s\n", static_cast<long long>(d.frames()),
                static_cast<long long>(d.neurons()), static_cast<long long>(d.typeCount()), target.c_str());
    return 0;
}

} // namespace plexus::cli
