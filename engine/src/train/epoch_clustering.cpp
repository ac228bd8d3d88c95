// The epoch-end clustering step (SPEC C.5), without ground truth.
#include "trainer_impl.h"

#include "plexus/analysis/clustering.h"

#include <algorithm>
#include <map>

namespace plexus {

namespace {

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
    auto samples = torch::linspace(xlim[0], xlim[1], kCurveSamples, torch::TensorOptions().device(device));
    Eigen::MatrixXf curves = toEigen(learned->curves(samples, true)); // [N, 1000]

    // 1–4. Project the curves to 2-D, normalise, single linkage. The authors use UMAP here; Plexus uses the two
    // leading principal components (deterministic, no extra dependency); see docs/training.md.
    Eigen::MatrixXf features(curves.rows(), kCurveSamples / kFeatureStride);
    for (int64_t k = 0; k < features.cols(); ++k)
        features.col(k) = curves.col(k * kFeatureStride);
    const bool onLatents = config.training.clusterMethod == "distance_embedding";
    Eigen::MatrixXf points = onLatents ? learned->latents() : principalComponents(features, 2);
    auto labels = singleLinkage(minMaxNormalise(points), config.training.clusterDistanceThreshold);
    auto members = membersOf(labels);

    // 5. Latents of a cluster ← the cluster's coordinate-wise median. 6. Target curve ← the pointwise median curve
    // of the neurons of the same cluster (the authors group by true type here; Plexus only uses the clusters).
    Eigen::MatrixXf latents = learned->latents();
    Eigen::MatrixXf targets(curves.rows(), curves.cols());
    for (const auto& [label, neurons] : members) {
        Eigen::RowVectorXf centre(latents.cols());
        for (int64_t d = 0; d < latents.cols(); ++d) {
            std::vector<float> values;
            for (auto n : neurons)
                values.push_back(latents(n, d));
            centre(d) = median(values);
        }
        Eigen::RowVectorXf curve(curves.cols());
        for (int64_t r = 0; r < curves.cols(); ++r) {
            std::vector<float> values;
            for (auto n : neurons)
                values.push_back(curves(n, r));
            curve(r) = median(values);
        }
        for (auto n : neurons) {
            latents.row(n) = centre;
            targets.row(n) = curve;
        }
    }
    {
        torch::NoGradGuard noGrad;
        using RowMajor = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
        RowMajor rows = latents;
        model->latent.copy_(torch::from_blob(rows.data(), {rows.rows(), rows.cols()}, torch::kFloat).to(device));
    }

    // 6 (end). Refit φ* toward the target curves: 20 Adam steps on φ* only.
    // The refit uses every 5th sample (200 of 1000): the same curves, a fifth of the cost.
    using RowMajor = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
    RowMajor targetRows(targets.rows(), features.cols());
    for (int64_t k = 0; k < features.cols(); ++k)
        targetRows.col(k) = targets.col(k * kFeatureStride);
    auto refitSamples = samples.slice(0, 0, kCurveSamples, kFeatureStride);
    auto target = torch::from_blob(targetRows.data(), {targetRows.rows(), targetRows.cols()}, torch::kFloat)
                      .to(device)
                      .t(); // [R, N], as updateFunctionOf returns
    auto u = refitSamples.unsqueeze(1).expand({refitSamples.size(0), data->neurons()});
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
