#pragma once

// Private to the engine.
#include <Eigen/Core>

#include <cstdint>
#include <vector>

namespace plexus {

/// Rows of W under an L1 penalty from their least-squares sums (docs/training.md, "Sparse refit"): for a Gram
/// matrix G = XᵀX [n, n] and one row's cross vector c = Xᵀr [n], the w minimising ½ wᵀG w − wᵀc + λ‖w‖₁ with
/// w_excluded = 0 (no self-edge), by cyclic coordinate descent in covariance form (Friedman, Hastie & Tibshirani
/// 2010): the gradient G w is kept up to date, a sweep over the non-zero entries repeats until they settle, then one
/// sweep over all entries checks the optimality conditions. λ is relative: λ = level · max_k |c_k| (the smallest λ whose
/// solution is 0), solved for decreasing levels, each warm started from the one before.
class LassoRows
{
public:
    /// `gram` must outlive this object.
    explicit LassoRows(const Eigen::MatrixXd& gram);

    /// The solutions [n, levels.size()] of one row for each level (decreasing), w_excluded = 0 (−1: none).
    Eigen::MatrixXd solve(const Eigen::VectorXd& cross, int64_t excluded, const std::vector<double>& levels) const;

    /// Solved when every entry meets its optimality condition to this × λ: (c − Gw)_k = λ·sign(w_k) where
    /// w_k ≠ 0, |(c − Gw)_k| ≤ λ elsewhere.
    static constexpr double kTolerance = 1e-3;
    /// The sweeps over the non-zero entries stop when none moves by more than this × λ / G_kk.
    static constexpr double kSettled = 1e-4;
    /// Sweeps at most per level (over the non-zero entries, then all of them).
    static constexpr int kMostSweeps = 20000;

private:
    /// The largest departure from the optimality conditions, in the units of λ's.
    double violation(const Eigen::VectorXd& cross, int64_t excluded, double penalty, const Eigen::VectorXd& w,
                     const Eigen::VectorXd& gradient) const;
    /// One sweep over `entries` (all when null); the largest change × G_kk.
    double sweep(const Eigen::VectorXd& cross, int64_t excluded, double penalty, const std::vector<int64_t>* entries,
                 Eigen::VectorXd& w, Eigen::VectorXd& gradient) const;

    const Eigen::MatrixXd& m_gram;
};

} // namespace plexus
