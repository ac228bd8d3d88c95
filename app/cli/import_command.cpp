#include "commands.h"
#include "progress_line.h"
#include "run_folder.h"

#include "plexus/data/authors_layout.h"
#include "plexus/runtime/run_folder_lock.h"
#include "plexus/data/dataset_file.h"
#include "plexus/util/errors.h"

#include <cstdio>
#include <filesystem>

namespace plexus::cli {

namespace fs = std::filesystem;

namespace {

constexpr const char* kUsage = R"(plexus-cli import AUTHORS_DIR --out RUN_DIR [options]

Reads the authors' layout (x_list_0.npy, y_list_0.npy, optional connectivity.npy) into RUN_DIR/dataset.h5.
  --signal-model NAME   PDE_N2 (default), PDE_N4 or PDE_N5
  --input-mode MODE     none, additive or multiplicative (default: none when column 4 is zero, else multiplicative)
  --input-neurons M     the first M neurons receive the input (default: all when there is one)
  --delta-t DT          time step of the recording (default 0.01)
  --force               replace an existing dataset in RUN_DIR
)";

} // namespace

int runImport(const Args& argv)
{
    if (printHelpIfAsked(argv, kUsage))
        return 0;
    CliArgs args(argv, {"out", "signal-model", "input-mode", "input-neurons", "delta-t"}, {"force"});
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
