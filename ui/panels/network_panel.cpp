#include "panels/network_panel.h"

#include "studio/lab_session.h"
#include "studio/neuron_selection.h"
#include "studio/playback.h"
#include "studio/run_controller.h"
#include "studio/theme.h"
#include "views/vtk_host_widget.h"

#include "plexus/analysis/evaluation.h"

#include <QHBoxLayout>
#include <QVBoxLayout>
#include <QComboBox>
#include <QLabel>
#include <QMouseEvent>
#include <QSpinBox>
#include <QTextStream>
#include <QWindow>

#include <algorithm>
#include <queue>

namespace plexus::ui {

namespace {

constexpr int kSelectedEdges = 20;

/// The `count` entries of largest |w| (off the diagonal) as edges j → i; a bounded min-heap, O(N² log count).
std::vector<DrawnEdge> strongest(const Eigen::MatrixXf& w, int count)
{
    using Entry = std::pair<float, std::int64_t>;
    std::priority_queue<Entry, std::vector<Entry>, std::greater<Entry>> heap;
    const std::int64_t n = w.rows();
    if (count <= 0)
        return {};
    for (std::int64_t j = 0; j < n; ++j)
        for (std::int64_t i = 0; i < n; ++i) {
            const float magnitude = std::fabs(w(i, j));
            if (i == j || magnitude == 0.0f)
                continue;
            if (static_cast<int>(heap.size()) < count)
                heap.emplace(magnitude, i * n + j);
            else if (magnitude > heap.top().first) {
                heap.pop();
                heap.emplace(magnitude, i * n + j);
            }
        }
    std::vector<DrawnEdge> edges;
    while (!heap.empty()) {
        const std::int64_t i = heap.top().second / n, j = heap.top().second % n;
        edges.push_back({static_cast<std::int32_t>(j), static_cast<std::int32_t>(i), w(i, j)});
        heap.pop();
    }
    return edges;
}

/// The strongest inputs (row) or outputs (column) of one neuron.
std::vector<DrawnEdge> strongestOf(const Eigen::MatrixXf& w, int neuron, bool inputs)
{
    std::vector<DrawnEdge> edges;
    for (Eigen::Index k = 0; k < w.rows(); ++k)
        if (k != neuron) {
            const float value = inputs ? w(neuron, k) : w(k, neuron);
            if (value != 0.0f)
                edges.push_back(inputs ? DrawnEdge{static_cast<std::int32_t>(k), neuron, value}
                                       : DrawnEdge{neuron, static_cast<std::int32_t>(k), value});
        }
    const auto take = std::min<std::size_t>(kSelectedEdges, edges.size());
    std::partial_sort(edges.begin(), edges.begin() + static_cast<long>(take), edges.end(),
                      [](const DrawnEdge& a, const DrawnEdge& b) { return std::fabs(a.weight) > std::fabs(b.weight); });
    edges.resize(take);
    return edges;
}

} // namespace

NetworkPanel::NetworkPanel(RunController* controller, NeuronSelection* selection, Playback* playback, QWidget* parent)
    : Panel("network", tr("Network"), controller, selection, parent), m_playback(playback)
{
    m_info = addInfoLabel();
    m_source = new QComboBox(this);
    m_source->setObjectName("edgeSource");
    m_source->addItems({tr("true connections"), tr("learned connections")});
    m_count = new QSpinBox(this);
    m_count->setRange(0, 5000);
    m_count->setValue(300);
    m_count->setPrefix(tr("strongest "));
    addTool(m_source);
    addTool(m_count);
    if (!VtkHostWidget::openGLAvailable()) {
        auto* missing = new QLabel(tr("The network view needs OpenGL, which this display does not offer."), this);
        missing->setAlignment(Qt::AlignCenter);
        body()->addWidget(missing, 1);
        return;
    }
    m_view = new VtkHostWidget(this);
    m_view->glWindow()->installEventFilter(this);
    body()->addWidget(m_view, 1);
    m_scene = std::make_unique<NetworkScene>(m_view->renderer());
    m_scene->setPixelScale(m_view->glWindow()->devicePixelRatio());
    const auto applyBackground = [this] {
        const QColor c = ThemeManager::instance().theme().background;
        m_scene->setBackground({c.redF(), c.greenF(), c.blueF()});
        m_view->requestRender();
    };
    applyBackground();
    connect(&ThemeManager::instance(), &ThemeManager::changed, this, applyBackground);
    connect(m_source, &QComboBox::currentIndexChanged, this, [this] {
        m_edgesGeneration = -2;
        markDirty();
    });
    connect(m_count, &QSpinBox::valueChanged, this, [this] {
        m_edgesGeneration = -2;
        markDirty();
    });
    connect(controller, &RunController::datasetChanged, this, &NetworkPanel::onDataset);
    connect(controller, &RunController::snapshotChanged, this, [this] {
        if (m_source->currentIndex() == 1)
            markDirty();
    });
    connect(selection, &NeuronSelection::changed, this, &NetworkPanel::markSelectionDirty);
    connect(playback, &Playback::frameChanged, this, &NetworkPanel::showFrame);
}

NetworkPanel::~NetworkPanel()
{
    m_scene.reset(); // before the view and its renderer
}

void NetworkPanel::setShowLearned(bool learned)
{
    m_source->setCurrentIndex(learned ? 1 : 0);
}

void NetworkPanel::setLab(LabSession* lab)
{
    m_lab = lab;
    m_source->addItem(tr("lab: edited true network"));
    connect(lab, &LabSession::editsChanged, this, [this] {
        if (showingLab()) {
            m_edgesGeneration = -2;
            markDirty();
        }
    });
}

void NetworkPanel::showLab()
{
    if (m_lab)
        m_source->setCurrentIndex(2);
}

bool NetworkPanel::showingLab() const
{
    return m_lab && m_source->currentIndex() == 2;
}

void NetworkPanel::onDataset()
{
    if (!m_view)
        return;
    const auto data = controller()->dataset();
    m_scene->setNeurons(data ? data->positions : Eigen::MatrixX2f());
    if (data && data->connectivity.rows() != data->neurons() && m_source->currentIndex() != 1)
        m_source->setCurrentIndex(1); // a recording has no true W: its learned connections
    m_edgesGeneration = -2;
    markDirty();
}

std::shared_ptr<const Eigen::MatrixXf> NetworkPanel::connections() const
{
    const auto data = controller()->dataset();
    if (!data)
        return nullptr;
    if (m_source->currentIndex() == 0)
        return data->connectivity.rows() == data->neurons()
                   ? std::shared_ptr<const Eigen::MatrixXf>(data, &data->connectivity)
                   : nullptr; // a recording: no true W
    if (showingLab())
        return m_lab->previewConnectivity();
    return controller()->learnedConnectivity();
}

void NetworkPanel::showSelection()
{
    const auto data = controller()->dataset();
    const auto w = connections();
    const int selected = selection()->current();
    if (w && selected >= 0 && selected < data->neurons())
        m_scene->setSelection(selected, strongestOf(*w, selected, true), strongestOf(*w, selected, false));
    else
        m_scene->setSelection(data && selected < data->neurons() ? selected : -1, {}, {});
}

void NetworkPanel::redrawSelection()
{
    if (!m_view || !controller()->dataset())
        return;
    showSelection();
    m_view->requestRender();
}

void NetworkPanel::showFrame(int frame)
{
    if (!m_view)
        return;
    const auto data = controller()->dataset();
    if (!data || frame >= data->frames())
        return;
    const float limit = std::max(1e-6f, data->activity.cwiseAbs().maxCoeff());
    std::vector<int> muted;
    if (showingLab())
        for (std::int64_t n : m_lab->perturbation().silenced)
            muted.push_back(static_cast<int>(n));
    m_scene->setMuted(std::move(muted));
    m_scene->setActivity(data->activity.row(frame).transpose(), limit);
    m_view->requestRender();
}

bool NetworkPanel::redraw()
{
    const auto data = controller()->dataset();
    if (!m_view)
        return false;
    if (!data || m_scene->neurons() != data->neurons()) {
        m_info->setText(tr("No data: press Simulate (or open a run)."));
        m_view->requestRender();
        return false;
    }
    const auto snapshot = controller()->snapshot();
    const std::int64_t generation = m_source->currentIndex() == 1 && snapshot ? snapshot->generation : -1;
    if (generation != m_edgesGeneration) {
        const auto w = connections();
        const float limit = w ? std::max(1e-9f, w->cwiseAbs().maxCoeff()) : 1.0f;
        m_scene->setEdges(w ? strongest(*w, m_count->value()) : std::vector<DrawnEdge>{}, limit);
        m_edgesGeneration = generation;
    }
    showSelection();
    showFrame(m_playback->frame());
    const int selected = selection()->current();
    const QString type = data->types.empty() ? QString() : tr(" (type %1)").arg(data->typeOf(selected));
    m_info->setText(selected >= 0 ? tr("neuron %1%2: inputs green, outputs orange · frame %3")
                                        .arg(selected)
                                        .arg(type)
                                        .arg(m_playback->frame())
                                  : tr("%1 neurons · click one · frame %2").arg(data->neurons()).arg(m_playback->frame()));
    m_info->setToolTip(tr("Click a neuron to see its inputs (green) and outputs (orange); the list chooses true or "
                          "learned connections."));
    if (showingLab())
        m_info->setText(m_info->text() + tr("; lab edits shown"));
    m_view->requestRender();
    return true;
}

bool NetworkPanel::eventFilter(QObject* watched, QEvent* event)
{
    if (m_view && watched == m_view->glWindow() && event->type() == QEvent::MouseButtonPress) {
        auto* mouse = static_cast<QMouseEvent*>(event);
        if (mouse->button() == Qt::LeftButton && m_scene->neurons() > 0) {
            const QPointF world = m_view->widgetToWorld(mouse->position());
            const QPointF edge = m_view->widgetToWorld(mouse->position() + QPointF(12, 0));
            const int neuron = m_scene->nearestNeuron(world.x(), world.y(), std::fabs(edge.x() - world.x()));
            if (neuron >= 0)
                selection()->setCurrent(neuron);
            return true;
        }
    }
    return Panel::eventFilter(watched, event);
}

QString NetworkPanel::csvText() const
{
    QString text;
    QTextStream out(&text);
    const auto data = controller()->dataset();
    out << "neuron,x,y,type,u_at_frame_" << m_playback->frame() << "\n";
    if (!data)
        return text;
    for (Eigen::Index n = 0; n < data->neurons(); ++n)
        out << n << "," << data->positions(n, 0) << "," << data->positions(n, 1) << ","
            << data->typeOf(n) << "," << data->activity(m_playback->frame(), n) << "\n";
    return text;
}

QList<QWidget*> NetworkPanel::figureWidgets() const
{
    if (!m_view) // no 3-D view on this display: nothing to draw
        return {};
    return {m_view};
}

} // namespace plexus::ui
