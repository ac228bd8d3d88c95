#include "plexus/analysis/evaluation_text.h"

#include <algorithm>
#include <cstdarg>
#include <cstdio>

namespace plexus {

namespace {

/// printf into `out`.
[[gnu::format(printf, 2, 3)]] void appendf(std::string& out, const char* format, ...)
{
    va_list args;
    va_start(args, format);
    char buffer[512];
    const int n = std::vsnprintf(buffer, sizeof buffer, format, args);
    va_end(args);
    if (n > 0)
        out.append(buffer, static_cast<std::size_t>(std::min<int>(n, sizeof buffer - 1)));
}

void appendWithoutTruth(std::string& out, const Evaluation& e)
{
    const RecordingScore& w = e.withoutTruth;
    appendf(out, "one-step      du/dt R² %.3f (slope %.3f) on %lld %s frames%s\n", w.oneStepR2, w.oneStepFit.slope,
                static_cast<long long>(w.scoredFrames), w.heldOut ? "held-out" : "training",
                w.heldOut ? (" from frame " + std::to_string(w.firstScoredFrame)).c_str()
                          : " (in-sample: training.held_out_fraction is 0)");
    appendf(out, "roll-out      %lld frames against the data%s: %s @400, %s @800, mean neuron r %.3f\n",
                static_cast<long long>(w.rollout.frames), w.rollout.divergedAt >= 0 ? " (diverged)" : "",
                rolloutText(w.rollout, 400, w.rollout.at400).c_str(), rolloutText(w.rollout, 800, w.rollout.at800).c_str(),
                w.rollout.meanNeuronCorrelation);
    if (w.processNoise > 0.0)
        appendf(out, "              (the data carry process noise σ = %g, which no deterministic roll-out follows for long;"
                     " the roll-out against the noise-free truth is the one above)\n", w.processNoise);
    appendf(out, "clusters      %d, silhouette of the latents %.3f\n", w.clusters, w.silhouette);
    if (!e.stabilityRun.empty()) {
        const ModelAgreement& s = e.stability;
        appendf(out, "stability     against %s: W R² %.3f slope %.3f | clusters %d and %d, ARI %.3f | φ* R² %.3f, ψ* R² "
                    "%.3f\n",
                    e.stabilityRun.c_str(), s.connectivity.r2, s.connectivity.slope, s.clustersFirst, s.clustersSecond,
                    s.clusterAdjustedRand, s.updateR2, s.transferR2);
    }
}

} // namespace

std::string evaluationText(const Evaluation& e)
{
    std::string out;
    if (!e.hasTruth) {
        appendf(out, "ground truth  none (a recording): the scores below need none\n");
        appendWithoutTruth(out, e);
        for (const CurveEquation& c : e.equations)
            if (const ParetoEntry* best = c.search.best())
                appendf(out, "equation      %-32s %s  (R² %.5f)\n", c.name.c_str(),
                            best->expression.readable(c.variable).c_str(), best->r2);
        return out;
    }
    appendf(out, "connectivity  raw R² %.4f slope %.4f | corrected R² %.4f slope %.4f\n", e.connectivity.raw.r2,
                e.connectivity.raw.slope, e.connectivity.corrected.r2, e.connectivity.corrected.slope);
    if (e.connectivity.hasPerfectRecovery)
        appendf(out, "              an exact recovery would score (same ψ normalisation): R² %.4f slope %.4f\n",
                e.connectivity.perfectRecovery.r2, e.connectivity.perfectRecovery.slope);
    if (e.connectivity.hasPerEdge)
        appendf(out, "              each edge by its own ψ* (receiver and sender): R² %.4f slope %.4f\n",
                e.connectivity.correctedPerEdge.r2, e.connectivity.correctedPerEdge.slope);
    appendf(out, "types         %d clusters, accuracy %.3f (median label) %.3f (matched), ARI %.3f  (function profiles)\n",
                e.types.clusters, e.types.accuracyMedianLabel, e.types.accuracyMatched, e.types.adjustedRand);
    appendf(out, "              %d clusters, accuracy %.3f (median label) %.3f (matched), ARI %.3f  (latents alone, the paper's)\n",
                e.typesFromLatents.clusters, e.typesFromLatents.accuracyMedianLabel, e.typesFromLatents.accuracyMatched,
                e.typesFromLatents.adjustedRand);
    appendf(out, "functions     type:     ");
    for (std::size_t k = 0; k < e.functions.updateR2PerType.size(); ++k)
        appendf(out, " %7zu", k);
    appendf(out, "\n              φ* R²:    ");
    for (double r2 : e.functions.updateR2PerType)
        appendf(out, " %7.3f", r2);
    appendf(out, "\n              ψ* R²:    ");
    for (double r2 : e.functions.transferR2PerType)
        appendf(out, " %7.3f", r2);
    appendf(out, "\nroll-out      %lld frames%s: %s @400, %s @800, mean neuron r %.3f\n",
                static_cast<long long>(e.rollout.frames), e.rollout.divergedAt >= 0 ? " (diverged)" : "",
                rolloutText(e.rollout, 400, e.rollout.at400).c_str(), rolloutText(e.rollout, 800, e.rollout.at800).c_str(),
                e.rollout.meanNeuronCorrelation);
    for (const CurveEquation& c : e.equations)
        if (const ParetoEntry* best = c.search.best())
            appendf(out, "equation      %-32s %s  (R² %.5f%s)\n", c.name.c_str(), best->expression.readable(c.variable).c_str(),
                        best->r2, c.truth.empty() ? "" : c.match.structureMatches ? ", the generator's form" : ", not the generator's form");
    appendWithoutTruth(out, e);
    if (e.stimulus.available)
        appendf(out, "stimulus Ω*   R² %.3f slope %.3f (√Ω* scaled ×%.3g to the data's frame-0 maximum)\n",
                    e.stimulus.fit.r2, e.stimulus.fit.slope, e.stimulus.scale);
    return out;
}

} // namespace plexus
