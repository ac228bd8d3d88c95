#pragma once

#include "plexus/config/experiment_config.h"
#include "plexus/data/dataset.h"
#include "plexus/lab/perturbed_rollout.h"

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace plexus {

/// One perturbed roll-out on its own thread (the Studio's Lab "Run", docs/lab.md): loads the trained model from
/// `checkpoint`, applies the perturbation to both sides and integrates them. Progress and the result are pulled by
/// the caller; stop() cancels (no result). The destructor stops and joins.
class LabJob
{
public:
    enum class State { Idle, Running, Finished, Stopped, Failed };

    LabJob(ExperimentConfig config, std::shared_ptr<const Dataset> data, std::string checkpoint,
           Perturbation perturbation, std::int64_t frames);
    ~LabJob();
    LabJob(const LabJob&) = delete;
    LabJob& operator=(const LabJob&) = delete;

    void start();
    void stop(); ///< cancels and joins
    State state() const { return m_state.load(); }
    std::string errorMessage() const;
    double fraction() const { return m_fraction.load(); }
    /// The result once Finished (nullptr before).
    std::shared_ptr<const PerturbationResult> result() const;
    const std::string& checkpoint() const { return m_checkpoint; }

private:
    void run();

    ExperimentConfig m_config;
    std::shared_ptr<const Dataset> m_data;
    std::string m_checkpoint;
    Perturbation m_perturbation;
    std::int64_t m_frames;
    std::thread m_worker;
    std::atomic<bool> m_stop{false};
    std::atomic<State> m_state{State::Idle};
    std::atomic<double> m_fraction{0.0};
    mutable std::mutex m_mutex;
    std::string m_error;
    std::shared_ptr<const PerturbationResult> m_result;
};

} // namespace plexus
