#pragma once

// Private to the engine: includes LibTorch.
#include "model/assembly_model.h"

#include "plexus/data/dataset.h"

#include <torch/torch.h>

#include <memory>
#include <string>

namespace plexus {

/// The output layers of φ* and ψ* set to their least-squares values given W, the latents and the hidden layers
/// (docs/training.md, "Connectivity refit": the functions' half). With h(·) ψ*'s last hidden layer and g(·) φ*'s,
/// ψ* = vᵀh + c and φ* = pᵀg + q, so the prediction dû_i/dt = pᵀg(u_i, a_i) + q + Σ_j W_ij (vᵀh(u_j, a_j) + c)
/// (+ the known additive input) is linear in (v, c, p, q): one small least-squares problem over the training frames,
/// whose features are W·H per frame. Gradient steps settle the directions where all terms of du/dt change together
/// slowly (du/dt is their small difference); this solves them exactly. Alternated with ConnectivityRefit (bilinear
/// in W and v). Not for PDE_N5 (ψ* depends on the receiver) nor a learned stimulus field.
class FunctionRefit
{
public:
    /// The frames 0 … `frames` − 1 of `data` are used (the training frames), at most kMostFrames of them.
    FunctionRefit(AssemblyModel model, std::shared_ptr<const Dataset> data, int64_t frames);

    /// Why the refit cannot serve this model ("" when it can).
    static std::string unsupportedReason(const AssemblyModelImpl& model);

    /// Sets both output layers (in place, without gradient).
    void apply();
    /// The mean squared prediction error over the frames used, before and after the last apply().
    double errorBefore() const { return m_errorBefore; }
    double errorAfter() const { return m_errorAfter; }

    /// Evenly spaced training frames the sums use: the unknowns are a few hundred, the equations frames × N.
    static constexpr int64_t kMostFrames = 1024;

private:
    /// The design matrix [frames × N, P] (double) and the targets [frames × N] of some frames.
    void features(const torch::Tensor& frames, torch::Tensor& design, torch::Tensor& target);
    /// The output layers' current values, in the order of the design matrix's columns: v, c, p, q.
    torch::Tensor currentOutput() const;
    void setOutput(const torch::Tensor& theta);

    AssemblyModel m_model;
    std::shared_ptr<const Dataset> m_data;
    int64_t m_frames;
    double m_errorBefore = 0.0, m_errorAfter = 0.0;
};

} // namespace plexus
