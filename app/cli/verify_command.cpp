#include "commands.h"
#include "progress_line.h"
#include "run_folder.h"

#include "plexus/analysis/derivative_check.h"
#include "plexus/data/dataset_file.h"

#include <cstdio>

namespace plexus::cli {

namespace {

constexpr const char* kUsage = R"(plexus-cli verify RUN_DIR [--tolerance T]

Recomputes du/dt from the stored activity, input, true W and parameters with the equations of the paper
(in double precision, independently of the simulator) at every stored frame, and compares it with the stored
derivative. Exit 0 when the largest relative difference is below T (default 1e-4), 1 otherwise.
)";

} // namespace

int runVerify(const Args& argv)
{
    if (printHelpIfAsked(argv, kUsage))
        return 0;
    CliArgs args(argv, {"tolerance"}, {});
    const double tolerance = args.doubleValue("tolerance", 1e-4);
    const std::string path = datasetPathOf(args.requirePositional("RUN_DIR"));
    Dataset d = loadDataset(path);
    ProgressLine line("frames");
    Progress progress = progressOn(line);
    DerivativeCheck check = checkDerivative(d, progress);
    line.finish();
    const bool ok = check.maxRelativeError <= tolerance;
    std::printf("%s: stored du/dt %s the %s equations at all %lld frames x %lld neurons\n"
                "  max |difference| %.3g, max relative %.3g (frame %lld, neuron %lld), tolerance %.1g\n",
                path.c_str(), ok ? "matches" : "DOES NOT match", d.signalModel.c_str(),
                static_cast<long long>(check.framesChecked), static_cast<long long>(d.neurons()),
                check.maxAbsoluteError, check.maxRelativeError, static_cast<long long>(check.worstFrame),
                static_cast<long long>(check.worstNeuron), tolerance);
    return ok ? 0 : 1;
}

} // namespace plexus::cli
