#pragma once

#include "plexus/analysis/evaluation.h"
#include "plexus/analysis/reproduction_score.h"
#include "plexus/config/experiment_config.h"
#include "plexus/config/recipes.h"
#include "plexus/runtime/run_folder.h"

#include <cstdint>
#include <string>
#include <vector>

namespace plexus {

/// An experiment's reproduction, ready to run (docs/reproduction.md): its recipe, the chosen variant, and the preset's
/// config with the variant's overrides (then the caller's) applied. The same plan for `plexus-cli reproduce` and the
/// Studio's Reproduce button.
struct ReproductionPlan
{
    ReproductionRecipe recipe;
    std::string variantName;
    RecipeVariant variant;
    ExperimentConfig config;
    /// The iteration budget: the variant's, or −1 for the preset's own n_epochs × iterations per epoch.
    std::int64_t iterations() const { return variant.iterations > 0 ? variant.iterations : -1; }
    /// The time budget of training in seconds: the variant's `minutes`, or 0 for none.
    double budgetSeconds() const { return 60.0 * variant.minutes; }
};

/// Plans the reproduction of `experiment` with `variant` ("" → the recipe's default). Throws InputError naming the
/// experiment or variant when there is none, or the override key that does not apply.
ReproductionPlan planReproduction(const std::string& experiment, const std::string& variant = {},
                                  const std::vector<std::string>& extraOverrides = {}, const std::string& baseDir = ".");

/// What a reproduction measured, as written to reproduction.json.
struct ReproductionResult
{
    std::string experiment;
    std::string recipe;
    double wallSeconds = 0.0;
    std::int64_t iterations = 0;
    std::string device;
    std::vector<ReproductionRow> rows;
    bool allPass() const;
};

/// Scores `evaluation` against the paper's numbers and writes RUN/metrics.json (the evaluation) and
/// RUN/reproduction.json (atomically). `trueTypes`: the number of types of the simulated network.
ReproductionResult recordReproduction(const ReproductionPlan& plan, const Evaluation& evaluation, int trueTypes,
                                      const RunFolder& folder, double wallSeconds, std::int64_t iterations,
                                      const std::string& device);

} // namespace plexus
