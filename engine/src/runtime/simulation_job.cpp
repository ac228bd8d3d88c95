#include "plexus/runtime/simulation_job.h"

#include "plexus/data/dataset_file.h"
#include "plexus/sim/simulator.h"

namespace plexus {

SimulationJob::SimulationJob(ExperimentConfig config, std::string datasetPath)
    : m_config(std::move(config)), m_path(std::move(datasetPath))
{
}

SimulationJob::~SimulationJob()
{
    stop();
}

std::shared_ptr<const Dataset> SimulationJob::result() const
{
    std::lock_guard lock(resultMutex());
    return m_result;
}

void SimulationJob::work(const Progress& progress)
{
    auto data = std::make_shared<Dataset>(simulate(m_config, progress));
    if (!m_path.empty())
        saveDataset(*data, m_path, progress);
    std::lock_guard lock(resultMutex());
    m_result = std::move(data);
}

} // namespace plexus
