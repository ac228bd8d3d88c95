#pragma once

#include "plexus/analysis/evaluation.h"
#include "plexus/config/recipes.h"

#include <optional>
#include <string>
#include <vector>

namespace plexus {

/// One line of a reproduction table: the paper's number next to the measured one.
struct ReproductionRow
{
    std::string metric;
    std::optional<double> paper; ///< absent: the paper reports none (the target is Plexus's own)
    double measured = 0.0;
    std::string tolerance;       ///< the rule, in words ("≥ paper − 0.01", "|slope − 1| ≤ 0.05", …)
    bool pass = false;
    bool count = false;          ///< the measured value is a count (printed without decimals)
};

/// The targets of docs/reproduction.md applied to an evaluation: W R² at most 0.01 below the paper's (or above it);
/// W slope within 0.05 of 1 (or, where the paper's own slope is further from 1, at least as close as the paper's);
/// roll-out R² at frame 400 at most 0.01 below the paper's; where the paper shows separated types, all `trueTypes`
/// found and an optimal-matching accuracy ≥ 0.95; where a stimulus field was learned, Ω* against the true stimulus
/// R² ≥ 0.9 (the paper prints no number for it).
std::vector<ReproductionRow> scoreReproduction(const PaperResults& paper, const Evaluation& evaluation, int trueTypes);

/// reproduction.json: {"experiment", "recipe", "wall_seconds", "iterations", "device", "rows": [...]}.
std::string reproductionToJson(const std::string& experiment, const std::string& recipe, double wallSeconds,
                               std::int64_t iterations, const std::string& device,
                               const std::vector<ReproductionRow>& rows);

} // namespace plexus
