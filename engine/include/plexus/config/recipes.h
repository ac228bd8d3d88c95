#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace plexus {

/// What the paper reports for one experiment (docs/method.md §E.3); absent values were not reported.
struct PaperResults
{
    std::optional<double> connectivityR2;    ///< ψ*-corrected W R²
    std::optional<double> connectivitySlope; ///< ψ*-corrected W slope
    std::optional<double> rolloutR2At400;
    bool separatedTypes = true; ///< the paper's figure shows separated types (target: all found, accuracy ≥ 0.95)
};

/// One way to train an experiment for its reproduction: config overrides and a budget.
struct RecipeVariant
{
    std::string description;
    std::int64_t iterations = 0;       ///< 0: the preset's own n_epochs × iterations per epoch
    double minutes = 0.0;              ///< > 0: training stops after this many minutes too (a caller's own budget wins)
    double stopAtConnectivityR2 = 0.0; ///< > 0: stop once the live W R² has reached it at 3 measurements in a row (in the last training phase)
    double stopSlopeSettled = 0.0;     ///< > 0: and once the corrected W slope has changed by at most this over 4 measurements (ConnectivityGoal)
    std::int64_t metricsEvery = 2500;  ///< iterations between measurements (and metrics.csv rows)
    std::vector<std::string> overrides; ///< "section.key=value", applied like --set
};

/// How to reproduce one experiment of the paper (resources/recipes/NAME.yaml, docs/reproduction.md).
struct ReproductionRecipe
{
    std::string experiment; ///< the preset it trains
    std::string description;
    PaperResults paper;
    std::map<std::string, RecipeVariant> variants; ///< "paper" (the paper's settings) and usually "fast"
    std::string defaultVariant = "fast";
};

/// Names of the experiments that have a recipe, in a stable order (the paper's order).
std::vector<std::string> recipeNames();

/// The recipe of `experiment`; throws InputError naming the known ones when there is none.
ReproductionRecipe loadRecipe(const std::string& experiment);

/// Parses a recipe from YAML text; `source` names it in messages. Throws InputError naming the key.
ReproductionRecipe parseRecipe(const std::string& text, const std::string& source);

} // namespace plexus
