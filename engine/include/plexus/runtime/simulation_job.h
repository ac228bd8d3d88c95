#pragma once

#include "plexus/config/experiment_config.h"
#include "plexus/data/dataset.h"
#include "plexus/runtime/background_job.h"

#include <memory>
#include <string>

namespace plexus {

/// A simulation on its own thread (the Studio's "Simulate"): simulate the config, then write the dataset file
/// atomically when a path is given. Progress and the result are pulled by the caller; stop() cancels and
/// nothing is written.
class SimulationJob : public BackgroundJob
{
public:
    SimulationJob(ExperimentConfig config, std::string datasetPath);
    ~SimulationJob() override;
    /// The dataset once Finished (nullptr before).
    std::shared_ptr<const Dataset> result() const;

protected:
    void work(const Progress& progress) override;

private:
    ExperimentConfig m_config;
    std::string m_path;
    std::shared_ptr<const Dataset> m_result;
};

} // namespace plexus
