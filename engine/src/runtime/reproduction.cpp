#include "plexus/runtime/reproduction.h"

#include "plexus/config/config_loader.h"
#include "plexus/config/presets.h"
#include "plexus/util/atomic_file.h"
#include "plexus/util/errors.h"

#include <algorithm>

namespace plexus {

ReproductionPlan planReproduction(const std::string& experiment, const std::string& variant,
                                  const std::vector<std::string>& extraOverrides, const std::string& baseDir)
{
    ReproductionPlan plan;
    plan.recipe = loadRecipe(experiment);
    plan.variantName = variant.empty() ? plan.recipe.defaultVariant : variant;
    const auto found = plan.recipe.variants.find(plan.variantName);
    if (found == plan.recipe.variants.end())
        throw InputError("recipe: " + experiment + " has no recipe '" + plan.variantName +
                         "' (see plexus-cli reproduce --list)");
    plan.variant = found->second;
    plan.config = loadPreset(plan.recipe.experiment).config;
    std::vector<std::string> overrides = plan.variant.overrides;
    overrides.insert(overrides.end(), extraOverrides.begin(), extraOverrides.end());
    applyConfigOverrides(plan.config, overrides, baseDir);
    return plan;
}

bool ReproductionResult::allPass() const
{
    return std::all_of(rows.begin(), rows.end(), [](const ReproductionRow& r) { return r.pass; });
}

ReproductionResult recordReproduction(const ReproductionPlan& plan, const Evaluation& evaluation, int trueTypes,
                                      const RunFolder& folder, double wallSeconds, std::int64_t iterations,
                                      const std::string& device)
{
    ReproductionResult result{plan.recipe.experiment, plan.variantName, wallSeconds, iterations, device,
                              scoreReproduction(plan.recipe.paper, evaluation, trueTypes)};
    writeFileAtomic(folder.evaluationPath(), evaluationToJson(evaluation));
    writeFileAtomic(folder.reproductionPath(),
                    reproductionToJson(result.experiment, result.recipe, wallSeconds, iterations, device, result.rows));
    return result;
}

} // namespace plexus
