#include "plexus/analysis/linear_fit.h"

#include <cmath>

namespace plexus {

LinearFit fitLine(const float* x, const float* y, std::int64_t count)
{
    LinearFit fit;
    fit.count = count;
    if (count < 2)
        return fit;
    double sx = 0, sy = 0;
    for (std::int64_t i = 0; i < count; ++i) {
        sx += x[i];
        sy += y[i];
    }
    const double mx = sx / count, my = sy / count;
    double sxx = 0, sxy = 0, syy = 0;
    for (std::int64_t i = 0; i < count; ++i) {
        const double dx = x[i] - mx, dy = y[i] - my;
        sxx += dx * dx;
        sxy += dx * dy;
        syy += dy * dy;
    }
    if (sxx <= 0)
        return fit;
    fit.slope = sxy / sxx;
    fit.intercept = my - fit.slope * mx;
    // Residual of the LS line: SS_res = syy − slope·sxy; R² = 1 − SS_res/SS_tot.
    fit.r2 = syy > 0 ? 1.0 - (syy - fit.slope * sxy) / syy : 0.0;
    return fit;
}

LinearFit fitLine(const Eigen::Ref<const Eigen::ArrayXf>& x, const Eigen::Ref<const Eigen::ArrayXf>& y)
{
    return fitLine(x.data(), y.data(), x.size());
}

double pearson(const Eigen::Ref<const Eigen::ArrayXf>& x, const Eigen::Ref<const Eigen::ArrayXf>& y)
{
    const Eigen::ArrayXd a = x.cast<double>() - x.cast<double>().mean();
    const Eigen::ArrayXd b = y.cast<double>() - y.cast<double>().mean();
    const double denominator = std::sqrt(a.square().sum() * b.square().sum());
    return denominator > 0 ? (a * b).sum() / denominator : 0.0;
}

double predictionR2(const Eigen::Ref<const Eigen::ArrayXd>& truth, const Eigen::Ref<const Eigen::ArrayXd>& predicted)
{
    const double total = (truth - truth.mean()).square().sum();
    const double residual = (truth - predicted).square().sum();
    return total > 0 ? 1.0 - residual / total : (residual == 0 ? 1.0 : 0.0);
}

} // namespace plexus
