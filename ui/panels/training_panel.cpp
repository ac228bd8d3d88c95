#include "panels/training_panel.h"

#include "panels/loss_series.h"

#include "plots/plot_style.h"
#include "studio/run_controller.h"

#include "plexus/train/metrics_file.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QTextStream>

namespace plexus::ui {

namespace {

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
    for (const LossSeries& series : lossSeries(history)) {
        QCPGraph* graph = m_loss->addGraph();
        graph->setData(series.x, series.y, true);
        const QColor color = series.color.isValid() ? series.color : ThemeManager::instance().theme().foreground;
        graph->setPen(QPen(color, 1.5));
        if (series.gaps) // a value between two gaps has no line to draw: a dot shows it
            graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, 4));
        graph->setName(series.name);
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
    m_info->setText(headerText(history));
    m_loss->replot(QCustomPlot::rpQueuedReplot);
    m_rates->replot(QCustomPlot::rpQueuedReplot);
    return !history.empty();
}

QString TrainingPanel::headerText(const std::vector<TrainingMetrics>& history) const
{
    // The newest measurement: a snapshot at or after the last row (it also follows a single Step), else the last row.
    // The loss is the newest one measured: a run reopened from its checkpoint has a snapshot without one, so the last
    // row's is shown.
    const auto snapshot = controller()->snapshot();
    const TrainingMetrics* now = snapshot && (history.empty() || snapshot->metrics.iteration >= history.back().iteration)
                                     ? &snapshot->metrics
                                     : (history.empty() ? nullptr : &history.back());
    if (!now)
        return tr("Loss terms appear when training starts.");
    const QString where = tr("iteration %1, epoch %2").arg(now->iteration).arg(now->epoch);
    if (now->loss.total > 0)
        return where + tr(", loss %1").arg(now->loss.total, 0, 'g', 4);
    if (!history.empty() && history.back().loss.total > 0)
        return where + (history.back().iteration == now->iteration
                            ? tr(", loss %1").arg(history.back().loss.total, 0, 'g', 4)
                            : tr(", loss %1 at iteration %2").arg(history.back().loss.total, 0, 'g', 4)
                                  .arg(history.back().iteration));
    return where;
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
