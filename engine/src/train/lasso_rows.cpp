#include "lasso_rows.h"

#include <algorithm>
#include <cmath>

namespace plexus {

namespace {

double softThreshold(double z, double penalty)
{
    if (z > penalty)
        return z - penalty;
    if (z < -penalty)
        return z + penalty;
    return 0.0;
}

} // namespace

LassoRows::LassoRows(const Eigen::MatrixXd& gram) : m_gram(gram) {}

double LassoRows::sweep(const Eigen::VectorXd& cross, int64_t excluded, double penalty,
                        const std::vector<int64_t>* entries, Eigen::VectorXd& w, Eigen::VectorXd& gradient) const
{
    const int64_t n = m_gram.rows();
    const int64_t count = entries ? static_cast<int64_t>(entries->size()) : n;
    double largest = 0.0;
    for (int64_t e = 0; e < count; ++e) {
        const int64_t k = entries ? (*entries)[static_cast<std::size_t>(e)] : e;
        const double own = m_gram(k, k);
        if (k == excluded || own <= 0.0)
            continue; // no self-edge; a sender whose ψ* is 0 on every frame carries nothing
        const double next = softThreshold(cross[k] - gradient[k] + own * w[k], penalty) / own;
        const double change = next - w[k];
        if (change == 0.0)
            continue;
        gradient += m_gram.col(k) * change;
        w[k] = next;
        largest = std::max(largest, std::fabs(change) * own);
    }
    return largest;
}

double LassoRows::violation(const Eigen::VectorXd& cross, int64_t excluded, double penalty, const Eigen::VectorXd& w,
                            const Eigen::VectorXd& gradient) const
{
    double largest = 0.0;
    for (int64_t k = 0; k < w.size(); ++k) {
        if (k == excluded || m_gram(k, k) <= 0.0)
            continue;
        const double slack = cross[k] - gradient[k]; // −∂(½wᵀGw − wᵀc)/∂w_k
        const double off = w[k] > 0.0   ? std::fabs(slack - penalty)
                           : w[k] < 0.0 ? std::fabs(slack + penalty)
                                        : std::max(0.0, std::fabs(slack) - penalty);
        largest = std::max(largest, off);
    }
    return largest;
}

Eigen::MatrixXd LassoRows::solve(const Eigen::VectorXd& cross, int64_t excluded, const std::vector<double>& levels) const
{
    const int64_t n = m_gram.rows();
    Eigen::MatrixXd solutions = Eigen::MatrixXd::Zero(n, static_cast<Eigen::Index>(levels.size()));
    double largestCross = 0.0;
    for (int64_t k = 0; k < n; ++k)
        if (k != excluded)
            largestCross = std::max(largestCross, std::fabs(cross[k]));
    if (largestCross == 0.0)
        return solutions;
    Eigen::VectorXd w = Eigen::VectorXd::Zero(n), gradient = Eigen::VectorXd::Zero(n);
    std::vector<int64_t> active;
    for (std::size_t l = 0; l < levels.size(); ++l) {
        const double penalty = levels[l] * largestCross, settled = kSettled * penalty;
        for (int sweeps = 0; sweeps < kMostSweeps;) {
            ++sweeps;
            sweep(cross, excluded, penalty, nullptr, w, gradient);
            if (violation(cross, excluded, penalty, w, gradient) <= kTolerance * penalty)
                break; // every entry meets the optimality conditions
            active.clear();
            for (int64_t k = 0; k < n; ++k)
                if (w[k] != 0.0)
                    active.push_back(k);
            while (sweeps < kMostSweeps) {
                ++sweeps;
                if (sweep(cross, excluded, penalty, &active, w, gradient) <= settled)
                    break;
            }
        }
        solutions.col(static_cast<Eigen::Index>(l)) = w;
    }
    return solutions;
}

} // namespace plexus
