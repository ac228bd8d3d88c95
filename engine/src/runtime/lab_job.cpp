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

std::shared_ptr<const PerturbationResult> LabJob::result() const
{
    std::lock_guard lock(resultMutex());
    return m_result;
}

void LabJob::work(const Progress& progress)
{
    if (m_checkpoint.empty())
        throw InputError("the lab needs a trained model: train first (no checkpoint in this run)");
    if (!m_data)
        throw InputError("the lab needs the run's dataset: simulate first");
    Trainer trainer(m_config, m_data);
    trainer.loadWeights(m_checkpoint);
    auto result = std::make_shared<const PerturbationResult>(
        runPerturbation(trainer.model(), *m_data, m_config, m_perturbation, m_frames, progress));
    std::lock_guard lock(resultMutex());
    m_result = std::move(result);
}

} // namespace plexus
