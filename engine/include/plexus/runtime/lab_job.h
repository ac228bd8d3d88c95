#pragma once

#include "plexus/config/experiment_config.h"
#include "plexus/data/dataset.h"
#include "plexus/lab/perturbed_rollout.h"
#include "plexus/runtime/background_job.h"

#include <memory>
#include <string>

namespace plexus {

/// One perturbed roll-out on its own thread (the Studio's Lab "Run", docs/lab.md): loads the trained model from
/// `checkpoint`, applies the perturbation to both sides and integrates them. Progress and the result are pulled by
/// the caller; stop() cancels (no result).
class LabJob : public BackgroundJob
{
public:
    LabJob(ExperimentConfig config, std::shared_ptr<const Dataset> data, std::string checkpoint,
           Perturbation perturbation, std::int64_t frames);
    ~LabJob() override;
    /// The result once Finished (nullptr before).
    std::shared_ptr<const PerturbationResult> result() const;
    const std::string& checkpoint() const { return m_checkpoint; }

protected:
    void work(const Progress& progress) override;

private:
    ExperimentConfig m_config;
    std::shared_ptr<const Dataset> m_data;
    std::string m_checkpoint;
    Perturbation m_perturbation;
    std::int64_t m_frames;
    std::shared_ptr<const PerturbationResult> m_result;
};

} // namespace plexus
