#include "plexus/analysis/model_agreement.h"

#include "plexus/analysis/evaluation.h"
#include "plexus/analysis/type_recovery.h"
#include "plexus/util/errors.h"
#include "plexus/util/json_text.h"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <vector>

namespace plexus {

namespace {

/// Off-diagonal entries of a square matrix, column by column.
Eigen::ArrayXf offDiagonal(const Eigen::MatrixXf& m)
{
    const Eigen::Index n = m.rows();
    Eigen::ArrayXf out(n * (n - 1));
    Eigen::Index k = 0;
    for (Eigen::Index j = 0; j < n; ++j)
        for (Eigen::Index i = 0; i < n; ++i)
            if (i != j)
                out(k++) = m(i, j);
    return out;
}

int clusterCount(const std::vector<std::int32_t>& labels)
{
    return labels.empty() ? 0 : *std::max_element(labels.begin(), labels.end()) + 1;
}

/// Median over neurons (rows) of the R² of `second` against `first`, each row divided by its scale when given.
double medianRowR2(const Eigen::MatrixXf& first, const Eigen::MatrixXf& second, const Eigen::VectorXf& firstScale,
                   const Eigen::VectorXf& secondScale)
{
    std::vector<double> r2;
    for (Eigen::Index n = 0; n < first.rows(); ++n) {
        const double a = firstScale.size() && firstScale(n) != 0.0f ? firstScale(n) : 1.0;
        const double b = secondScale.size() && secondScale(n) != 0.0f ? secondScale(n) : 1.0;
        r2.push_back(predictionR2(first.row(n).transpose().cast<double>().array() / a,
                                  second.row(n).transpose().cast<double>().array() / b));
    }
    std::nth_element(r2.begin(), r2.begin() + static_cast<long>(r2.size() / 2), r2.end());
    return r2[r2.size() / 2];
}

/// A number as JSON: null when not finite.
std::string jsonNumber(double value)
{
    if (!std::isfinite(value))
        return "null";
    std::ostringstream out;
    out.precision(6);
    out << value;
    return out.str();
}

Eigen::MatrixXf correctedW(const ComparedModel& m)
{
    return correctedConnectivity(m.model.connectivity(), transferScales(m.model, m.config, m.xnorm));
}

} // namespace

ModelAgreement compareModels(const ComparedModel& first, const ComparedModel& second)
{
    const std::int64_t n = first.model.neurons();
    if (second.model.neurons() != n)
        throw InputError("the two models have " + std::to_string(n) + " and " +
                         std::to_string(second.model.neurons()) + " neurons; stability compares the same neurons");
    ModelAgreement a;
    a.neurons = n;
    if (n < 2)
        return a;
    a.connectivity = fitLine(offDiagonal(correctedW(first)), offDiagonal(correctedW(second)));
    const std::vector<std::int32_t> clustersA = recoverTypes(first.model, first.config, first.xnorm);
    const std::vector<std::int32_t> clustersB = recoverTypes(second.model, second.config, second.xnorm);
    a.clustersFirst = clusterCount(clustersA);
    a.clustersSecond = clusterCount(clustersB);
    a.clusterAdjustedRand = adjustedRandIndex(clustersA, clustersB);
    const Eigen::VectorXf r = Eigen::VectorXf::LinSpaced(300, static_cast<float>(-first.xnorm),
                                                         static_cast<float>(first.xnorm));
    a.updateR2 = medianRowR2(first.model.updateCurves(r), second.model.updateCurves(r), {}, {});
    a.transferR2 = medianRowR2(first.model.transferCurves(r), second.model.transferCurves(r),
                               transferScales(first.model, first.config, first.xnorm),
                               transferScales(second.model, second.config, second.xnorm));
    return a;
}

std::string modelAgreementToJson(const ModelAgreement& a, const std::string& other)
{
    std::ostringstream out;
    out << "{\"other_run\": " << jsonString(other) << ", \"neurons\": " << a.neurons
        << ", \"W\": {\"r2\": " << jsonNumber(a.connectivity.r2) << ", \"slope\": " << jsonNumber(a.connectivity.slope)
        << "}, \"clusters\": [" << a.clustersFirst << ", " << a.clustersSecond
        << "], \"clusters_adjusted_rand\": " << jsonNumber(a.clusterAdjustedRand)
        << ", \"update_r2\": " << jsonNumber(a.updateR2) << ", \"transfer_r2\": " << jsonNumber(a.transferR2) << "}";
    return out.str();
}

} // namespace plexus
