#include "plexus/runtime/lab_job.h"

#include "plexus/train/trainer.h"
#include "plexus/util/errors.h"

namespace plexus {

LabJob::LabJob(ExperimentConfig config, std::shared_ptr<const Dataset> data, std::string checkpoint,
               Perturbation perturbation, std::int64_t frames)
    : m_config(std::move(config)), m_data(std::move(data)), m_checkpoint(std::move(checkpoint)),
      m_perturbation(std::move(perturbation)), m_frames(frames)
{
}

LabJob::~LabJob()
{
    stop();
}

void LabJob::start()
{
    if (m_worker.joinable())
        return;
    m_state = State::Running;
    m_worker = std::thread([this] { run(); });
}

void LabJob::stop()
{
    m_stop = true;
    if (m_worker.joinable())
        m_worker.join();
}

std::string LabJob::errorMessage() const
{
    std::lock_guard lock(m_mutex);
    return m_error;
}

std::shared_ptr<const PerturbationResult> LabJob::result() const
{
    std::lock_guard lock(m_mutex);
    return m_result;
}

void LabJob::run()
{
    Progress progress;
    progress.stopRequested = &m_stop;
    progress.report = [this](const std::string&, std::int64_t done, std::int64_t total) {
        m_fraction = total > 0 ? static_cast<double>(done) / static_cast<double>(total) : 0.0;
    };
    try {
        if (m_checkpoint.empty())
            throw InputError("the lab needs a trained model: train first (no checkpoint in this run)");
        if (!m_data)
            throw InputError("the lab needs the run's dataset: simulate first");
        Trainer trainer(m_config, m_data);
        trainer.loadWeights(m_checkpoint);
        auto result = std::make_shared<const PerturbationResult>(
            runPerturbation(trainer.model(), *m_data, m_config, m_perturbation, m_frames, progress));
        {
            std::lock_guard lock(m_mutex);
            m_result = std::move(result);
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
