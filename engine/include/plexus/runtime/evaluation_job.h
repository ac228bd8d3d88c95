#pragma once

#include "plexus/analysis/evaluation.h"
#include "plexus/config/experiment_config.h"
#include "plexus/data/dataset.h"
#include "plexus/runtime/background_job.h"

#include <memory>
#include <string>

namespace plexus {

/// `plexus-cli evaluate` on its own thread, for the Studio's summary card: loads the trained model from
/// `checkpoint` and scores it (evaluate, roll-out of `rolloutFrames`; no formula search). stop() cancels.
class EvaluationJob : public BackgroundJob
{
public:
    EvaluationJob(ExperimentConfig config, std::shared_ptr<const Dataset> data, std::string checkpoint,
                  std::int64_t rolloutFrames = 1000);
    ~EvaluationJob() override;
    /// The evaluation once Finished (nullptr before).
    std::shared_ptr<const Evaluation> result() const;
    const std::string& checkpoint() const { return m_checkpoint; }

protected:
    void work(const Progress& progress) override;

private:
    ExperimentConfig m_config;
    std::shared_ptr<const Dataset> m_data;
    std::string m_checkpoint;
    std::int64_t m_rolloutFrames;
    std::shared_ptr<const Evaluation> m_result;
};

} // namespace plexus
