#pragma once

#include <Eigen/Core>

#include <cstdint>

namespace plexus {

/// Least-squares line y = slope·x + intercept and its R² = 1 − SS_res/SS_tot (docs/method.md §D.1).
struct LinearFit
{
    double slope = 0.0;
    double intercept = 0.0;
    double r2 = 0.0;
    std::int64_t count = 0;
};

/// Fit over paired samples (double accumulation; NaN-free input expected).
LinearFit fitLine(const float* x, const float* y, std::int64_t count);
LinearFit fitLine(const Eigen::Ref<const Eigen::ArrayXf>& x, const Eigen::Ref<const Eigen::ArrayXf>& y);

/// Pearson correlation of two series (0 when either is constant).
double pearson(const Eigen::Ref<const Eigen::ArrayXf>& x, const Eigen::Ref<const Eigen::ArrayXf>& y);

/// R² of a prediction against a reference: 1 − Σ(p − t)² / Σ(t − mean t)² (no refit; can be negative).
double predictionR2(const Eigen::Ref<const Eigen::ArrayXd>& truth, const Eigen::Ref<const Eigen::ArrayXd>& predicted);

} // namespace plexus
