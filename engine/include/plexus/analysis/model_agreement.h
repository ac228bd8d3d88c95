#pragma once

#include "plexus/analysis/linear_fit.h"
#include "plexus/config/experiment_config.h"
#include "plexus/model/learned_model.h"

#include <cstdint>
#include <string>

namespace plexus {

/// One trained model as compared: the model, its run's config and its data's activity scale xnorm.
struct ComparedModel
{
    const LearnedModel& model;
    const ExperimentConfig& config;
    double xnorm = 1.0;
};

/// How far two models trained on the same neurons agree — two seeds, or two halves of a recording. Without a truth
/// to score against, this is how a recording's result is told from chance (docs/recordings.md, "Stability").
struct ModelAgreement
{
    std::int64_t neurons = 0;
    /// ψ*-corrected W of the second model against the first's, every pair i ≠ j (slope 1, R² 1: the same network).
    LinearFit connectivity;
    int clustersFirst = 0, clustersSecond = 0; ///< neuron clusters each found (recoverTypes)
    double clusterAdjustedRand = 0.0;          ///< adjusted Rand index of the two clusterings: 1 the same, ≈ 0 chance
    /// Median over neurons of the R² of the second's φ* against the first's on [−xnorm, xnorm] (the first's xnorm).
    double updateR2 = 0.0;
    /// The same for ψ*, each divided by its own normalisation statistic (docs/method.md §D.1).
    double transferR2 = 0.0;
};

/// Compares two trained models of the same neurons; InputError when their neuron counts differ.
ModelAgreement compareModels(const ComparedModel& first, const ComparedModel& second);

/// The agreement as a JSON object (metrics.json "without_truth": "stability"), `other` naming the second run.
std::string modelAgreementToJson(const ModelAgreement& agreement, const std::string& other);

} // namespace plexus
