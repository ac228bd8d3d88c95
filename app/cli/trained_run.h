#pragma once

#include "plexus/analysis/rollout.h"
#include "plexus/config/experiment_config.h"
#include "plexus/data/dataset.h"
#include "plexus/train/trainer.h"

#include <memory>
#include <string>

namespace plexus::cli {

/// A trained run folder opened for analysis (evaluate, equations): its config, its dataset, and a trainer holding a
/// checkpoint's weights.
struct TrainedRun
{
    ExperimentConfig config;
    std::shared_ptr<const Dataset> data;
    std::unique_ptr<Trainer> trainer;
};

/// Opens RUN_DIR with `checkpoint` ("" = the newest); InputError when it has none ("train first").
TrainedRun loadTrainedRun(const std::string& runDir, const std::string& checkpoint);

} // namespace plexus::cli
