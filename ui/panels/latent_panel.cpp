#include "panels/latent_panel.h"

#include "plots/plot_style.h"
#include "studio/neuron_selection.h"
#include "studio/run_controller.h"

#include "plexus/analysis/clustering.h"
#include "plexus/analysis/type_recovery.h"

#include <QHBoxLayout>
#include <QVBoxLayout>
#include <QComboBox>
#include <QLabel>
#include <QTextStream>

#include <map>

namespace plexus::ui {

LatentPanel::LatentPanel(RunController* controller, NeuronSelection* selection, QWidget* parent)
    : Panel("latents", tr("Latent space"), controller, selection, parent)
{
    m_info = addInfoLabel();
    m_colourBy = new QComboBox(this);
    m_colourBy->setObjectName("colourBy");
    m_colourBy->addItems({tr("colour by true type"), tr("colour by found cluster")});
    addTool(m_colourBy);
    m_plot = makePlot(this, tr("a₀"), tr("a₁"));
    body()->addWidget(m_plot, 1);
    connect(m_colourBy, &QComboBox::currentIndexChanged, this, &LatentPanel::markDirty);
    connect(m_plot, &QCustomPlot::mousePress, this, &LatentPanel::pick);
    connect(m_plot, &QCustomPlot::mouseMove, this, [this](QMouseEvent* event) {
        const int n = nearestTo(event->position());
        const auto data = this->controller()->dataset();
        m_plot->setToolTip(n >= 0 && data ? tr("neuron %1, type %2, cluster %3\na = (%4, %5)")
                                                .arg(n)
                                                .arg(data->types.empty() ? tr("— (a recording)")
                                                                         : QString::number(data->typeOf(n)))
                                                .arg(static_cast<std::size_t>(n) < m_clusters.size() ? m_clusters[static_cast<std::size_t>(n)] : -1)
                                                .arg(m_points(n, 0), 0, 'g', 4)
                                                .arg(m_points(n, 1), 0, 'g', 4)
                                          : QString());
    });
    connect(controller, &RunController::snapshotChanged, this, &LatentPanel::markDirty);
    connect(controller, &RunController::datasetChanged, this, [this] {
        // A recording has no true types: colour by cluster, and say why the choice is gone.
        const auto data = this->controller()->dataset();
        const bool truth = !data || !data->types.empty();
        if (!truth)
            m_colourBy->setCurrentIndex(1);
        m_colourBy->setEnabled(truth);
        m_colourBy->setToolTip(truth ? QString() : tr("A recording has no true types: the neurons are coloured by the "
                                                      "cluster each was found in."));
        markDirty();
    });
    connect(selection, &NeuronSelection::changed, this, &LatentPanel::markSelectionDirty);
}

void LatentPanel::setColourByCluster(bool byCluster)
{
    m_colourBy->setCurrentIndex(byCluster ? 1 : 0);
}

QPointF LatentPanel::pointOf(int neuron) const
{
    if (neuron < 0 || neuron >= m_points.rows())
        return {};
    return {m_plot->xAxis->coordToPixel(m_points(neuron, 0)), m_plot->yAxis->coordToPixel(m_points(neuron, 1))};
}

int LatentPanel::nearestTo(const QPointF& position) const
{
    int best = -1;
    double bestDistance = 15.0 * 15.0; // pixels
    for (int n = 0; n < m_points.rows(); ++n) {
        const QPointF p = pointOf(n);
        const double d = (p.x() - position.x()) * (p.x() - position.x()) + (p.y() - position.y()) * (p.y() - position.y());
        if (d < bestDistance) {
            bestDistance = d;
            best = n;
        }
    }
    return best;
}

void LatentPanel::pick(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton)
        return;
    const int best = nearestTo(event->position());
    if (best >= 0)
        selection()->setCurrent(best);
}

bool LatentPanel::redraw()
{
    m_plot->clearGraphs();
    m_marker = nullptr;
    const auto data = controller()->dataset();
    const auto snapshot = controller()->snapshot();
    if (!data || !snapshot || snapshot->latents.rows() != data->neurons()) {
        m_points.resize(0, 2);
        m_info->setText(this->controller()->dataset() ? tr("Not trained yet.") : tr("No data yet."));
        placeLegendAbove(m_plot, 2); // no graphs: hidden
        m_marker = nullptr;
        showPlaceholder(m_plot, data ? tr("Press Train:\neach neuron's latent appears here") : tr("No data: press Simulate"));
        m_plot->replot(QCustomPlot::rpQueuedReplot);
        return false;
    }
    showPlaceholder(m_plot, {});
    const Eigen::MatrixXf& a = snapshot->latents;
    m_points = a.cols() > 2 ? principalComponents(a, 2) : a;
    if (m_points.cols() < 2) {
        m_points.conservativeResize(Eigen::NoChange, 2);
        m_points.col(1).setZero();
    }
    // Clusters and their accuracy come from the engine (Snapshot), the same as `plexus-cli evaluate` computes.
    m_clusters = snapshot->clusters;
    m_clusterCount = snapshot->types.clusters;
    m_accuracy = snapshot->types.accuracyMatched;
    if (m_clusters.size() != static_cast<std::size_t>(a.rows()))
        m_clusters.assign(static_cast<std::size_t>(a.rows()), 0);
    const bool byCluster = m_colourBy->currentIndex() == 1 || data->types.empty(); // no true types: the clusters
    std::map<int, QVector<QPointF>> groups;
    for (int n = 0; n < m_points.rows(); ++n) {
        const int group = byCluster ? m_clusters[static_cast<std::size_t>(n)] : data->typeOf(n);
        groups[group].push_back(QPointF(m_points(n, 0), m_points(n, 1)));
    }
    for (const auto& [group, points] : groups) {
        QVector<double> x, y;
        for (const QPointF& p : points) {
            x.push_back(p.x());
            y.push_back(p.y());
        }
        QCPGraph* graph = m_plot->addGraph();
        graph->setLineStyle(QCPGraph::lsNone);
        graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, Theme::typeColor(group), 5));
        graph->setData(x, y);
        graph->setName(byCluster ? tr("cluster %1 (%2)").arg(group).arg(points.size())
                                 : tr("type %1 (%2)").arg(group).arg(points.size()));
    }
    m_marker = m_plot->addGraph();
    m_marker->setLineStyle(QCPGraph::lsNone);
    m_marker->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(ThemeManager::instance().theme().selection, 2),
                                              QBrush(Qt::NoBrush), 12));
    placeMarker();
    placeLegendAbove(m_plot, 2);
    m_plot->rescaleAxes();
    for (QCPAxis* axis : {m_plot->xAxis, m_plot->yAxis}) {
        const QCPRange r = axis->range();
        const double pad = std::max(0.05 * r.size(), 1e-3);
        axis->setRange(r.lower - pad, r.upper + pad);
    }
    m_plot->xAxis->setLabel(a.cols() > 2 ? tr("principal axis 1") : tr("a₀"));
    m_plot->yAxis->setLabel(a.cols() > 2 ? tr("principal axis 2") : tr("a₁"));
    m_info->setText(data->types.empty() ? tr("%1 clusters · no true types (a recording)").arg(m_clusterCount)
                                        : tr("%1 clusters (true %2) · accuracy %3")
                                              .arg(m_clusterCount)
                                              .arg(data->typeCount())
                                              .arg(m_accuracy, 0, 'f', 3));
    m_info->setToolTip((data->types.empty() ? tr("A recording: no true types to compare with; the clusters are found "
                                                 "from what each neuron does.")
                                            : tr("Accuracy: the share of neurons in the cluster of their own type, "
                                                 "clusters matched to types at best (optimal matching).")) +
                       tr(" Iteration %1.").arg(snapshot->iteration));
    m_plot->replot(QCustomPlot::rpQueuedReplot);
    return true;
}

void LatentPanel::placeMarker()
{
    if (!m_marker)
        return;
    const int selected = selection()->current();
    if (selected >= 0 && selected < m_points.rows()) {
        m_marker->setData({static_cast<double>(m_points(selected, 0))}, {static_cast<double>(m_points(selected, 1))});
        m_marker->setName(tr("neuron %1").arg(selected));
        m_marker->addToLegend();
    } else {
        m_marker->data()->clear();
        m_marker->removeFromLegend();
    }
}

void LatentPanel::redrawSelection()
{
    placeMarker();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

QString LatentPanel::csvText() const
{
    QString text;
    QTextStream out(&text);
    const auto data = controller()->dataset();
    const auto snapshot = controller()->snapshot();
    out << "neuron,true_type,cluster";
    if (!data || !snapshot || snapshot->latents.rows() != data->neurons())
        return text + "\n";
    for (Eigen::Index d = 0; d < snapshot->latents.cols(); ++d)
        out << ",a" << d;
    out << "\n";
    for (Eigen::Index n = 0; n < snapshot->latents.rows(); ++n) {
        out << n << "," << data->typeOf(n) << ","
            << (static_cast<std::size_t>(n) < m_clusters.size() ? m_clusters[static_cast<std::size_t>(n)] : -1);
        for (Eigen::Index d = 0; d < snapshot->latents.cols(); ++d)
            out << "," << snapshot->latents(n, d);
        out << "\n";
    }
    return text;
}

} // namespace plexus::ui
