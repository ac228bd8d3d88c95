// The epoch-end clustering step (docs/method.md §C.5), without ground truth.
#include "trainer_impl.h"

#include "plexus/analysis/clustering.h"
#include "plexus/analysis/evaluation.h"

#include <algorithm>
#include <map>

namespace plexus {

namespace {

using RowMajor = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
constexpr int64_t kCurveSamples = 1000;   // φ* curves on linspace(xlim), as the authors
constexpr int64_t kFeatureStride = 5;     // every 5th sample feeds the projection
constexpr int kRefitSteps = 20;

float median(std::vector<float> values)
{
    const std::size_t m = values.size() / 2;
    std::nth_element(values.begin(), values.begin() + m, values.end());
    if (values.size() % 2)
        return values[m];
    const float upper = values[m];
    return 0.5f * (upper + *std::max_element(values.begin(), values.begin() + m));
}

/// Coordinate-wise median of the given rows of `matrix`.
Eigen::RowVectorXf columnMedians(const Eigen::MatrixXf& matrix, const std::vector<int64_t>& rows)
{
    Eigen::RowVectorXf result(matrix.cols());
    std::vector<float> values(rows.size());
    for (int64_t c = 0; c < matrix.cols(); ++c) {
        for (std::size_t i = 0; i < rows.size(); ++i)
            values[i] = matrix(rows[i], c);
        result(c) = median(values);
    }
    return result;
}

/// Members of each cluster.
std::map<int32_t, std::vector<int64_t>> membersOf(const std::vector<int32_t>& labels)
{
    std::map<int32_t, std::vector<int64_t>> members;
    for (std::size_t i = 0; i < labels.size(); ++i)
        members[labels[i]].push_back(static_cast<int64_t>(i));
    return members;
}

} // namespace

int Trainer::Impl::clusterAndReplace()
{
    const auto& xlim = config.plotting.xlim;
    // The authors' grid linspace(xlim, 1000), every 5th sample: the same curves at a fifth of the cost.
    auto samples = torch::linspace(xlim[0], xlim[1], kCurveSamples, torch::TensorOptions().device(device))
                       .slice(0, 0, kCurveSamples, kFeatureStride);
    const Eigen::MatrixXf features = toEigen(learned->curves(samples, true)); // [N, 200]

    // 1–4. Which neurons form a type. The authors cluster a UMAP of the φ* curves with a fixed distance threshold;
    // Plexus uses the type recovery of the evaluation (function profiles, the number of types chosen from the data;
    // docs/training.md), so training and evaluation agree on what a type is. `distance_embedding` keeps the
    // latents-only clustering at cluster_distance_threshold.
    const bool onLatents = config.training.clusterMethod == "distance_embedding";
    const auto labels = onLatents ? singleLinkage(minMaxNormalise(learned->latents()), config.training.clusterDistanceThreshold)
                                  : recoverTypes(*learned, config, xnorm);
    auto members = membersOf(labels);

    // 5. Latents of a cluster ← the cluster's coordinate-wise median. 6. Target curve ← the pointwise median curve
    // of the neurons of the same cluster (the authors group by true type here; Plexus only uses the clusters).
    Eigen::MatrixXf latents = learned->latents();
    RowMajor targets(features.rows(), features.cols());
    for (const auto& [label, neurons] : members) {
        const Eigen::RowVectorXf centre = columnMedians(latents, neurons);
        const Eigen::RowVectorXf curve = columnMedians(features, neurons);
        for (auto n : neurons) {
            latents.row(n) = centre;
            targets.row(n) = curve;
        }
    }
    {
        torch::NoGradGuard noGrad;
        RowMajor rows = latents;
        model->latent.copy_(torch::from_blob(rows.data(), {rows.rows(), rows.cols()}, torch::kFloat).to(device));
    }

    // 6 (end). Refit φ* toward the target curves: 20 Adam steps on φ* only.
    auto target = torch::from_blob(targets.data(), {targets.rows(), targets.cols()}, torch::kFloat)
                      .to(device)
                      .t(); // [R, N], as updateFunctionOf returns
    auto u = samples.unsqueeze(1).expand({samples.size(0), data->neurons()});
    torch::optim::Adam refit(model->updateFunction->parameters(),
                             torch::optim::AdamOptions(config.training.learningRateStart));
    auto latent = model->latent.detach();
    for (int step = 0; step < kRefitSteps; ++step) {
        refit.zero_grad();
        auto loss = (model->updateFunctionOf(u, latent) - target).norm();
        loss.backward();
        refit.step();
    }
    if (model->latent.grad().defined())
        model->latent.grad().zero_();
    return static_cast<int>(members.size());
}

} // namespace plexus
