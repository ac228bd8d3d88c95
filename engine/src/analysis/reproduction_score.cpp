#include "plexus/analysis/reproduction_score.h"
#include "plexus/util/json_text.h"

#include <cmath>
#include <sstream>

namespace plexus {

std::vector<ReproductionRow> scoreReproduction(const PaperResults& paper, const Evaluation& e, int trueTypes)
{
    std::vector<ReproductionRow> rows;
    if (paper.connectivityR2) {
        const double target = *paper.connectivityR2 - 0.01;
        rows.push_back({"W R² (corrected)", paper.connectivityR2, e.connectivity.corrected.r2, "≥ paper − 0.01",
                        e.connectivity.corrected.r2 >= target});
    }
    if (paper.connectivitySlope) {
        const double allowed = std::max(0.05, std::fabs(*paper.connectivitySlope - 1.0));
        const double off = std::fabs(e.connectivity.corrected.slope - 1.0);
        std::ostringstream rule;
        rule.precision(3);
        rule << "|slope − 1| ≤ " << allowed;
        rows.push_back({"W slope (corrected)", paper.connectivitySlope, e.connectivity.corrected.slope, rule.str(),
                        off <= allowed});
    }
    if (paper.rolloutR2At400 && e.rollout.frames >= 400)
        rows.push_back({"roll-out R² @400", paper.rolloutR2At400, e.rollout.at400.r2, "≥ paper − 0.01",
                        e.rollout.at400.r2 >= *paper.rolloutR2At400 - 0.01});
    if (paper.separatedTypes && trueTypes > 0) {
        rows.push_back({"types found", std::nullopt, static_cast<double>(e.types.clusters),
                        "= " + std::to_string(trueTypes), e.types.clusters == trueTypes, true});
        rows.push_back({"type accuracy (matched)", std::nullopt, e.types.accuracyMatched, "≥ 0.95",
                        e.types.accuracyMatched >= 0.95});
    }
    if (e.stimulus.available) // the paper prints no number for it: Plexus's own target (docs/reproduction.md)
        rows.push_back({"Ω* R² (100 frames)", std::nullopt, e.stimulus.fit.r2, "≥ 0.9", e.stimulus.fit.r2 >= 0.9});
    return rows;
}

std::string reproductionToJson(const std::string& experiment, const std::string& recipe, double wallSeconds,
                               std::int64_t iterations, const std::string& device,
                               const std::vector<ReproductionRow>& rows)
{
    std::ostringstream out;
    out.precision(6);
    out << "{\n  \"experiment\": " << jsonString(experiment) << ",\n  \"recipe\": " << jsonString(recipe)
        << ",\n  \"wall_seconds\": " << wallSeconds << ",\n  \"iterations\": " << iterations
        << ",\n  \"device\": " << jsonString(device) << ",\n  \"rows\": [";
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const ReproductionRow& r = rows[i];
        out << (i ? "," : "") << "\n    {\"metric\": " << jsonString(r.metric) << ", \"paper\": ";
        if (r.paper)
            out << *r.paper;
        else
            out << "null";
        out << ", \"measured\": " << r.measured << ", \"tolerance\": " << jsonString(r.tolerance)
            << ", \"pass\": " << (r.pass ? "true" : "false") << "}";
    }
    out << "\n  ]\n}\n";
    return out.str();
}

} // namespace plexus
