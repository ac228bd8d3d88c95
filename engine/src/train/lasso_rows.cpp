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

double LassoRows::largestPenalty(const Eigen::VectorXd& cross, int64_t excluded)
{
    double largest = 0.0;
    for (int64_t k = 0; k < cross.size(); ++k)
        if (k != excluded)
            largest = std::max(largest, std::fabs(cross[k]));
    return largest;
}

double LassoRows::solve(const Eigen::VectorXd& cross, int64_t excluded, double penalty, Eigen::VectorXd& w) const
{
    const int64_t n = m_gram.rows();
    if (w.size() != n)
        w = Eigen::VectorXd::Zero(n);
    if (excluded >= 0)
        w[excluded] = 0.0;
    if (penalty <= 0.0)
        return 0.0; // the refit never asks for it: λ = 0 is the least-squares problem
    Eigen::VectorXd gradient = Eigen::VectorXd::Zero(n); // G w
    for (int64_t k = 0; k < n; ++k)
        if (w[k] != 0.0)
            gradient += m_gram.col(k) * w[k];
    const double settled = kSettled * penalty;
    double left = violation(cross, excluded, penalty, w, gradient);
    std::vector<int64_t> active;
    for (int sweeps = 0; sweeps < kMostSweeps && left > kTolerance * penalty;) {
        active.clear();
        for (int64_t k = 0; k < n; ++k)
            if (w[k] != 0.0)
                active.push_back(k);
        while (!active.empty() && sweeps < kMostSweeps) {
            ++sweeps;
            if (sweep(cross, excluded, penalty, &active, w, gradient) <= settled)
                break;
        }
        ++sweeps;
        sweep(cross, excluded, penalty, nullptr, w, gradient);
        left = violation(cross, excluded, penalty, w, gradient);
    }
    return left / penalty;
}

} // namespace plexus
