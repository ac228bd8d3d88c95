#include "panels/connectivity_panel.h"

#include "plots/plot_export.h"
#include "plots/plot_style.h"
#include "studio/neuron_selection.h"
#include "studio/run_controller.h"

#include "plexus/analysis/evaluation.h"
#include "plexus/analysis/linear_fit.h"
#include "plexus/analysis/matrix_view.h"
#include "plexus/data/npy_file.h"

#include <QHBoxLayout>
#include <QVBoxLayout>
#include <QFileInfo>
#include <QGridLayout>
#include <QLabel>
#include <QTextStream>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <unordered_set>

namespace plexus::ui {

namespace {

constexpr std::size_t kScatterPoints = 20000;

} // namespace

ConnectivityPanel::ConnectivityPanel(RunController* controller, NeuronSelection* selection, QWidget* parent)
    : Panel("connectivity", tr("Connectivity"), controller, selection, parent)
{
    m_info = addInfoLabel();
    m_trueView = makePlot(this, tr("presynaptic j"), tr("postsynaptic i"));
    m_learnedView = makePlot(this, tr("presynaptic j"), tr("postsynaptic i"));
    m_scatter = makePlot(this, tr("true W"), tr("learned W"));
    m_history = makePlot(this, tr("iteration"), tr("W R²"));
    m_trueView->plotLayout()->insertRow(0);
    m_trueView->plotLayout()->addElement(0, 0, new QCPTextElement(m_trueView, tr("true W")));
    m_learnedView->plotLayout()->insertRow(0);
    m_learnedView->plotLayout()->addElement(0, 0, new QCPTextElement(m_learnedView, tr("learned W (ψ*-corrected)")));
    stylePlot(m_trueView, ThemeManager::instance().theme()); // the titles follow the theme too
    stylePlot(m_learnedView, ThemeManager::instance().theme());
    m_trueMap = new QCPColorMap(m_trueView->xAxis, m_trueView->yAxis);
    m_learnedMap = new QCPColorMap(m_learnedView->xAxis, m_learnedView->yAxis);
    for (QCustomPlot* view : {m_trueView, m_learnedView}) {
        view->yAxis->setRangeReversed(true); // row 0 at the top, as a matrix
    }
    auto* scale = new QCPColorScale(m_learnedView);
    m_learnedView->plotLayout()->addElement(1, 1, scale);
    m_learnedMap->setColorScale(scale);
    m_learnedMap->setGradient(divergingGradient(ThemeManager::instance().theme()));
    m_learnedMap->setDataRange(QCPRange(-1, 1));
    m_trueRow = new QCPItemRect(m_trueView);
    m_learnedRow = new QCPItemRect(m_learnedView);
    for (QCPItemRect* rect : {m_trueRow, m_learnedRow}) {
        rect->setPen(QPen(Qt::black, 1.5));
        rect->setVisible(false);
    }
    m_fitLine = new QCPItemStraightLine(m_scatter); // its pen follows the theme (drawScatter)
    m_history->yAxis->setRange(0, 1.02);

    m_grid = new QGridLayout;
    arrange(true);
    body()->addLayout(m_grid, 1);

    for (QCustomPlot* view : {m_trueView, m_learnedView}) {
        connect(view, &QCustomPlot::mousePress, this, [this, view](QMouseEvent* e) { pickFrom(view, e); });
        connect(view, &QCustomPlot::mouseMove, this, [this, view](QMouseEvent* e) { hover(view, e); });
    }
    connect(controller, &RunController::datasetChanged, this, &ConnectivityPanel::onDataset);
    connect(controller, &RunController::snapshotChanged, this, &ConnectivityPanel::markDirty);
    connect(controller, &RunController::metricsAppended, this, &ConnectivityPanel::markDirty);
    connect(selection, &NeuronSelection::changed, this, &ConnectivityPanel::markSelectionDirty);
}

QList<QCustomPlot*> ConnectivityPanel::plots() const
{
    QList<QCustomPlot*> shown;
    for (QCustomPlot* plot : {m_trueView, m_learnedView, m_scatter, m_history})
        if (!plot->isHidden())
            shown.push_back(plot);
    return shown;
}

void ConnectivityPanel::arrange(bool truth)
{
    m_trueView->setVisible(truth);
    m_history->setVisible(truth);
    if (truth) {
        m_grid->addWidget(m_trueView, 0, 0);
        m_grid->addWidget(m_learnedView, 0, 1);
        m_grid->addWidget(m_scatter, 1, 0);
        m_grid->addWidget(m_history, 1, 1);
        m_scatter->xAxis->setLabel(tr("true W"));
        m_scatter->yAxis->setLabel(tr("learned W"));
    } else {
        m_grid->addWidget(m_learnedView, 0, 0);
        m_grid->addWidget(m_scatter, 0, 1);
        m_scatter->xAxis->setLabel(tr("learned W (ψ*-corrected)"));
        m_scatter->yAxis->setLabel(tr("connections"));
    }
    m_grid->setRowStretch(0, 1);
    m_grid->setRowStretch(1, truth ? 1 : 0);
}

void ConnectivityPanel::pickFrom(QCustomPlot* plot, QMouseEvent* event)
{
    const auto data = controller()->dataset();
    if (!data || event->button() != Qt::LeftButton)
        return;
    const double row = plot->yAxis->pixelToCoord(event->position().y());
    const auto neuron = static_cast<int>(std::floor(row) * static_cast<double>(m_block));
    if (neuron >= 0 && neuron < data->neurons())
        selection()->setCurrent(neuron);
}

void ConnectivityPanel::hover(QCustomPlot* plot, QMouseEvent* event)
{
    const auto data = controller()->dataset();
    if (!data || m_trueBlocks.size() == 0)
        return;
    const auto row = static_cast<Eigen::Index>(std::floor(plot->yAxis->pixelToCoord(event->position().y()) + 0.5));
    const auto col = static_cast<Eigen::Index>(std::floor(plot->xAxis->pixelToCoord(event->position().x()) + 0.5));
    if (row < 0 || col < 0 || row >= m_trueBlocks.rows() || col >= m_trueBlocks.cols()) {
        plot->setToolTip({});
        return;
    }
    const auto learned = controller()->learnedConnectivity();
    const QString where = m_block > 1 ? tr("neurons %1–%2 ← %3–%4 (block mean)")
                                            .arg(row * m_block)
                                            .arg(std::min<std::int64_t>((row + 1) * m_block, data->neurons()) - 1)
                                            .arg(col * m_block)
                                            .arg(std::min<std::int64_t>((col + 1) * m_block, data->neurons()) - 1)
                                      : tr("W[%1, %2] (%2 → %1)").arg(row).arg(col);
    QString text = tr("%1\ntrue %2").arg(where).arg(m_trueBlocks(row, col), 0, 'g', 4);
    if (learned) {
        const std::int64_t n = data->neurons(), r0 = row * m_block, c0 = col * m_block;
        const float value = learned->block(r0, c0, std::min(m_block, n - r0), std::min(m_block, n - c0)).mean();
        text += tr("\nlearned %1").arg(value, 0, 'g', 4);
    }
    plot->setToolTip(text);
}

void ConnectivityPanel::onDataset()
{
    const auto data = controller()->dataset();
    m_sampleRows.clear();
    m_sampleCols.clear();
    if (!data) {
        m_trueBlocks.resize(0, 0);
        markDirty();
        return;
    }
    const std::int64_t n = data->neurons();
    m_block = viewBlockSize(n);
    const bool truth = data->connectivity.rows() == n;
    m_trueBlocks = truth ? blockAverage(data->connectivity, m_block) : Eigen::MatrixXf();
    m_limit = truth ? std::max(1e-6f, m_trueBlocks.cwiseAbs().maxCoeff()) : 1.0f;
    // The pairs drawn (and exported as CSV): all of them, or kScatterPoints distinct ones at random.
    std::mt19937 rng(7);
    std::uniform_int_distribution<std::int64_t> pick(0, n * n - 1);
    const bool all = static_cast<std::size_t>(n * n) <= kScatterPoints;
    std::unordered_set<std::int64_t> drawn;
    for (std::size_t k = 0; all ? k < static_cast<std::size_t>(n * n) : drawn.size() < kScatterPoints; ++k) {
        const std::int64_t pair = all ? static_cast<std::int64_t>(k) : pick(rng);
        const auto i = static_cast<std::int32_t>(pair / n), j = static_cast<std::int32_t>(pair % n);
        if (i == j || !drawn.insert(pair).second)
            continue;
        m_sampleRows.push_back(i);
        m_sampleCols.push_back(j);
    }
    const int size = static_cast<int>((n + m_block - 1) / m_block);
    arrange(truth);
    if (truth) {
        fillMap(m_trueMap, m_trueBlocks);
        const double limit = std::max(1e-6f, data->connectivity.cwiseAbs().maxCoeff());
        m_scatter->xAxis->setRange(-limit * 1.05, limit * 1.05);
        m_scatter->yAxis->setRange(-limit * 1.3, limit * 1.3);
    } else {
        m_trueMap->data()->clear(); // a recording has no true W: the learned one alone
        m_trueView->replot(QCustomPlot::rpQueuedReplot);
    }
    m_learnedView->xAxis->setRange(-0.5, size - 0.5);
    m_learnedView->yAxis->setRange(-0.5, size - 0.5);
    markDirty();
}

void ConnectivityPanel::fillMap(QCPColorMap* map, const Eigen::MatrixXf& view)
{
    const int size = static_cast<int>(view.rows());
    map->data()->setSize(size, size);
    map->data()->setRange(QCPRange(0, size - 1), QCPRange(0, size - 1));
    for (int r = 0; r < size; ++r)
        for (int c = 0; c < size; ++c)
            map->data()->setCell(c, r, view(r, c));
    map->setInterpolate(false);
    map->setGradient(divergingGradient(ThemeManager::instance().theme()));
    map->setDataRange(symmetricRange(m_limit));
    QCustomPlot* plot = map->parentPlot();
    plot->xAxis->setRange(-0.5, size - 0.5);
    plot->yAxis->setRange(-0.5, size - 0.5);
    plot->xAxis->setLabel(m_block > 1 ? tr("presynaptic j (blocks of %1)").arg(m_block) : tr("presynaptic j"));
}

bool ConnectivityPanel::redraw()
{
    const auto data = controller()->dataset();
    const auto snapshot = controller()->snapshot();
    drawHistory();
    if (data && m_trueBlocks.size() > 0)
        m_trueView->replot(QCustomPlot::rpQueuedReplot);
    if (!data || !controller()->learnedConnectivity()) {
        m_learnedMap->data()->clear();
        clearScatter();
        m_info->setText(!data ? tr("No data: press Simulate (or open a run).")
                        : m_trueBlocks.size() > 0 ? tr("True W shown; press Train to learn it.")
                                                  : tr("No true W (a recording); press Train to learn one."));
        m_info->setToolTip({});
        m_fitLine->setVisible(false);
        showPlaceholder(m_trueView, data ? QString() : tr("No data: press Simulate"));
        showPlaceholder(m_learnedView, data ? tr("Press Train:\nthe learned W appears here") : QString());
        showPlaceholder(m_scatter, data && m_trueBlocks.size() > 0 ? tr("learned against true W, once trained") : QString());
        showPlaceholder(m_history, data && m_trueBlocks.size() > 0 ? tr("W R² over the iterations, once trained") : QString());
        highlight();
        for (QCustomPlot* plot : {m_trueView, m_learnedView, m_scatter, m_history})
            plot->replot(QCustomPlot::rpQueuedReplot);
        return false;
    }
    for (QCustomPlot* plot : {m_trueView, m_learnedView, m_scatter, m_history})
        showPlaceholder(plot, {});
    const Eigen::MatrixXf& learned = *snapshot->connectivityFull;
    if (m_trueBlocks.size() == 0) { // no true W: the learned W on its own scale, no scatter, no R²
        m_limit = std::max(1e-6f, snapshot->connectivity.cwiseAbs().maxCoeff());
        fillMap(m_learnedMap, snapshot->connectivity);
        drawDistribution(learned);
        m_fitLine->setVisible(false);
        m_info->setText(tr("Learned W · iteration %1 · no true W (a recording)").arg(snapshot->iteration));
        m_info->setToolTip(tr("The learned W, ψ*-corrected, and how its weights spread. This recording has no true W "
                              "to compare with."));
        highlight();
        m_learnedView->replot(QCustomPlot::rpQueuedReplot);
        m_scatter->replot(QCustomPlot::rpQueuedReplot);
        return true;
    }
    fillMap(m_learnedMap, snapshot->connectivity); // the engine's view, same blocks as the truth
    drawScatter(learned);
    highlight();
    m_learnedView->replot(QCustomPlot::rpQueuedReplot);
    m_scatter->replot(QCustomPlot::rpQueuedReplot);
    return true;
}

void ConnectivityPanel::drawScatter(const Eigen::MatrixXf& learned)
{
    const auto data = controller()->dataset();
    // The fit is the engine's (Snapshot::connectivityFit, made on the training thread): evaluate's corrected fit.
    const LinearFit fit = controller()->snapshot()->connectivityFit;
    m_r2 = fit.r2;
    m_slope = fit.slope;
    clearScatter();
    // One cloud per receiving neuron's true type, in the type colours of the other panels: where a model cannot
    // tell types apart (supp_3, without latents) the scatter splits into one line per receiver type.
    const bool typed = static_cast<std::int64_t>(data->types.size()) == data->neurons();
    std::map<int, std::pair<QVector<double>, QVector<double>>> clouds;
    for (std::size_t k = 0; k < m_sampleRows.size(); ++k) {
        auto& [x, y] = clouds[typed ? data->types[static_cast<std::size_t>(m_sampleRows[k])] : -1];
        x.push_back(data->connectivity(m_sampleRows[k], m_sampleCols[k]));
        y.push_back(learned(m_sampleRows[k], m_sampleCols[k]));
    }
    for (auto& [type, points] : clouds) {
        QCPGraph* cloud = m_scatter->addGraph();
        cloud->setLineStyle(QCPGraph::lsNone);
        const QColor colour = type >= 0 ? Theme::typeColor(type) : ThemeManager::instance().theme().accent;
        cloud->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, colour, 2.5));
        cloud->setData(points.first, points.second);
    }
    drawSelectedRow();
    m_fitLine->setPen(QPen(ThemeManager::instance().theme().foreground, 1.5)); // apart from every type's colour
    m_fitLine->setVisible(true);
    m_fitLine->point1->setCoords(0, fit.intercept);
    m_fitLine->point2->setCoords(1, fit.intercept + fit.slope);
    const double limit = std::max(1e-6f, data->connectivity.cwiseAbs().maxCoeff());
    m_scatter->xAxis->setRange(-limit * 1.05, limit * 1.05);
    m_scatter->yAxis->setRange(-limit * 1.3, limit * 1.3);
    const TrainingMetrics& raw = controller()->snapshot()->metrics;
    m_info->setText(tr("W R² %1 · slope %2 · iteration %3")
                        .arg(fit.r2, 0, 'f', 4)
                        .arg(fit.slope, 0, 'f', 3)
                        .arg(controller()->snapshot()->iteration));
    m_info->setToolTip(tr("The ψ*-corrected learned W against the true W, coloured by the receiving neuron's type: "
                          "R² %1, slope %2 (uncorrected W/g: R² %3, slope %4)")
                           .arg(fit.r2, 0, 'f', 4)
                           .arg(fit.slope, 0, 'f', 3)
                           .arg(raw.connectivityR2, 0, 'f', 3)
                           .arg(raw.connectivitySlope, 0, 'f', 2));
}

void ConnectivityPanel::drawDistribution(const Eigen::MatrixXf& learned)
{
    // How the learned weights spread: a histogram of the drawn pairs (sparsity shows as a spike at 0).
    clearScatter();
    if (m_sampleRows.empty())
        return;
    std::vector<float> values;
    values.reserve(m_sampleRows.size());
    for (std::size_t k = 0; k < m_sampleRows.size(); ++k)
        values.push_back(learned(m_sampleRows[k], m_sampleCols[k]));
    const float limit = std::max(1e-6f, std::max(std::abs(*std::min_element(values.begin(), values.end())),
                                                 std::abs(*std::max_element(values.begin(), values.end()))));
    constexpr int kBins = 61;
    QVector<double> x(kBins), y(kBins, 0.0);
    for (int b = 0; b < kBins; ++b)
        x[b] = -limit + (b + 0.5) * 2.0 * limit / kBins;
    for (float v : values)
        y[std::clamp(static_cast<int>((v + limit) / (2.0f * limit) * kBins), 0, kBins - 1)] += 1.0;
    QCPGraph* bars = m_scatter->addGraph();
    bars->setLineStyle(QCPGraph::lsStepCenter);
    bars->setPen(QPen(ThemeManager::instance().theme().accent, 1.5));
    bars->setData(x, y, true);
    m_scatter->xAxis->setRange(-limit * 1.05, limit * 1.05);
    m_scatter->yAxis->setRange(0, *std::max_element(y.begin(), y.end()) * 1.1);
}

void ConnectivityPanel::clearScatter()
{
    m_scatter->clearGraphs();
    m_rowGraph = nullptr;
}

void ConnectivityPanel::drawSelectedRow()
{
    const auto data = controller()->dataset();
    const auto learned = controller()->learnedConnectivity();
    if (!data || !learned || m_scatter->graphCount() == 0 || data->connectivity.rows() != data->neurons())
        return;
    if (!m_rowGraph)
        m_rowGraph = m_scatter->addGraph();
    QCPGraph* row = m_rowGraph;
    row->setLineStyle(QCPGraph::lsNone);
    row->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, ThemeManager::instance().theme().selection, 5));
    QVector<double> x, y;
    const int selected = selection()->current();
    if (selected >= 0 && selected < data->neurons())
        for (Eigen::Index j = 0; j < data->neurons(); ++j)
            if (j != selected) {
                x.push_back(data->connectivity(selected, j));
                y.push_back((*learned)(selected, j));
            }
    row->setData(x, y);
}

void ConnectivityPanel::redrawSelection()
{
    highlight();
    drawSelectedRow();
    for (QCustomPlot* plot : plots())
        plot->replot(QCustomPlot::rpQueuedReplot);
}

void ConnectivityPanel::drawHistory()
{
    const auto& history = controller()->history();
    m_history->clearGraphs();
    QVector<double> x, y;
    for (const TrainingMetrics& m : history) {
        x.push_back(static_cast<double>(m.iteration));
        y.push_back(m.connectivityR2);
    }
    QCPGraph* graph = m_history->addGraph();
    graph->setPen(QPen(ThemeManager::instance().theme().accent, 1.5));
    graph->setData(x, y, true);
    if (!x.isEmpty())
        m_history->xAxis->setRange(0, std::max(1.0, x.back()));
    m_history->replot(QCustomPlot::rpQueuedReplot);
}

void ConnectivityPanel::highlight()
{
    const int selected = selection()->current();
    const auto data = controller()->dataset();
    const bool show = selected >= 0 && data && selected < data->neurons();
    const double row = show ? std::floor(selected / static_cast<double>(m_block)) : 0.0;
    const double size = data ? std::ceil(static_cast<double>(data->neurons()) / static_cast<double>(m_block)) : 0.0;
    for (QCPItemRect* rect : {m_trueRow, m_learnedRow}) {
        rect->setVisible(show);
        rect->setPen(QPen(ThemeManager::instance().theme().selection, 1.5));
        rect->topLeft->setCoords(-0.5, row - 0.5);
        rect->bottomRight->setCoords(size - 0.5, row + 0.5);
    }
}

QString ConnectivityPanel::csvText() const
{
    QString text;
    QTextStream out(&text);
    out << "i,j,true_w,learned_w_corrected\n";
    const auto data = controller()->dataset();
    const auto learned = controller()->learnedConnectivity();
    if (!data)
        return text;
    const bool truth = data->connectivity.rows() == data->neurons();
    for (std::size_t k = 0; k < m_sampleRows.size(); ++k) {
        const int i = m_sampleRows[k], j = m_sampleCols[k];
        out << i << "," << j << ",";
        if (truth)
            out << data->connectivity(i, j);
        out << ",";
        if (learned)
            out << (*learned)(i, j);
        out << "\n";
    }
    return text;
}

bool ConnectivityPanel::exportLearnedW(const QString& path, QString* error) const
{
    const auto learned = controller()->learnedConnectivity();
    if (!learned) {
        *error = tr("There is no learned W yet: train first.");
        return false;
    }
    const Eigen::MatrixXf& w = *learned;
    const std::int64_t n = w.rows();
    if (QFileInfo(path).suffix().toLower() == "npy") {
        try {
            NpyWriter writer(path.toStdString(), {n, n});
            const Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> rows = w;
            writer.write(rows.data(), rows.size());
            writer.commit();
            return true;
        } catch (const std::exception& e) {
            *error = QString::fromStdString(e.what());
            return false;
        }
    }
    QString text;
    QTextStream out(&text);
    for (std::int64_t i = 0; i < n; ++i) {
        for (std::int64_t j = 0; j < n; ++j)
            out << (j ? "," : "") << w(i, j);
        out << "\n";
    }
    return writeTextFile(path, text, error);
}

void ConnectivityPanel::applyTheme(const Theme& theme)
{
    Panel::applyTheme(theme);
    // The colour maps' centre follows the theme (white or dark grey): repaint them now, not at the next data.
    for (QCPColorMap* map : {m_trueMap, m_learnedMap})
        map->setGradient(divergingGradient(theme));
    for (QCustomPlot* plot : {m_trueView, m_learnedView})
        plot->replot(QCustomPlot::rpQueuedReplot);
}

} // namespace plexus::ui
