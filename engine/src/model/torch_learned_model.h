#pragma once

// Private to the engine: includes LibTorch.
#include "assembly_model.h"
#include "plexus/model/learned_model.h"

namespace plexus {

/// LearnedModel over an AssemblyModel: evaluates under no-grad on the model's device, returns host copies.
class TorchLearnedModel : public LearnedModel
{
public:
    /// `config` is the one the model was built from (restructured() builds its copies from it).
    TorchLearnedModel(AssemblyModel model, torch::Device device, const ExperimentConfig& config);

    std::int64_t neurons() const override;
    std::string signalModel() const override { return m_signalModel; }
    Eigen::MatrixXf latents() const override;
    Eigen::MatrixXf connectivity() const override;
    Eigen::MatrixXf updateCurves(const Eigen::VectorXf& samples, const std::vector<std::int64_t>& neurons = {}) const override;
    Eigen::MatrixXf transferCurves(const Eigen::VectorXf& samples,
                                   const std::vector<std::int64_t>& neurons = {}) const override;
    ReceiverInputs receiverInputs() const override;
    Eigen::MatrixXf transferCurvesInto(const Eigen::VectorXf& samples, const Eigen::VectorXf& receiver) const override;
    Eigen::VectorXf derivative(const Eigen::VectorXf& u, const Eigen::VectorXf& external) const override;
    bool hasStimulusField() const override { return m_model->hasStimulusField(); }
    Eigen::MatrixXf stimulusAmplitude(const std::vector<std::int64_t>& frames) const override;
    std::unique_ptr<LearnedModel> restructured(const Eigen::MatrixXf& latents,
                                               const Eigen::MatrixXf& connectivity) const override;

    /// [neurons, R] curves as a tensor on the device (empty `neurons`: all): `update` chooses φ* or ψ*.
    torch::Tensor curves(const torch::Tensor& samples, bool update, const std::vector<std::int64_t>& neurons = {}) const;

private:
    mutable AssemblyModel m_model; // evaluation only (no-grad); ModuleHolder is not const-correct
    torch::Device m_device;
    std::string m_signalModel;
    ExperimentConfig m_config;
};

/// Copies an Eigen matrix into a float tensor [rows, cols] on the CPU.
torch::Tensor toTensor(const Eigen::MatrixXf& matrix);

/// Copies a float tensor [rows, cols] (any device) into an Eigen matrix.
Eigen::MatrixXf toEigen(const torch::Tensor& tensor);

} // namespace plexus
