#include "trained_run.h"

#include "run_folder.h"

#include "plexus/config/config_loader.h"
#include "plexus/data/dataset_file.h"
#include "plexus/util/errors.h"

#include <cstdio>
#include <filesystem>

namespace plexus::cli {

TrainedRun loadTrainedRun(const std::string& runDir, const std::string& checkpointOption)
{
    const std::string checkpoint = checkpointOption.empty() ? Trainer::latestCheckpoint(runDir) : checkpointOption;
    if (checkpoint.empty())
        throw InputError(runDir + " has no checkpoint; train first: plexus-cli train " + runDir);
    TrainedRun run;
    run.config = loadConfigFile((std::filesystem::path(runDir) / "config.yaml").string()).config;
    run.data = std::make_shared<const Dataset>(loadDataset(datasetPathOf(runDir)));
    run.trainer = std::make_unique<Trainer>(run.config, run.data, TrainingOptions{});
    run.trainer->loadWeights(checkpoint);
    return run;
}

} // namespace plexus::cli
