#include "panels/functions_panel.h"

#include "plots/plot_style.h"
#include "studio/neuron_selection.h"
#include "studio/run_controller.h"

#include "plexus/analysis/evaluation.h"
#include "plexus/sim/true_functions.h"

#include <QFontMetrics>
#include <QHBoxLayout>
#include <QLabel>
#include <QScrollArea>
#include <QTextStream>

#include <algorithm>
#include <array>
#include <limits>
#include <map>
#include <cmath>

namespace plexus::ui {

namespace {

/// The property holding an in-plot formula's whole text.
constexpr const char* kFullFormula = "plexusFullFormula";

/// The formulas drawn into `plot` (not its "… more below" note).
QList<QCPItemText*> formulaItems(const QCustomPlot* plot)
{
    QList<QCPItemText*> items;
    for (int i = 0; i < plot->itemCount(); ++i)
        if (auto* item = qobject_cast<QCPItemText*>(plot->item(i)); item && item->property(kFullFormula).isValid())
            items << item;
    return items;
}

/// The in-plot formulas cut to the plot's width with "…" (the whole formulas are listed under the plots), again after
/// every layout: a narrow panel shows the start of each formula rather than one clipped at the plot's edge.
void fitFormulasToPlot(QCustomPlot* plot)
{
    const int room = std::max(24, static_cast<int>(plot->axisRect()->width() * 0.96) - 8); // 2 % inset, padding
    for (QCPItemText* item : formulaItems(plot))
        item->setText(QFontMetrics(item->font()).elidedText(item->property(kFullFormula).toString(), Qt::ElideRight, room));
}

} // namespace

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
    for (QCustomPlot* plot : {m_update, m_transfer}) // drawn after the layout, before the curves are painted
        connect(plot, &QCustomPlot::afterLayout, plot, [plot] { fitFormulasToPlot(plot); });
    m_formulas = new QLabel(this);
    m_formulas->setObjectName("formulas");
    m_formulas->setWordWrap(true);
    m_formulas->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_formulas->setToolTip(tr("The learned functions written as formulas by symbolic regression, searched whenever "
                              "training pauses or ends (docs/equations.md). Beside each, the generator's own "
                              "formula when the data are a simulation."));
    // At most about five lines high (32 types would otherwise squeeze the plots away); scrolls beyond.
    auto* scroller = new QScrollArea(this);
    scroller->setWidget(m_formulas);
    scroller->setWidgetResizable(true);
    scroller->setFrameShape(QFrame::NoFrame);
    scroller->setMaximumHeight(5 * m_formulas->fontMetrics().lineSpacing() + 8);
    scroller->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    body()->addWidget(scroller);
    connect(controller, &RunController::snapshotChanged, this, [this] {
        const auto s = this->controller()->snapshot();
        if (!s || s->curvesGeneration != m_drawnCurves || s->equationsIteration != m_drawnEquations)
            markDirty();
    });
    connect(controller, &RunController::progressChanged, this, &FunctionsPanel::refreshEquationStatus);
    connect(controller, &RunController::datasetChanged, this, [this] {
        m_drawnCurves = -1;
        markDirty();
    });
    connect(selection, &NeuronSelection::changed, this, &FunctionsPanel::markSelectionDirty);
}

float FunctionsPanel::learnedScale(const Snapshot& snapshot, std::size_t row) const
{
    // The engine's ψ* normalisation of that neuron (transferScales, as `plexus-cli evaluate`), never recomputed here.
    const auto n = static_cast<Eigen::Index>(snapshot.curveNeurons[row]);
    const float upper = n < snapshot.transferScale.size() ? snapshot.transferScale(n) : 1.0f;
    return std::isfinite(upper) && std::fabs(upper) >= 1e-6f ? upper : 1.0f;
}

std::pair<double, double> FunctionsPanel::drawTrue(const Eigen::VectorXf& samples)
{
    std::pair<double, double> range{0.0, 0.0};
    const auto data = controller()->dataset();
    if (!data || data->typeParameters.rows() == 0)
        return range;
    const Eigen::ArrayXd u = samples.cast<double>().array();
    for (Eigen::Index k = 0; k < data->typeParameters.rows(); ++k) {
        const Eigen::RowVectorXd p = data->typeParameters.row(k);
        const Eigen::ArrayXd phi = trueUpdateFunction(data->signalModel, p, u);
        range = {std::min(range.first, phi.minCoeff()), std::max(range.second, phi.maxCoeff())};
        const Eigen::ArrayXd psiRaw = trueTransferFunction(data->signalModel, p, u);
        const auto& scales = controller()->trueTransferScales(); // the engine's, as in the evaluation
        const float scale = k < scales.size() ? scales(k) : 1.0f;
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
    return range;
}

namespace {

/// Beyond this many neurons the learned curves are drawn without antialiasing (a bundle of hundreds of thin lines
/// looks the same, and draws several times faster).
constexpr std::size_t kSmoothCurves = 300;

} // namespace

void FunctionsPanel::drawLearned(const Snapshot& snapshot, const Dataset& data)
{
    // One curve per colour and plot — the neurons of a type (or cluster) one after another, a NaN between them for
    // a gap — rather than a graph per neuron: a thousand neurons draw in a few milliseconds, not a hundred.
    std::map<int, std::array<QVector<QCPCurveData>, 2>> groups;
    const Eigen::Index samples = snapshot.curveSamples.size();
    const double gap = std::numeric_limits<double>::quiet_NaN();
    for (std::size_t r = 0; r < snapshot.curveNeurons.size(); ++r) {
        const auto n = static_cast<std::size_t>(snapshot.curveNeurons[r]);
        // By true type; on a recording (no types) by the cluster the neuron was found in.
        const bool byCluster = data.types.empty() && n < snapshot.clusters.size();
        auto& [phi, psi] = groups[byCluster ? snapshot.clusters[n] : data.typeOf(static_cast<int>(n))];
        const float upper = learnedScale(snapshot, r);
        const auto row = static_cast<Eigen::Index>(r);
        for (Eigen::Index s = 0; s < samples; ++s) {
            const double u = snapshot.curveSamples(s);
            phi.append(QCPCurveData(phi.size(), u, snapshot.updateCurves(row, s)));
            psi.append(QCPCurveData(psi.size(), u, snapshot.transferCurves(row, s) / upper));
        }
        phi.append(QCPCurveData(phi.size(), gap, gap));
        psi.append(QCPCurveData(psi.size(), gap, gap));
    }
    for (auto& [group, curves] : groups) {
        QColor color = Theme::typeColor(group);
        color.setAlpha(160);
        for (int k = 0; k < 2; ++k) {
            QCustomPlot* plot = k == 0 ? m_update : m_transfer;
            auto* curve = new QCPCurve(plot->xAxis, plot->yAxis);
            curve->setPen(QPen(color, 1));
            curve->setAntialiased(snapshot.curveNeurons.size() <= kSmoothCurves);
            curve->data()->set(curves[static_cast<std::size_t>(k)], true);
            curve->removeFromLegend();
        }
    }
    m_learnedCurves = static_cast<int>(snapshot.curveNeurons.size());
}

QString FunctionsPanel::notDrawnText(int neuron) const
{
    const StudioState state = controller()->state();
    return state == StudioState::Training || state == StudioState::Paused
               ? tr(" · neuron %1's curves come with the next update").arg(neuron)
               : tr(" · neuron %1 is not among those drawn (its curves are added while training or paused)").arg(neuron);
}

void FunctionsPanel::placeMarks()
{
    if (!m_marks[0] || !m_drawnSnapshot)
        return;
    const int selected = selection()->current();
    const std::vector<std::int64_t>& drawn = m_drawnSnapshot->curveNeurons;
    const auto found = std::find(drawn.begin(), drawn.end(), selected);
    const int row = found == drawn.end() ? -1 : static_cast<int>(found - drawn.begin());
    for (int k = 0; k < 2; ++k) {
        if (row >= 0) {
            const Snapshot& snapshot = *m_drawnSnapshot;
            const auto r = static_cast<Eigen::Index>(row);
            const float scale = k == 0 ? 1.0f : learnedScale(snapshot, static_cast<std::size_t>(row));
            QVector<double> x(snapshot.curveSamples.size()), y(snapshot.curveSamples.size());
            for (Eigen::Index s = 0; s < snapshot.curveSamples.size(); ++s) {
                x[s] = snapshot.curveSamples(s);
                y[s] = (k == 0 ? snapshot.updateCurves(r, s) : snapshot.transferCurves(r, s)) / scale;
            }
            m_marks[k]->setData(x, y, true);
            m_marks[k]->setName(tr("neuron %1").arg(selected));
            m_marks[k]->addToLegend();
        } else {
            m_marks[k]->data()->clear();
            m_marks[k]->removeFromLegend();
        }
    }
    m_info->setText(m_infoBase + (selected >= 0 && row < 0 ? notDrawnText(selected) : QString()));
}

void FunctionsPanel::redrawSelection()
{
    placeMarks();
    m_update->replot(QCustomPlot::rpQueuedReplot);
    m_transfer->replot(QCustomPlot::rpQueuedReplot);
}

void FunctionsPanel::refreshEquationStatus()
{
    const bool searching = controller()->searchingEquations();
    if (searching == m_drawnSearching)
        return;
    drawEquations(controller()->snapshot().get());
    m_update->replot(QCustomPlot::rpQueuedReplot);
    m_transfer->replot(QCustomPlot::rpQueuedReplot);
}

namespace {

/// Formulas drawn inside a plot (the others are listed under the plots only).
constexpr int kFormulasInPlot = 6;

QString formulaLine(const CurveEquation& c, const QColor& color)
{
    const ParetoEntry* best = c.search.best();
    const QString function = c.function == "update" ? "φ*(u)" : "ψ*(u)/upper";
    const QString who = c.cluster >= 0 ? QObject::tr("cluster %1").arg(c.cluster) : QObject::tr("all neurons");
    QString line = QString("<span style=\"color:%1\">■</span> %2 · %3 = <b>%4</b> <small>(R² %5")
                       .arg(color.name(), who, function, QString::fromStdString(best->expression.readable("u")).toHtmlEscaped())
                       .arg(best->r2, 0, 'f', 5);
    if (!c.truth.empty())
        line += QObject::tr("; generator%1: %2%3")
                    .arg(c.trueType >= 0 ? QObject::tr(" of type %1").arg(c.trueType) : QString())
                    .arg(QString::fromStdString(c.truth.readable("u")).toHtmlEscaped())
                    .arg(c.match.structureMatches ? QObject::tr(", same form") : QObject::tr(", another form"));
    return line + ")</small>";
}

QColor formulaColor(const CurveEquation& c)
{
    if (c.trueType >= 0)
        return Theme::typeColor(c.trueType);
    return c.cluster >= 0 ? Theme::typeColor(c.cluster) : ThemeManager::instance().theme().foreground;
}

} // namespace

void FunctionsPanel::drawEquations(const Snapshot* snapshot)
{
    m_drawnSearching = controller()->searchingEquations();
    m_update->clearItems();
    m_transfer->clearItems();
    const bool have = snapshot && snapshot->equations && !snapshot->equations->empty();
    m_drawnEquations = have ? snapshot->equationsIteration : -1;
    if (!have) {
        m_formulas->setText(m_drawnSearching ? tr("Formulas: searching the learned functions' formulas…")
                                             : tr("Formulas of the learned functions appear when training pauses or ends."));
        return;
    }
    QStringList lines;
    int placed[2] = {0, 0};
    for (const CurveEquation& c : *snapshot->equations) {
        const ParetoEntry* best = c.search.best();
        if (!best)
            continue;
        const QColor color = formulaColor(c);
        lines << formulaLine(c, color);
        const int k = c.function == "update" ? 0 : 1;
        QCustomPlot* plot = k == 0 ? m_update : m_transfer;
        if (placed[k] >= kFormulasInPlot) { // the rest are listed under the plots
            if (placed[k]++ == kFormulasInPlot) {
                auto* more = new QCPItemText(plot);
                more->position->setType(QCPItemPosition::ptAxisRectRatio);
                more->position->setCoords(0.02, 0.03 + 0.075 * kFormulasInPlot);
                more->setPositionAlignment(Qt::AlignLeft | Qt::AlignTop);
                more->setText(tr("… more below"));
            }
            continue;
        }
        auto* item = new QCPItemText(plot);
        item->position->setType(QCPItemPosition::ptAxisRectRatio);
        item->position->setCoords(0.02, 0.03 + 0.075 * placed[k]++);
        item->setPositionAlignment(Qt::AlignLeft | Qt::AlignTop);
        item->setProperty(kFullFormula, QString::fromStdString(best->expression.readable("u")));
        item->setText(item->property(kFullFormula).toString());
        item->setColor(color.darker(115));
        QColor backdrop = ThemeManager::instance().theme().background;
        backdrop.setAlpha(200); // readable over the curves of its own colour
        item->setBrush(QBrush(backdrop));
        item->setPadding(QMargins(3, 1, 3, 1));
        item->setClipToAxisRect(true);
    }
    const QString when = snapshot->equationsIteration == snapshot->iteration
                             ? tr("Formulas (iteration %1):").arg(snapshot->equationsIteration)
                             : tr("Formulas of iteration %1 (training has moved on; new ones at the next pause):")
                                   .arg(snapshot->equationsIteration);
    m_formulas->setText(when + "<br>" + lines.join("<br>"));
}

bool FunctionsPanel::plotFormulasFit() const
{
    for (QCustomPlot* plot : {m_update, m_transfer})
        for (QCPItemText* item : formulaItems(plot))
            if (QFontMetrics(item->font()).horizontalAdvance(item->text()) > plot->axisRect()->width())
                return false;
    return true;
}

QString FunctionsPanel::equationsText() const
{
    const auto snapshot = controller()->snapshot();
    if (!snapshot || !snapshot->equations)
        return {};
    QString text = tr("Formulas of the learned functions at iteration %1 (docs/equations.md)\n").arg(snapshot->equationsIteration);
    for (const CurveEquation& c : *snapshot->equations) {
        const ParetoEntry* best = c.search.best();
        if (!best)
            continue;
        text += QString("%1: %2  (R² %3, %4 nodes)").arg(QString::fromStdString(c.name),
                                                        QString::fromStdString(best->expression.readable("u")))
                    .arg(best->r2, 0, 'f', 6)
                    .arg(best->complexity);
        if (!c.truth.empty())
            text += tr("; generator: %1 (%2)").arg(QString::fromStdString(c.truth.readable("u")),
                                                   c.match.structureMatches ? tr("same form") : tr("another form"));
        text += "\n";
    }
    return text;
}

bool FunctionsPanel::redraw()
{
    m_update->clearPlottables();
    m_transfer->clearPlottables();
    m_marks[0] = m_marks[1] = nullptr;
    m_drawnSnapshot.reset();
    m_learnedCurves = 0;
    const auto data = controller()->dataset();
    const auto snapshot = controller()->snapshot();
    const auto& plotting = controller()->config().plotting;
    if (!data) {
        m_info->setText(tr("No data: press Simulate (or open a run)."));
        showPlaceholder(m_update, tr("No data: press Simulate"));
        drawEquations(nullptr);
        m_update->replot(QCustomPlot::rpQueuedReplot);
        m_transfer->replot(QCustomPlot::rpQueuedReplot);
        return false;
    }
    showPlaceholder(m_update, {});
    Eigen::VectorXf samples = Eigen::VectorXf::LinSpaced(200, static_cast<float>(plotting.xlim[0]),
                                                         static_cast<float>(plotting.xlim[1]));
    if (snapshot && snapshot->curveSamples.size() > 0)
        samples = snapshot->curveSamples;
    const auto [trueLow, trueHigh] = drawTrue(samples);
    const bool haveCurves = snapshot && snapshot->updateCurves.rows() > 0;
    if (haveCurves) {
        drawLearned(*snapshot, *data);
        m_drawnSnapshot = snapshot;
        for (int k = 0; k < 2; ++k) {
            m_marks[k] = (k == 0 ? m_update : m_transfer)->addGraph();
            m_marks[k]->setPen(QPen(ThemeManager::instance().theme().selection, 2.5));
        }
        const QString drawn = m_learnedCurves == data->neurons()
                                  ? tr("all %1 neurons").arg(m_learnedCurves)
                                  : tr("%1 of %2 neurons").arg(m_learnedCurves).arg(data->neurons());
        m_infoBase = tr("%1 · iteration %2").arg(drawn).arg(snapshot->iteration) +
                     (data->typeParameters.rows() > 0 ? QString() : tr(" · no true functions (a recording)"));
        m_info->setToolTip(data->typeParameters.rows() > 0
                               ? tr("Thin: each drawn neuron's learned curve, coloured by its true type; thick: the true "
                                    "function of each type.")
                               : tr("Each drawn neuron's learned curve, coloured by its cluster (a recording: no true "
                                    "functions)."));
        placeMarks();
        m_drawnCurves = snapshot->curvesGeneration;
    } else {
        m_info->setText(tr("True functions of each type; press Train to learn them."));
        m_drawnCurves = -1;
    }
    m_update->xAxis->setRange(plotting.xlim[0], plotting.xlim[1]);
    // φ*'s axis: plotting.mlp0_ylim, widened where the true functions go beyond it (never a cropped truth).
    const double margin = 0.05 * (trueHigh - trueLow);
    m_update->yAxis->setRange(std::min(plotting.mlp0Ylim[0], trueLow - margin),
                              std::max(plotting.mlp0Ylim[1], trueHigh + margin));
    m_transfer->xAxis->setRange(plotting.xlim[0], plotting.xlim[1]);
    m_transfer->yAxis->setRange(-1.5, 1.5);
    drawEquations(snapshot.get());
    m_update->replot(QCustomPlot::rpQueuedReplot);
    m_transfer->replot(QCustomPlot::rpQueuedReplot);
    return haveCurves;
}

std::pair<double, double> FunctionsPanel::updateAxisRange() const
{
    return {m_update->yAxis->range().lower, m_update->yAxis->range().upper};
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

QString FunctionsPanel::figureCaption() const
{
    const QString formulas = equationsText().trimmed();
    return Panel::figureCaption() + (formulas.isEmpty() ? QString() : "\n" + formulas);
}

} // namespace plexus::ui
