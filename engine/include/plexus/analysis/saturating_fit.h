#pragma once

#include <Eigen/Core>

namespace plexus {

/// A saturating curve y = a·tanh(b·x + c) + d: the shape Plexus gives ψ* beyond the activity a model was trained
/// on, where the normalisation range asks for its asymptote (docs/method.md §D.1).
struct SaturatingCurve
{
    double a = 0.0, b = 0.0, c = 0.0, d = 0.0;
    double r2 = 0.0; ///< of the fit on the points it was fitted to

    Eigen::ArrayXd operator()(const Eigen::ArrayXd& x) const;
};

/// The least-squares a·tanh(b·x + c) + d through the points: a coarse search over the slope b and the centre −c/b
/// (a and d solved exactly at each), refined by Levenberg–Marquardt. A straight line comes back as a small b with
/// a large a (a tanh that has not bent yet).
SaturatingCurve fitSaturatingCurve(const Eigen::ArrayXd& x, const Eigen::ArrayXd& y);

} // namespace plexus
