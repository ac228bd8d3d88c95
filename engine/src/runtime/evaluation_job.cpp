#include "plexus/runtime/evaluation_job.h"

#include "plexus/train/trainer.h"
#include "plexus/util/errors.h"

namespace plexus {

EvaluationJob::EvaluationJob(ExperimentConfig config, std::shared_ptr<const Dataset> data, std::string checkpoint,
                             std::int64_t rolloutFrames)
    : m_config(std::move(config)), m_data(std::move(data)), m_checkpoint(std::move(checkpoint)),
      m_rolloutFrames(rolloutFrames)
{
}

EvaluationJob::~EvaluationJob()
{
    stop();
}

std::shared_ptr<const Evaluation> EvaluationJob::result() const
{
    std::lock_guard lock(resultMutex());
    return m_result;
}

void EvaluationJob::work(const Progress& progress)
{
    if (m_checkpoint.empty())
        throw InputError("the summary scores a trained model: train first (no checkpoint in this run)");
    if (!m_data)
        throw InputError("the summary needs the run's dataset: simulate first");
    Trainer trainer(m_config, m_data);
    trainer.loadWeights(m_checkpoint);
    auto result = std::make_shared<const Evaluation>(evaluate(trainer.model(), *m_data, m_config, m_rolloutFrames, progress));
    std::lock_guard lock(resultMutex());
    m_result = std::move(result);
}

} // namespace plexus
