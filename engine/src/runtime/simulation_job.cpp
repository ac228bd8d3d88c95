#include "plexus/runtime/simulation_job.h"

#include "plexus/data/dataset_file.h"
#include "plexus/sim/simulator.h"
#include "plexus/util/errors.h"

namespace plexus {

SimulationJob::SimulationJob(ExperimentConfig config, std::string datasetPath)
    : m_config(std::move(config)), m_path(std::move(datasetPath))
{
}

SimulationJob::~SimulationJob()
{
    stop();
}

void SimulationJob::start()
{
    if (m_worker.joinable())
        return;
    m_state = State::Running;
    m_worker = std::thread([this] { run(); });
}

void SimulationJob::stop()
{
    m_stop = true;
    if (m_worker.joinable())
        m_worker.join();
}

std::string SimulationJob::errorMessage() const
{
    std::lock_guard lock(m_mutex);
    return m_error;
}

std::string SimulationJob::phase() const
{
    std::lock_guard lock(m_mutex);
    return m_phase;
}

std::shared_ptr<const Dataset> SimulationJob::result() const
{
    std::lock_guard lock(m_mutex);
    return m_result;
}

void SimulationJob::run()
{
    Progress progress;
    progress.stopRequested = &m_stop;
    progress.report = [this](const std::string& phase, std::int64_t done, std::int64_t total) {
        {
            std::lock_guard lock(m_mutex);
            m_phase = phase;
        }
        m_fraction = total > 0 ? static_cast<double>(done) / static_cast<double>(total) : 0.0;
    };
    try {
        auto data = std::make_shared<Dataset>(simulate(m_config, progress));
        if (!m_path.empty())
            saveDataset(*data, m_path, progress);
        {
            std::lock_guard lock(m_mutex);
            m_result = std::move(data);
        }
        m_state = State::Finished;
    } catch (const CancelledError&) {
        m_state = State::Stopped;
    } catch (const std::exception& e) {
        {
            std::lock_guard lock(m_mutex);
            m_error = e.what();
        }
        m_state = State::Failed;
    }
}

} // namespace plexus
