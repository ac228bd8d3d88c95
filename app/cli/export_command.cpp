#include "commands.h"
#include "progress_line.h"
#include "run_folder.h"

#include "trained_run.h"

#include "plexus/analysis/evaluation.h"
#include "plexus/analysis/profile_clustering.h"
#include "plexus/data/authors_layout.h"
#include "plexus/data/npy_file.h"
#include "plexus/data/csv_export.h"
#include "plexus/data/dataset_file.h"
#include "plexus/util/errors.h"

#include "plexus/util/atomic_file.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <tuple>

namespace plexus::cli {

namespace fs = std::filesystem;

namespace {

constexpr const char* kUsage = R"(plexus-cli export RUN_DIR --format npy|csv [--to DIR] [--neurons LIST] [--frames FIRST:LAST]
       plexus-cli export RUN_DIR --learned --format npy|csv [--to DIR] [--checkpoint FILE]

  --learned      what the newest checkpoint learned, for other tools: learned_W (N × N, ψ*-corrected as the Studio
                 shows it, row = receiving neuron), latents (N × d), clusters (N: the cluster of each neuron,
                 found without ground truth) and function_profiles (N × 128: each neuron's φ* then ψ*/upper at 64
                 evenly spaced u in [−xnorm, xnorm], the curves the clusters are found from), as .npy (float32) or .csv

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

void writeMatrix(const std::string& path, const Eigen::MatrixXf& m, const std::string& format)
{
    const Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> rows = m;
    if (format == "npy") {
        writeNpy(path + ".npy", {rows.rows(), rows.cols()}, rows.data());
        return;
    }
    std::string text;
    for (Eigen::Index i = 0; i < rows.rows(); ++i) {
        for (Eigen::Index j = 0; j < rows.cols(); ++j)
            text += (j ? "," : "") + std::to_string(rows(i, j));
        text += "\n";
    }
    writeFileAtomic(path + ".csv", text);
}

int exportLearned(const CliArgs& args, const std::string& runDir, const std::string& format)
{
    const TrainedRun run = loadTrainedRun(runDir, args.value("checkpoint"));
    const LearnedModel& model = run.trainer->model();
    const double xnorm = activityScale(*run.data);
    const Eigen::MatrixXf w = correctedConnectivity(model.connectivity(), transferScales(model, run.config, xnorm));
    const std::vector<std::int32_t> clusters = recoverTypes(model, run.config, xnorm);
    Eigen::MatrixXf labels(static_cast<Eigen::Index>(clusters.size()), 1);
    for (std::size_t n = 0; n < clusters.size(); ++n)
        labels(static_cast<Eigen::Index>(n), 0) = static_cast<float>(clusters[n]);
    const fs::path out = args.has("to") ? fs::path(args.value("to")) : fs::path(runDir) / "export";
    fs::create_directories(out);
    writeMatrix((out / "learned_W").string(), w, format);
    writeMatrix((out / "latents").string(), model.latents(), format);
    writeMatrix((out / "clusters").string(), labels, format);
    writeMatrix((out / "function_profiles").string(), functionProfiles(model, run.config, xnorm), format);
    std::printf("wrote %s/{learned_W, latents, clusters, function_profiles}.%s (%lld neurons, %d clusters)\n", out.c_str(), format.c_str(),
                static_cast<long long>(w.rows()),
                clusters.empty() ? 0 : *std::max_element(clusters.begin(), clusters.end()) + 1);
    return 0;
}

CsvSelection parseSelection(const CliArgs& args, const Dataset& d)
{
    CsvSelection selection;
    if (args.has("neurons"))
        selection.neurons = parseIndexList(args.value("neurons"), d.neurons());
    if (args.has("frames"))
        std::tie(selection.firstFrame, selection.lastFrame) = parseFrameRange(args.value("frames"));
    return selection;
}

} // namespace

int runExport(const Args& argv)
{
    if (printHelpIfAsked(argv, kUsage))
        return 0;
    CliArgs args(argv, {"format", "to", "neurons", "frames", "checkpoint"}, {"learned"});
    const std::string runDir = args.requirePositional("RUN_DIR");
    const std::string format = args.value("format");
    if (format != "npy" && format != "csv")
        throw InputError("--format: expected npy or csv, got '" + format + "'");
    if (args.has("learned"))
        return exportLearned(args, runDir, format);
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
