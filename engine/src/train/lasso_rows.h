#pragma once

// Private to the engine.
#include <Eigen/Core>

#include <cstdint>
#include <vector>

namespace plexus {

/// Rows of W under an L1 penalty from their least-squares sums (docs/training.md, "Sparse refit"): for a Gram
/// matrix G = XᵀX [n, n] and one row's cross vector c = Xᵀr [n], the w minimising ½ wᵀG w − wᵀc + λ‖w‖₁ with
/// w_excluded = 0 (no self-edge), by cyclic coordinate descent in covariance form (Friedman, Hastie & Tibshirani
/// 2010): the gradient G w is kept up to date, sweeps over the non-zero entries repeat until they settle, then one
/// sweep over all entries and a check of the optimality conditions. Along a path of decreasing λ each solve starts
/// from the previous solution (warm start), so only the entries that change cost anything.
class LassoRows
{
public:
    /// `gram` must outlive this object.
    explicit LassoRows(const Eigen::MatrixXd& gram);

    /// max_k |c_k| over k ≠ excluded: the smallest λ whose solution is 0.
    static double largestPenalty(const Eigen::VectorXd& cross, int64_t excluded);
    /// Solves for `penalty` (λ) starting from `w` (the previous solution, or 0), which it overwrites; w_excluded = 0
    /// (−1: none). Returns the largest departure from the optimality conditions left, in λ's units.
    double solve(const Eigen::VectorXd& cross, int64_t excluded, double penalty, Eigen::VectorXd& w) const;

    /// Solved when every entry meets its optimality condition to this × λ: (c − Gw)_k = λ·sign(w_k) where
    /// w_k ≠ 0, |(c − Gw)_k| ≤ λ elsewhere.
    static constexpr double kTolerance = 1e-3;
    /// The sweeps over the non-zero entries stop when none moves by more than this × λ / G_kk.
    static constexpr double kSettled = 1e-4;
    /// Sweeps at most per solve (over the non-zero entries and over all of them): a bound on the time of a badly
    /// conditioned G's small penalties, which the refit's validation then judges as they are.
    static constexpr int kMostSweeps = 300;

private:
    /// The largest departure from the optimality conditions.
    double violation(const Eigen::VectorXd& cross, int64_t excluded, double penalty, const Eigen::VectorXd& w,
                     const Eigen::VectorXd& gradient) const;
    /// One sweep over `entries` (all when null); the largest change × G_kk.
    double sweep(const Eigen::VectorXd& cross, int64_t excluded, double penalty, const std::vector<int64_t>* entries,
                 Eigen::VectorXd& w, Eigen::VectorXd& gradient) const;

    const Eigen::MatrixXd& m_gram;
};

} // namespace plexus
