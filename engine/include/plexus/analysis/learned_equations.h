#pragma once

#include "plexus/analysis/curve_equation.h"
#include "plexus/config/experiment_config.h"
#include "plexus/data/dataset.h"
#include "plexus/model/learned_model.h"

#include <vector>

namespace plexus {

/// The curves of a trained model to write as formulas (docs/equations.md), not yet fitted:
/// - per recovered type (recoverTypes, no ground truth), the mean update function φ*(u, a_n) of its neurons over the
///   activity range those neurons covered (0.5 % to 99.5 % quantiles);
/// - the transfer function ψ*_n/upper_n (normalised as for the corrected W, docs/method.md §D.1, so that it is
///   comparable with the generator's ψ/upper): one shared curve where ψ* does not depend on the neuron (PDE_N2),
///   else one per recovered type (PDE_N4, PDE_N5 with the neuron as its own receiver);
/// - with ground truth (a simulation), each cluster's majority true type and the generator's expression of it,
///   normalised the same way.
/// `samples` points per curve.
std::vector<CurveEquation> learnedCurves(const LearnedModel& model, const Dataset& data, const ExperimentConfig& config,
                                         int samples = 200);

/// The search settings for learned curves: the defaults, with `acceptableError` 1e−4 — a network's learned curve
/// is the true function plus small wiggles of the MLP, so an expression within R² 0.9999 of it counts as a fit and
/// the rule takes the simplest such fit rather than formulas of the wiggles (docs/equations.md).
SymbolicRegressionOptions learnedCurveSearchOptions();

/// The generator's update function φ_k of a type as an expression in x (docs/method.md §A.4), and its transfer
/// function ψ_k divided by `scale`. Empty for models without a closed form.
Expression trueUpdateExpression(const std::string& model, const Eigen::RowVectorXd& parameters);
Expression trueTransferExpression(const std::string& model, const Eigen::RowVectorXd& parameters, double scale = 1.0);

} // namespace plexus
