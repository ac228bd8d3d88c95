#pragma once

#include <Eigen/Core>

#include <cstdint>
#include <string>
#include <vector>

namespace plexus {

enum class DynamicsModel { PdeN2, PdeN4, PdeN5 };
enum class InputMode { None, Additive, Multiplicative };

DynamicsModel parseDynamicsModel(const std::string& name); ///< "PDE_N2" | "PDE_N4" | "PDE_N5"
InputMode parseInputMode(const std::string& name);         ///< "none" | "additive" | "multiplicative"
std::size_t parameterCount(DynamicsModel model);           ///< 3 for PDE_N2 [g, s, c], else 6 [a, b, g, s, w, h]
/// The names of a type's parameters in table order: PDE_N2 {g, s, c}, else {a, b, g, s, w, h}.
std::vector<std::string> parameterNames(DynamicsModel model);

/// The right-hand side F(u, t) of the rate equations of docs/method.md §A.4, for all neurons at once.
///   PDE_N2: du_i/dt = −c_i u_i + s_i tanh(u_i) + g_i Σ_j W_ij tanh(u_j)
///   PDE_N4: du_i/dt = −a_i u_i + b_i + s_i tanh(u_i) + g_i Σ_j W_ij tanh((u_j − h_j)/w_j)
///   PDE_N5: du_i/dt = −a_i u_i + b_i + s_i tanh(u_i) + g_i Σ_j W_ij [tanh((u_j − h_j)/w_i) − u_j ln(w_j)/50]
/// with the external value e_i added (additive) or multiplying the message sum (multiplicative).
/// Cost: one dense mat-vec per call (PDE_N5: one per distinct receiver width, over that group's rows), its rows
/// split over the OpenMP threads for large N.
class Dynamics
{
public:
    /// `w` [N, N]; `types` [N] in 0..K−1; `params` [K, parameterCount(model)].
    Dynamics(DynamicsModel model, InputMode mode, Eigen::MatrixXf w, const std::vector<std::int32_t>& types,
             const Eigen::MatrixXd& params);

    /// du/dt [N] at activity u [N] with external values [N] (unused in mode None).
    void derivative(const Eigen::Ref<const Eigen::VectorXf>& u, const Eigen::Ref<const Eigen::VectorXf>& external,
                    Eigen::Ref<Eigen::VectorXf> out);

    Eigen::Index size() const { return m_decay.size(); }
    const Eigen::MatrixXf& connectivity() const { return m_w; }

private:
    void message(const Eigen::Ref<const Eigen::VectorXf>& u);

    DynamicsModel m_model;
    InputMode m_mode;
    Eigen::MatrixXf m_w;
    // Per-neuron parameters expanded from the type table.
    Eigen::VectorXf m_decay, m_offset, m_gain, m_self, m_width, m_threshold, m_leak;
    // PDE_N5: receivers grouped by width, each group's rows of W copied into one block.
    struct ReceiverGroup
    {
        float width;
        std::vector<Eigen::Index> rows;
        Eigen::MatrixXf w;
        Eigen::VectorXf message; ///< this group's messages (work buffer)
    };
    std::vector<ReceiverGroup> m_groups;
    // Work buffers (no allocation per step).
    Eigen::VectorXf m_transfer, m_message;
};

} // namespace plexus
