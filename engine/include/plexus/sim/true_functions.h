#pragma once

#include <Eigen/Core>

#include <string>

namespace plexus {

/// The ground-truth update function φ_k(u) of a type with parameter row `p` (docs/method.md §A.4):
/// PDE_N2 [g, s, c]: −c·u + s·tanh(u); PDE_N4/N5 [a, b, g, s, w, h]: −a·u + b + s·tanh(u).
Eigen::ArrayXd trueUpdateFunction(const std::string& model, const Eigen::RowVectorXd& p, const Eigen::ArrayXd& u);

/// The ground-truth transfer function ψ_k(u) of a sender of that type: PDE_N2 tanh(u); PDE_N4 tanh((u − h)/w);
/// PDE_N5 with the same neuron as receiver: tanh((u − h)/w) − u·ln(w)/50.
Eigen::ArrayXd trueTransferFunction(const std::string& model, const Eigen::RowVectorXd& p, const Eigen::ArrayXd& u);

} // namespace plexus
