#include "panels/functions_panel.h"

#include "plots/plot_style.h"
#include "studio/neuron_selection.h"
#include "studio/run_controller.h"

#include "plexus/analysis/evaluation.h"
#include "plexus/sim/true_functions.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QTextStream>

#include <algorithm>
#include <cmath>

namespace plexus::ui {

FunctionsPanel::FunctionsPanel(RunController* controller, NeuronSelection* selection, QWidget* parent)
    : Panel("functions", tr("Functions"), controller, selection, parent)
{
    m_info = addInfoLabel();
    m_update = makePlot(this, tr("u"), tr("φ*(u, a)"));
    m_transfer = makePlot(this, tr("u"), tr("ψ*(u) / normalisation"));
    auto* row = new QHBoxLayout;
    row->addWidget(m_update);
    row->addWidget(m_transfer);
    body()->addLayout(row, 1);
    connect(controller, &RunController::snapshotChanged, this, [this] {
        const auto s = this->controller()->snapshot();
        if (!s || s->curvesGeneration != m_drawnCurves)
            markDirty();
    });
    connect(controller, &RunController::datasetChanged, this, [this] {
        m_drawnCurves = -1;
        markDirty();
    });
    connect(selection, &NeuronSelection::changed, this, &FunctionsPanel::markSelectionDirty);
}

Eigen::VectorXf FunctionsPanel::normalisation(const Eigen::MatrixXf& curves, const Eigen::VectorXf& samples) const
{
    const double xnorm = controller()->activityScale();
    const auto& plotting = controller()->config().plotting;
    // norm_x_start / norm_x_stop are in units of xnorm (SPEC D.1), as in the evaluation.
    const bool set = std::isfinite(plotting.normXStart) && std::isfinite(plotting.normXStop);
    const double start = (set ? plotting.normXStart : 0.8) * xnorm;
    const double stop = (set ? plotting.normXStop : 1.0) * xnorm;
    std::vector<Eigen::Index> inRange;
    for (Eigen::Index k = 0; k < samples.size(); ++k)
        if (samples(k) >= start && samples(k) <= stop)
            inRange.push_back(k);
    Eigen::VectorXf upper(curves.rows());
    if (inRange.size() >= 2) {
        Eigen::MatrixXf sub(curves.rows(), static_cast<Eigen::Index>(inRange.size()));
        Eigen::VectorXf subSamples(static_cast<Eigen::Index>(inRange.size()));
        for (std::size_t k = 0; k < inRange.size(); ++k) {
            sub.col(static_cast<Eigen::Index>(k)) = curves.col(inRange[k]);
            subSamples(static_cast<Eigen::Index>(k)) = samples(inRange[k]);
        }
        upper = transferNormalisation(sub, subSamples, plotting.normMethod);
    } else {
        upper = curves.cwiseAbs().rowwise().maxCoeff();
    }
    for (Eigen::Index n = 0; n < upper.size(); ++n)
        if (!std::isfinite(upper(n)) || std::fabs(upper(n)) < 1e-6f)
            upper(n) = 1.0f;
    return upper;
}

void FunctionsPanel::drawTrue(const Eigen::VectorXf& samples)
{
    const auto data = controller()->dataset();
    if (!data || data->typeParameters.rows() == 0)
        return;
    const Eigen::ArrayXd u = samples.cast<double>().array();
    for (Eigen::Index k = 0; k < data->typeParameters.rows(); ++k) {
        const Eigen::RowVectorXd p = data->typeParameters.row(k);
        const Eigen::ArrayXd phi = trueUpdateFunction(data->signalModel, p, u);
        const Eigen::ArrayXd psiRaw = trueTransferFunction(data->signalModel, p, u);
        Eigen::MatrixXf psiRow = psiRaw.cast<float>().matrix().transpose();
        const float scale = normalisation(psiRow, samples)(0);
        QColor color = Theme::typeColor(static_cast<int>(k));
        color.setAlpha(110);
        QVector<double> x(samples.size()), yPhi(samples.size()), yPsi(samples.size());
        for (Eigen::Index s = 0; s < samples.size(); ++s) {
            x[s] = samples(s);
            yPhi[s] = phi(s);
            yPsi[s] = psiRaw(s) / scale;
        }
        for (auto [plot, y] : {std::pair{m_update, &yPhi}, std::pair{m_transfer, &yPsi}}) {
            QCPGraph* graph = plot->addGraph();
            graph->setPen(QPen(color, 7));
            graph->setData(x, *y, true);
            graph->setName(tr("true, type %1").arg(k));
        }
    }
}

void FunctionsPanel::placeMarks()
{
    if (!m_marks[0])
        return;
    const int selected = selection()->current();
    const auto found = std::find(m_drawnNeurons.begin(), m_drawnNeurons.end(), selected);
    const int row = found == m_drawnNeurons.end() ? -1 : static_cast<int>(found - m_drawnNeurons.begin());
    for (int k = 0; k < 2; ++k) {
        QCustomPlot* plot = k == 0 ? m_update : m_transfer;
        if (row >= 0) {
            m_marks[k]->setData(plot->graph(m_firstLearned + row)->data());
            m_marks[k]->setName(tr("neuron %1").arg(selected));
            m_marks[k]->addToLegend();
        } else {
            m_marks[k]->data()->clear();
            m_marks[k]->removeFromLegend();
        }
    }
    m_info->setText(m_infoBase + (selected >= 0 && row < 0 ? tr("; neuron %1 is not among them").arg(selected) : QString()));
}

void FunctionsPanel::redrawSelection()
{
    placeMarks();
    m_update->replot(QCustomPlot::rpQueuedReplot);
    m_transfer->replot(QCustomPlot::rpQueuedReplot);
}

bool FunctionsPanel::redraw()
{
    m_update->clearGraphs();
    m_transfer->clearGraphs();
    m_marks[0] = m_marks[1] = nullptr;
    m_learnedCurves = 0;
    const auto data = controller()->dataset();
    const auto snapshot = controller()->snapshot();
    const auto& plotting = controller()->config().plotting;
    if (!data) {
        m_info->setText(tr("No data yet."));
        m_update->replot(QCustomPlot::rpQueuedReplot);
        m_transfer->replot(QCustomPlot::rpQueuedReplot);
        return false;
    }
    Eigen::VectorXf samples = Eigen::VectorXf::LinSpaced(200, static_cast<float>(plotting.xlim[0]),
                                                         static_cast<float>(plotting.xlim[1]));
    if (snapshot && snapshot->curveSamples.size() > 0)
        samples = snapshot->curveSamples;
    drawTrue(samples);
    const bool haveCurves = snapshot && snapshot->updateCurves.rows() > 0;
    if (haveCurves) {
        const Eigen::VectorXf upper = normalisation(snapshot->transferCurves, samples);
        QVector<double> x(samples.size());
        for (Eigen::Index s = 0; s < samples.size(); ++s)
            x[s] = samples(s);
        m_firstLearned = m_update->graphCount();
        for (std::size_t r = 0; r < snapshot->curveNeurons.size(); ++r) {
            const auto n = static_cast<int>(snapshot->curveNeurons[r]);
            QColor color = Theme::typeColor(data->types[static_cast<std::size_t>(n)]);
            color.setAlpha(160);
            QVector<double> phi(samples.size()), psi(samples.size());
            for (Eigen::Index s = 0; s < samples.size(); ++s) {
                phi[s] = snapshot->updateCurves(static_cast<Eigen::Index>(r), s);
                psi[s] = snapshot->transferCurves(static_cast<Eigen::Index>(r), s) / upper(static_cast<Eigen::Index>(r));
            }
            for (auto [plot, y] : {std::pair{m_update, &phi}, std::pair{m_transfer, &psi}}) {
                QCPGraph* graph = plot->addGraph();
                graph->setPen(QPen(color, 1));
                graph->setData(x, *y, true);
                graph->removeFromLegend();
            }
            ++m_learnedCurves;
        }
        m_drawnNeurons = snapshot->curveNeurons;
        for (int k = 0; k < 2; ++k) {
            m_marks[k] = (k == 0 ? m_update : m_transfer)->addGraph();
            m_marks[k]->setPen(QPen(ThemeManager::instance().theme().selection, 2.5));
        }
        m_infoBase = tr("%1 neurons' curves at iteration %2 (thick: true functions of each type)")
                         .arg(m_learnedCurves)
                         .arg(snapshot->iteration);
        placeMarks();
        m_drawnCurves = snapshot->curvesGeneration;
    } else {
        m_info->setText(tr("True functions of each type; the learned curves appear when training starts."));
        m_drawnCurves = -1;
    }
    m_update->xAxis->setRange(plotting.xlim[0], plotting.xlim[1]);
    m_update->yAxis->setRange(plotting.ylim[0], plotting.ylim[1]);
    m_transfer->xAxis->setRange(plotting.xlim[0], plotting.xlim[1]);
    m_transfer->yAxis->setRange(-1.5, 1.5);
    m_update->replot(QCustomPlot::rpQueuedReplot);
    m_transfer->replot(QCustomPlot::rpQueuedReplot);
    return haveCurves;
}

QString FunctionsPanel::csvText() const
{
    QString text;
    QTextStream out(&text);
    const auto snapshot = controller()->snapshot();
    out << "u";
    if (!snapshot || snapshot->updateCurves.rows() == 0)
        return text + "\n";
    for (auto n : snapshot->curveNeurons)
        out << ",phi_" << n;
    for (auto n : snapshot->curveNeurons)
        out << ",psi_" << n;
    out << "\n";
    for (Eigen::Index s = 0; s < snapshot->curveSamples.size(); ++s) {
        out << snapshot->curveSamples(s);
        for (Eigen::Index r = 0; r < snapshot->updateCurves.rows(); ++r)
            out << "," << snapshot->updateCurves(r, s);
        for (Eigen::Index r = 0; r < snapshot->transferCurves.rows(); ++r)
            out << "," << snapshot->transferCurves(r, s);
        out << "\n";
    }
    return text;
}

} // namespace plexus::ui
