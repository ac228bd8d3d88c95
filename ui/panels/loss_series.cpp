#include "panels/loss_series.h"

#include <QtNumeric>

#include <functional>

namespace plexus::ui {

namespace {

struct Term
{
    const char* name;
    std::function<double(const TrainingMetrics&)> value;
    QColor color;
};

const std::vector<Term>& terms()
{
    static const std::vector<Term> kTerms = {
        {"total", [](const TrainingMetrics& m) { return m.loss.total; }, QColor()},
        {"prediction", [](const TrainingMetrics& m) { return m.loss.prediction; }, QColor(31, 119, 180)},
        {"φ*(0) = 0", [](const TrainingMetrics& m) { return m.loss.updateAtZero; }, QColor(255, 127, 14)},
        {"monotonicity", [](const TrainingMetrics& m) { return m.loss.monotonicity; }, QColor(44, 160, 44)},
        {"L1(W)", [](const TrainingMetrics& m) { return m.loss.sparsity; }, QColor(214, 39, 40)},
    };
    return kTerms;
}

} // namespace

std::vector<LossSeries> lossSeries(const std::vector<TrainingMetrics>& history)
{
    // A zero cannot be drawn on the log axis, and joining the rows around it would draw values never measured.
    std::vector<LossSeries> result;
    for (const Term& term : terms()) {
        LossSeries series{QString::fromUtf8(term.name), term.color, {}, {}, false};
        bool any = false;
        for (const TrainingMetrics& m : history) {
            const double v = term.value(m);
            any |= v > 0;
            series.gaps |= !(v > 0);
            series.x.push_back(static_cast<double>(m.iteration));
            series.y.push_back(v > 0 ? v : qQNaN());
        }
        if (any)
            result.push_back(std::move(series));
    }
    return result;
}

} // namespace plexus::ui
