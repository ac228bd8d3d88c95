#include "plexus/analysis/curve_equation.h"
#include "plexus/util/json_text.h"

#include <sstream>

namespace plexus {

double negligibleOffset(const Eigen::ArrayXd& y)
{
    return y.size() > 0 ? 0.01 * (y.maxCoeff() - y.minCoeff()) : 0.0;
}

void fitEquations(std::vector<CurveEquation>& curves, const SymbolicRegressionOptions& settings, const Progress& progress)
{
    SymbolicRegressionOptions options = settings;
    if (!options.exhaustiveForms && curves.size() > 1)
        options.exhaustiveForms = listExhaustiveForms(options); // listed once for every curve
    for (std::size_t i = 0; i < curves.size() && !progress.shouldStop(); ++i) {
        CurveEquation& curve = curves[i];
        Progress inner;
        inner.stopRequested = progress.stopRequested;
        inner.report = [&](const std::string&, std::int64_t done, std::int64_t total) {
            progress.update(curve.name, static_cast<std::int64_t>(i) * total + done,
                            static_cast<std::int64_t>(curves.size()) * total);
        };
        curve.search = symbolicRegression(curve.x, curve.y, options, inner);
        if (!curve.truth.empty() && curve.search.best())
            curve.match = matchExpressions(curve.search.best()->expression, curve.truth, negligibleOffset(curve.y));
    }
}

namespace {

void writeEntry(std::ostringstream& out, const ParetoEntry& e)
{
    out << "{\"expression\": " << jsonString(e.expression.text()) << ", \"complexity\": " << e.complexity
        << ", \"r2\": " << e.r2 << ", \"mse\": " << e.meanSquaredError << ", \"score\": " << e.score << "}";
}

void writeTruth(std::ostringstream& out, const CurveEquation& c)
{
    out << ",\n     \"truth\": {\"expression\": " << jsonString(c.truth.text())
        << ", \"structure_matches\": " << (c.match.structureMatches ? "true" : "false")
        << ", \"ignored_constant\": " << c.match.ignoredConstant << ", \"coefficients\": [";
    for (std::size_t k = 0; k < c.match.coefficients.size(); ++k) {
        const CoefficientMatch& m = c.match.coefficients[k];
        out << (k ? ", " : "") << "{\"term\": " << jsonString(m.term) << ", \"found\": " << m.found
            << ", \"truth\": " << m.truth << ", \"relative_error\": " << m.relativeError << "}";
    }
    out << "]}";
}

} // namespace

std::string equationsToJson(const std::vector<CurveEquation>& curves)
{
    std::ostringstream out;
    out.precision(10);
    out << "{\"curves\": [";
    for (std::size_t i = 0; i < curves.size(); ++i) {
        const CurveEquation& c = curves[i];
        out << (i ? "," : "") << "\n    {\"name\": " << jsonString(c.name) << ", \"function\": " << jsonString(c.function)
            << ", \"cluster\": " << c.cluster << ", \"true_type\": " << c.trueType << ",\n     \"best\": ";
        if (const ParetoEntry* best = c.search.best())
            out << "{\"expression\": " << jsonString(best->expression.text()) << ", \"complexity\": " << best->complexity
                << ", \"r2\": " << best->r2 << ", \"readable\": " << jsonString(best->expression.readable(c.variable))
                << "}";
        else
            out << "null";
        out << ",\n     \"pareto\": [";
        for (std::size_t k = 0; k < c.search.pareto.size(); ++k) {
            out << (k ? ",\n                " : "");
            writeEntry(out, c.search.pareto[k]);
        }
        out << "]";
        if (!c.truth.empty())
            writeTruth(out, c);
        out << "}";
    }
    out << "\n]}\n";
    return out.str();
}

} // namespace plexus
