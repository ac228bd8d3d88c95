#include "panels/training_panel.h"

#include "plots/plot_style.h"
#include "studio/run_controller.h"

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
    m_loss->legend->setVisible(true);
    m_rates->legend->setVisible(true);
    body()->addWidget(m_loss, 3);
    body()->addWidget(m_rates, 2);
    connect(controller, &RunController::metricsAppended, this, &TrainingPanel::markDirty);
    connect(controller, &RunController::snapshotChanged, this, &TrainingPanel::recordRates);
}

void TrainingPanel::recordRates()
{
    const auto snapshot = controller()->snapshot();
    if (!snapshot) {
        m_rateHistory.clear();
        markDirty();
        return;
    }
    if (snapshot->learningRates.empty())
        return;
    if (!m_rateHistory.empty() && snapshot->iteration < m_rateHistory.back().first)
        m_rateHistory.clear(); // a new training
    if (m_rateHistory.empty() || m_rateHistory.back().first != snapshot->iteration ||
        m_rateHistory.back().second != snapshot->learningRates) {
        m_rateHistory.emplace_back(snapshot->iteration, snapshot->learningRates);
        markDirty();
    }
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
    if (!m_rateHistory.empty()) {
        const auto& groups = m_rateHistory.back().second;
        for (std::size_t g = 0; g < groups.size(); ++g) {
            QVector<double> x, y;
            for (const auto& [iteration, rates] : m_rateHistory)
                for (const auto& [name, rate] : rates)
                    if (name == groups[g].first && rate > 0) {
                        x.push_back(static_cast<double>(iteration));
                        y.push_back(rate);
                    }
            QCPGraph* graph = m_rates->addGraph();
            graph->setData(x, y, true);
            graph->setLineStyle(QCPGraph::lsStepLeft);
            graph->setPen(QPen(Theme::typeColor(static_cast<int>(g)), 1.5));
            graph->setName(QString::fromStdString(groups[g].first));
        }
    }
    m_loss->legend->setVisible(m_loss->graphCount() > 0);
    m_rates->legend->setVisible(m_rates->graphCount() > 0);
    m_loss->rescaleAxes();
    m_rates->rescaleAxes();
    for (QCPAxis* axis : {m_rates->yAxis}) {
        const QCPRange r = axis->range();
        axis->setRange(r.lower / 2, r.upper * 2);
    }
    m_info->setText(history.empty() ? tr("Loss terms appear when training starts.")
                                    : tr("iteration %1, epoch %2, loss %3")
                                          .arg(history.back().iteration)
                                          .arg(history.back().epoch)
                                          .arg(history.back().loss.total, 0, 'g', 4));
    m_loss->replot(QCustomPlot::rpQueuedReplot);
    m_rates->replot(QCustomPlot::rpQueuedReplot);
    return !history.empty();
}

QString TrainingPanel::csvText() const
{
    QString text;
    QTextStream out(&text);
    out << "iteration,epoch,wall_seconds,loss,prediction,update_at_zero,monotonicity,sparsity,w_r2,w_slope,clusters\n";
    for (const TrainingMetrics& m : controller()->history())
        out << m.iteration << "," << m.epoch << "," << m.wallSeconds << "," << m.loss.total << "," << m.loss.prediction
            << "," << m.loss.updateAtZero << "," << m.loss.monotonicity << "," << m.loss.sparsity << ","
            << m.connectivityR2 << "," << m.connectivitySlope << "," << m.clusters << "\n";
    return text;
}

} // namespace plexus::ui
