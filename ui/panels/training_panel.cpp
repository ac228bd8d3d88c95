#include "panels/training_panel.h"

#include "plots/plot_style.h"
#include "studio/run_controller.h"

#include "plexus/train/metrics_file.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QTextStream>

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
        {"total", [](const TrainingMetrics& m) { return m.loss.total; }, QColor(30, 30, 30)},
        {"prediction", [](const TrainingMetrics& m) { return m.loss.prediction; }, QColor(31, 119, 180)},
        {"φ*(0) = 0", [](const TrainingMetrics& m) { return m.loss.updateAtZero; }, QColor(255, 127, 14)},
        {"monotonicity", [](const TrainingMetrics& m) { return m.loss.monotonicity; }, QColor(44, 160, 44)},
        {"L1(W)", [](const TrainingMetrics& m) { return m.loss.sparsity; }, QColor(214, 39, 40)},
    };
    return kTerms;
}

void useLogScale(QCPAxis* axis)
{
    axis->setScaleType(QCPAxis::stLogarithmic);
    axis->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
}

} // namespace

TrainingPanel::TrainingPanel(RunController* controller, NeuronSelection* selection, QWidget* parent)
    : Panel("training", tr("Training"), controller, selection, parent)
{
    m_info = addInfoLabel();
    m_loss = makePlot(this, tr("iteration"), tr("loss"));
    m_rates = makePlot(this, tr("iteration"), tr("learning rate"));
    useLogScale(m_loss->yAxis);
    useLogScale(m_rates->yAxis);
    body()->addWidget(m_loss, 3);
    body()->addWidget(m_rates, 2);
    connect(controller, &RunController::metricsAppended, this, &TrainingPanel::markDirty);
    connect(controller, &RunController::snapshotChanged, this, &TrainingPanel::markDirty);
}

bool TrainingPanel::redraw()
{
    const auto& history = controller()->history();
    m_loss->clearGraphs();
    m_rates->clearGraphs();
    for (const Term& term : terms()) {
        QVector<double> x, y;
        for (const TrainingMetrics& m : history) {
            const double v = term.value(m);
            if (v > 0) {
                x.push_back(static_cast<double>(m.iteration));
                y.push_back(v);
            }
        }
        if (x.isEmpty())
            continue;
        QCPGraph* graph = m_loss->addGraph();
        graph->setData(x, y, true);
        QColor color = term.color;
        if (color == QColor(30, 30, 30))
            color = ThemeManager::instance().theme().foreground;
        graph->setPen(QPen(color, 1.5));
        graph->setName(term.name);
    }
    drawRates(history);
    const QString empty = !controller()->dataset() ? tr("No data: press Simulate")
                          : m_loss->graphCount() == 0 ? tr("Press Train: the losses appear here")
                                                      : QString();
    showPlaceholder(m_loss, empty);
    showPlaceholder(m_rates, m_rates->graphCount() == 0 && !empty.isEmpty() ? tr("and the learning rates here") : QString());
    placeLegendAbove(m_loss, 3);
    placeLegendAbove(m_rates, 2);
    m_loss->rescaleAxes();
    m_rates->rescaleAxes();
    for (QCPAxis* axis : {m_rates->yAxis}) {
        const QCPRange r = axis->range();
        axis->setRange(r.lower / 2, r.upper * 2);
    }
    // The header follows the newest measurement: a snapshot (also after a single Step), else the last row.
    const auto snapshot = controller()->snapshot();
    const TrainingMetrics* now = snapshot && (history.empty() || snapshot->metrics.iteration >= history.back().iteration)
                                     ? &snapshot->metrics
                                     : (history.empty() ? nullptr : &history.back());
    m_info->setText(!now ? tr("Loss terms appear when training starts.")
                         : tr("iteration %1, epoch %2, loss %3")
                               .arg(now->iteration)
                               .arg(now->epoch)
                               .arg(now->loss.total, 0, 'g', 4));
    m_loss->replot(QCustomPlot::rpQueuedReplot);
    m_rates->replot(QCustomPlot::rpQueuedReplot);
    return !history.empty();
}

void TrainingPanel::drawRates(const std::vector<TrainingMetrics>& history)
{
    // Each optimiser group's rate as recorded in metrics.csv, so a reopened run shows the same curves.
    if (history.empty())
        return;
    const auto& groups = history.back().learningRates;
    for (std::size_t g = 0; g < groups.size(); ++g) {
        QVector<double> x, y;
        for (const TrainingMetrics& m : history)
            for (const auto& [name, rate] : m.learningRates)
                if (name == groups[g].first && rate > 0) {
                    x.push_back(static_cast<double>(m.iteration));
                    y.push_back(rate);
                }
        QCPGraph* graph = m_rates->addGraph();
        graph->setData(x, y, true);
        graph->setLineStyle(QCPGraph::lsStepLeft);
        graph->setPen(QPen(Theme::typeColor(static_cast<int>(g)), 1.5));
        graph->setName(QString::fromStdString(groups[g].first));
    }
}

QString TrainingPanel::csvText() const
{
    const auto& history = controller()->history();
    if (history.empty())
        return metricsHeader(TrainingMetrics{}).c_str() + QString("\n");
    std::string text = metricsHeader(history.back()) + "\n";
    for (const TrainingMetrics& m : history)
        text += metricsRow(m) + "\n";
    return QString::fromStdString(text);
}

} // namespace plexus::ui
