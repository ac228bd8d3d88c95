#pragma once

#include <Eigen/Core>

#include <cstdint>
#include <string>
#include <vector>

namespace plexus {

/// [frames, columns] float32, row-major so that one frame is contiguous.
using FrameMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

/// One simulated (or imported) recording with its ground truth: what training learns from and is scored against.
struct Dataset
{
    FrameMatrix activity;           ///< u [frames, N]
    FrameMatrix derivative;         ///< exact noise-free du/dt at each saved state [frames, N] (the training target)
    FrameMatrix stimulus;           ///< external values of the receiving neurons 0..M−1 [frames, M]; M = 0 if none
    std::vector<std::int32_t> types; ///< true neuron type [N]
    Eigen::MatrixX2f positions;     ///< 2-D positions [N, 2] (display only)
    Eigen::MatrixXf connectivity;   ///< true W [N, N], row = postsynaptic
    Eigen::MatrixXd typeParameters; ///< per-type parameter table [K, P]

    std::string signalModel = "PDE_N2"; ///< PDE_N2 | PDE_N4 | PDE_N5
    std::string inputType = "none";     ///< external_input_type
    std::string inputMode = "none";     ///< external_input_mode
    double deltaT = 0.01;               ///< Euler step (time units per frame)
    std::int64_t startFrame = 0;        ///< warm-up steps were start_frame..−1
    std::string configYaml;             ///< the full config that generated it (empty for imports)

    std::int64_t frames() const { return activity.rows(); }
    std::int64_t neurons() const { return activity.cols(); }
    std::int64_t stimulusReceivers() const { return stimulus.cols(); }
    std::int64_t typeCount() const;
    /// The true type of a neuron, or −1 when the data have none (a recording).
    std::int32_t typeOf(std::int64_t neuron) const
    {
        return types.empty() ? -1 : types[static_cast<std::size_t>(neuron)];
    }

    /// Neutral external value of neurons that receive nothing (1 multiplicative, 0 otherwise).
    float neutralInput() const { return inputMode == "multiplicative" ? 1.0f : 0.0f; }
    /// The external column of the authors' x_list (column 4) for one frame, all N neurons.
    void externalColumn(std::int64_t frame, Eigen::Ref<Eigen::VectorXf> out) const;

    /// Throws InputError naming the inconsistent part (shapes, NaN) — used after loading anything.
    void checkConsistent(const std::string& source) const;
};

} // namespace plexus
