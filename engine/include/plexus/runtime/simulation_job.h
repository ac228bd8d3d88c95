#pragma once

#include "plexus/config/experiment_config.h"
#include "plexus/data/dataset.h"

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace plexus {

/// A simulation on its own thread (the Studio's "Simulate"): simulate the config, then write the dataset file
/// atomically when a path is given. Progress and the result are pulled by the caller; stop() cancels and
/// nothing is written. The destructor stops and joins.
class SimulationJob
{
public:
    enum class State { Idle, Running, Finished, Stopped, Failed };

    SimulationJob(ExperimentConfig config, std::string datasetPath);
    ~SimulationJob();
    SimulationJob(const SimulationJob&) = delete;
    SimulationJob& operator=(const SimulationJob&) = delete;

    void start();
    void stop(); ///< cancels and joins
    State state() const { return m_state.load(); }
    std::string errorMessage() const;
    /// Fraction done, 0..1, and what is being done ("simulating", "writing").
    double fraction() const { return m_fraction.load(); }
    std::string phase() const;
    /// The dataset once Finished (nullptr before).
    std::shared_ptr<const Dataset> result() const;

private:
    void run();

    ExperimentConfig m_config;
    std::string m_path;
    std::thread m_worker;
    std::atomic<bool> m_stop{false};
    std::atomic<State> m_state{State::Idle};
    std::atomic<double> m_fraction{0.0};
    mutable std::mutex m_mutex;
    std::string m_phase, m_error;
    std::shared_ptr<const Dataset> m_result;
};

} // namespace plexus
