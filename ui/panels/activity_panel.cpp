#include "panels/activity_panel.h"

#include "plots/plot_style.h"
#include "studio/neuron_selection.h"
#include "studio/playback.h"
#include "studio/run_controller.h"

#include <QLabel>
#include <QLineEdit>
#include <QHBoxLayout>
#include <QTextStream>
#include <QVBoxLayout>

#include <algorithm>
#include <set>

namespace plexus::ui {

namespace {

constexpr int kMaxTracePoints = 2000;
constexpr int kMaxHeatmapColumns = 800;
constexpr int kMaxHeatmapRows = 400;
constexpr int kTraceWindow = 1000; ///< frames shown at first (the roll-out covers the first 400)

} // namespace

ActivityPanel::ActivityPanel(RunController* controller, NeuronSelection* selection, Playback* playback, QWidget* parent)
    : Panel("activity", tr("Activity"), controller, selection, parent), m_playback(playback)
{
    m_info = addInfoLabel();
    m_pinned = new QLineEdit(this);
    m_pinned->setObjectName("pinnedNeurons");
    m_pinned->setPlaceholderText(tr("traces: e.g. 3, 10-12"));
    m_pinned->setToolTip(tr("Neurons whose traces to show besides the selected one (empty: one neuron per type)"));
    m_pinned->setMaximumWidth(200);
    addTool(m_pinned);
    connect(m_pinned, &QLineEdit::editingFinished, this, [this] { setPinnedNeurons(m_pinned->text()); });
    // Enter hands the keyboard back to the window (Space already means Pause here: SpaceForPause).
    connect(m_pinned, &QLineEdit::returnPressed, m_pinned, [this] { m_pinned->clearFocus(); });
    m_traces = makePlot(this, tr("frame"), tr("u"));
    m_heatmap = makePlot(this, tr("frame"), tr("neuron"));
    m_heatmap->setInteractions(QCP::iRangeZoom | QCP::iRangeDrag);
    m_map = new QCPColorMap(m_heatmap->xAxis, m_heatmap->yAxis);
    m_map->setInterpolate(false);
    m_map->setGradient(QCPColorGradient(QCPColorGradient::gpThermal));
    m_traceCursor = new QCPItemStraightLine(m_traces);
    m_mapCursor = new QCPItemStraightLine(m_heatmap);
    for (auto*& mark : m_rowMarks) {
        mark = new QCPItemStraightLine(m_heatmap);
        mark->setVisible(false);
    }
    for (auto* cursor : {m_traceCursor, m_mapCursor})
        cursor->setPen(QPen(QColor(120, 120, 120), 1, Qt::DashLine));
    body()->addWidget(m_traces, 1);
    connect(m_traces->xAxis, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this, [this](const QCPRange& range) {
        if (!m_settingRange) {
            m_windowFrom = range.lower;
            m_windowTo = range.upper;
        }
    });
    body()->addWidget(m_heatmap, 1);

    connect(m_heatmap, &QCustomPlot::mousePress, this, [this](QMouseEvent* event) {
        if (event->button() != Qt::LeftButton || !this->controller()->dataset())
            return;
        const int neuron = static_cast<int>(std::floor(m_heatmap->yAxis->pixelToCoord(event->position().y()) + 0.5));
        if (neuron >= 0 && neuron < this->controller()->dataset()->neurons())
            this->selection()->setCurrent(neuron);
    });
    connect(m_heatmap, &QCustomPlot::mouseMove, this, [this](QMouseEvent* event) {
        const auto data = this->controller()->dataset();
        if (!data)
            return;
        const int frame = static_cast<int>(m_heatmap->xAxis->pixelToCoord(event->position().x()));
        const int neuron = static_cast<int>(std::floor(m_heatmap->yAxis->pixelToCoord(event->position().y()) + 0.5));
        if (frame >= 0 && frame < data->frames() && neuron >= 0 && neuron < data->neurons())
            m_heatmap->setToolTip(tr("neuron %1 (type %2), frame %3: u = %4")
                                      .arg(neuron)
                                      .arg(data->typeOf(neuron))
                                      .arg(frame)
                                      .arg(data->activity(frame, neuron), 0, 'g', 4));
    });
    connect(controller, &RunController::datasetChanged, this, [this] {
        rebuildHeatmap();
        markDirty();
    });
    connect(controller, &RunController::snapshotChanged, this, [this] {
        const auto s = this->controller()->snapshot();
        if (s && s->rollout)
            markDirty();
    });
    connect(selection, &NeuronSelection::changed, this, &ActivityPanel::markSelectionDirty);
    connect(playback, &Playback::frameChanged, this, &ActivityPanel::moveCursor);
}

bool ActivityPanel::setPinnedNeurons(const QString& text)
{
    const auto data = controller()->dataset();
    const int neurons = data ? static_cast<int>(data->neurons()) : 0;
    std::vector<int> pinned;
    QString error;
    for (const QString& part : text.split(',', Qt::SkipEmptyParts)) {
        const QStringList range = part.trimmed().split('-');
        bool okFirst = false, okLast = true;
        const int first = range.value(0).trimmed().toInt(&okFirst);
        const int last = range.size() == 2 ? range[1].trimmed().toInt(&okLast) : first;
        if (range.size() > 2 || !okFirst || !okLast || first > last) {
            error = tr("'%1' is not a neuron number or a range like 10-12").arg(part.trimmed());
            break;
        }
        if (first < 0 || last >= neurons) {
            error = tr("neuron numbers go from 0 to %1").arg(neurons - 1);
            break;
        }
        for (int n = first; n <= last && pinned.size() < 12; ++n)
            pinned.push_back(n);
    }
    m_pinned->setText(text);
    m_pinned->setStyleSheet(error.isEmpty() ? QString() : QStringLiteral("background: #ffdcdc"));
    m_pinned->setToolTip(error.isEmpty() ? tr("Neurons whose traces to show besides the selected one (at most 12)")
                                         : error);
    if (!error.isEmpty())
        return false;
    m_pinnedNeurons = pinned;
    markDirty();
    return true;
}

std::vector<int> ActivityPanel::shownNeurons() const
{
    std::vector<int> shown;
    const auto data = controller()->dataset();
    if (!data)
        return shown;
    if (selection()->current() >= 0 && selection()->current() < data->neurons())
        shown.push_back(selection()->current());
    if (!m_pinnedNeurons.empty()) {
        for (int n : m_pinnedNeurons)
            if (n < data->neurons() && (shown.empty() || shown.front() != n))
                shown.push_back(n);
        return shown;
    }
    std::set<int> seenTypes;
    for (int n = 0; n < data->neurons() && shown.size() < 5; ++n) {
        const int type = data->typeOf(n);
        if (seenTypes.insert(type).second && (shown.empty() || shown.front() != n))
            shown.push_back(n);
    }
    return shown;
}

void ActivityPanel::rebuildHeatmap()
{
    const auto data = controller()->dataset();
    if (!data) {
        m_map->data()->clear();
        return;
    }
    const int frames = static_cast<int>(data->frames()), neurons = static_cast<int>(data->neurons());
    const int columns = std::min(frames, kMaxHeatmapColumns), rows = std::min(neurons, kMaxHeatmapRows);
    m_map->data()->setSize(columns, rows);
    m_map->data()->setRange(QCPRange(0, frames - 1), QCPRange(0, neurons - 1));
    for (int c = 0; c < columns; ++c) {
        const int frame = static_cast<int>(static_cast<std::int64_t>(c) * (frames - 1) / std::max(1, columns - 1));
        for (int r = 0; r < rows; ++r) {
            const int neuron = static_cast<int>(static_cast<std::int64_t>(r) * (neurons - 1) / std::max(1, rows - 1));
            m_map->data()->setCell(c, r, data->activity(frame, neuron));
        }
    }
    const float limit = data->activity.cwiseAbs().maxCoeff();
    m_map->setDataRange(QCPRange(-limit, limit));
    m_map->setGradient(divergingGradient(ThemeManager::instance().theme()));
    m_heatmap->xAxis->setRange(0, frames - 1);
    m_heatmap->yAxis->setRange(-0.5, neurons - 0.5);
    m_windowFrom = m_windowTo = 0.0;
    m_playback->setFrames(frames);
}

bool ActivityPanel::redraw()
{
    const auto data = controller()->dataset();
    m_traces->clearGraphs();
    if (!data) {
        m_info->setText(tr("No activity yet: press Simulate."));
        showPlaceholder(m_traces, tr("No data: press Simulate"));
        placeLegendAbove(m_traces, 3);
        m_traces->replot(QCustomPlot::rpQueuedReplot);
        m_heatmap->replot(QCustomPlot::rpQueuedReplot);
        return false;
    }
    showPlaceholder(m_traces, {});
    const auto snapshot = controller()->snapshot();
    const RolloutTraces* rollout = snapshot && snapshot->rollout ? snapshot->rollout.get() : nullptr;
    const int frames = static_cast<int>(data->frames());
    const int stride = std::max(1, frames / kMaxTracePoints);
    const std::vector<int> shown = shownNeurons();
    for (std::size_t k = 0; k < shown.size(); ++k) {
        const int n = shown[k];
        const bool selected = n == selection()->current();
        const QColor color = Theme::traceColor(static_cast<int>(k)); // distinct per trace; the type is in the name
        QVector<double> x, y;
        for (int f = 0; f < frames; f += stride) {
            x.push_back(f);
            y.push_back(data->activity(f, n));
        }
        QCPGraph* graph = m_traces->addGraph();
        graph->setData(x, y, true);
        graph->setPen(QPen(color, selected ? 2.5 : 1.2));
        graph->setName(tr("neuron %1%2%3")
                           .arg(n)
                           .arg(data->typeOf(n) >= 0 ? tr(" · type %1").arg(data->typeOf(n)) : QString())
                           .arg(selected ? tr(" (selected)") : QString()));
        if (rollout && n < rollout->learned.cols()) {
            QVector<double> rx, ry;
            for (Eigen::Index f = 0; f < rollout->learned.rows(); ++f) {
                rx.push_back(static_cast<double>(f));
                ry.push_back(rollout->learned(f, n));
            }
            QCPGraph* learned = m_traces->addGraph();
            learned->setData(rx, ry, true);
            learned->setPen(QPen(color.darker(150), selected ? 2.0 : 1.0, Qt::DashLine));
            learned->setName(tr("roll-out %1").arg(n));
            if (k > 0)
                learned->removeFromLegend();
        }
    }
    placeLegendAbove(m_traces, 3);
    m_settingRange = true;
    m_traces->rescaleAxes();
    if (m_windowTo > m_windowFrom) // keep what the user zoomed to
        m_traces->xAxis->setRange(m_windowFrom, m_windowTo);
    else
        m_traces->xAxis->setRange(0, std::min(frames - 1, kTraceWindow));
    const QCPRange y = m_traces->yAxis->range();
    m_traces->yAxis->setRange(y.lower - 0.05 * y.size(), y.upper + 0.05 * y.size());
    m_settingRange = false;
    m_info->setToolTip(rollout ? tr("Solid: the data; dashed: the trained model run on its own from frame 0 (a roll-out).")
                               : QString());
    m_info->setText(rollout ? tr("%1 neurons · %2 frames · dashed: roll-out (iteration %3)")
                                  .arg(data->neurons())
                                  .arg(frames)
                                  .arg(snapshot->rolloutIteration)
                            : tr("%1 neurons · %2 frames").arg(data->neurons()).arg(frames));
    markSelectedRow();
    moveCursor(m_playback->frame());
    return true;
}

void ActivityPanel::markSelectedRow()
{
    // The selected neuron's row in the heat map, between two thin lines.
    const int selected = selection()->current();
    const auto data = controller()->dataset();
    const bool show = data && selected >= 0 && selected < data->neurons();
    for (int k = 0; k < 2; ++k) {
        m_rowMarks[k]->setVisible(show);
        m_rowMarks[k]->setPen(QPen(ThemeManager::instance().theme().selection, 1.5));
        const double y = selected + (k == 0 ? -0.5 : 0.5) * std::max(1.0, data ? data->neurons() / 150.0 : 1.0);
        m_rowMarks[k]->point1->setCoords(0, y);
        m_rowMarks[k]->point2->setCoords(1, y);
    }
}

void ActivityPanel::moveCursor(int frame)
{
    const QCPRange shown = m_traces->xAxis->range();
    if (m_playback->playing() && (frame < shown.lower || frame > shown.upper)) { // follow the playback
        m_traces->xAxis->setRange(frame, frame + shown.size());
        m_windowFrom = m_traces->xAxis->range().lower;
        m_windowTo = m_traces->xAxis->range().upper;
    }
    for (auto* cursor : {m_traceCursor, m_mapCursor}) {
        cursor->point1->setCoords(frame, 0);
        cursor->point2->setCoords(frame, 1);
    }
    m_traces->replot(QCustomPlot::rpQueuedReplot);
    m_heatmap->replot(QCustomPlot::rpQueuedReplot);
}

QString ActivityPanel::csvText() const
{
    QString text;
    QTextStream out(&text);
    const auto data = controller()->dataset();
    if (!data)
        return "frame\n";
    showPlaceholder(m_traces, {});
    const auto snapshot = controller()->snapshot();
    const RolloutTraces* rollout = snapshot && snapshot->rollout ? snapshot->rollout.get() : nullptr;
    const std::vector<int> shown = shownNeurons();
    out << "frame";
    for (int n : shown) {
        out << ",u_" << n;
        if (rollout)
            out << ",rollout_u_" << n;
    }
    out << "\n";
    for (Eigen::Index f = 0; f < data->frames(); ++f) {
        out << f;
        for (int n : shown) {
            out << "," << data->activity(f, n);
            if (rollout)
                out << ",";
            if (rollout && f < rollout->learned.rows())
                out << rollout->learned(f, n);
        }
        out << "\n";
    }
    return text;
}

void ActivityPanel::applyTheme(const Theme& theme)
{
    Panel::applyTheme(theme);
    m_map->setGradient(divergingGradient(theme)); // repainted now, not at the next data
    m_heatmap->replot(QCustomPlot::rpQueuedReplot);
}

} // namespace plexus::ui
