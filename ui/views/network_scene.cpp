#include "views/network_scene.h"

#include <vtkActor.h>
#include <vtkCamera.h>
#include <vtkCellArray.h>
#include <vtkCellData.h>
#include <vtkPointData.h>
#include <vtkPoints.h>
#include <vtkPolyData.h>
#include <vtkPolyDataMapper.h>
#include <vtkProperty.h>
#include <vtkRenderer.h>
#include <vtkUnsignedCharArray.h>

#include <algorithm>
#include <cmath>

namespace plexus::ui {

namespace {

vtkSmartPointer<vtkActor> makeActor(vtkPolyData* data, bool cellColours)
{
    auto mapper = vtkSmartPointer<vtkPolyDataMapper>::New();
    mapper->SetInputData(data);
    mapper->SetColorModeToDirectScalars();
    if (cellColours)
        mapper->SetScalarModeToUseCellData();
    else
        mapper->SetScalarModeToUsePointData();
    auto actor = vtkSmartPointer<vtkActor>::New();
    actor->SetMapper(mapper);
    actor->GetProperty()->SetLighting(false);
    return actor;
}

vtkSmartPointer<vtkUnsignedCharArray> colourArray(vtkIdType count)
{
    auto colours = vtkSmartPointer<vtkUnsignedCharArray>::New();
    colours->SetNumberOfComponents(3);
    colours->SetName("colours");
    colours->SetNumberOfTuples(count);
    return colours;
}

/// Lines of `edges` coloured by sign (or all with `fixed` when given), into `data`.
void fillEdges(vtkPolyData* data, const Eigen::MatrixX2f& positions, const std::vector<DrawnEdge>& edges,
               const unsigned char* fixed, float limit)
{
    auto points = vtkSmartPointer<vtkPoints>::New();
    auto lines = vtkSmartPointer<vtkCellArray>::New();
    auto colours = colourArray(static_cast<vtkIdType>(edges.size()));
    vtkIdType k = 0;
    for (const DrawnEdge& e : edges) {
        const vtkIdType a = points->InsertNextPoint(positions(e.from, 0), positions(e.from, 1), -0.01);
        const vtkIdType b = points->InsertNextPoint(positions(e.to, 0), positions(e.to, 1), -0.01);
        const vtkIdType ids[2] = {a, b};
        lines->InsertNextCell(2, ids);
        if (fixed) {
            colours->SetTypedTuple(k++, fixed);
        } else {
            const float strength = std::clamp(std::fabs(e.weight) / std::max(limit, 1e-9f), 0.25f, 1.0f);
            const auto fade = static_cast<unsigned char>(255 * (1.0f - 0.75f * strength));
            const unsigned char rgb[3] = {e.weight > 0 ? static_cast<unsigned char>(200) : fade, fade,
                                          e.weight > 0 ? fade : static_cast<unsigned char>(200)};
            colours->SetTypedTuple(k++, rgb);
        }
    }
    data->Initialize();
    data->SetPoints(points);
    data->SetLines(lines);
    data->GetCellData()->SetScalars(colours);
    data->Modified();
}

} // namespace

NetworkScene::NetworkScene(vtkRenderer* renderer) : m_renderer(renderer)
{
    m_points = vtkSmartPointer<vtkPolyData>::New();
    m_edges = vtkSmartPointer<vtkPolyData>::New();
    m_selectedPoint = vtkSmartPointer<vtkPolyData>::New();
    m_selectedEdges = vtkSmartPointer<vtkPolyData>::New();
    m_edgeActor = makeActor(m_edges, true);
    m_selectedEdgeActor = makeActor(m_selectedEdges, true);
    m_selectedEdgeActor->GetProperty()->SetLineWidth(2.0);
    m_pointActor = makeActor(m_points, false);
    m_pointActor->GetProperty()->SetPointSize(7.0);
    m_selectedPointActor = makeActor(m_selectedPoint, false);
    m_selectedPointActor->GetProperty()->SetPointSize(15.0);
    for (vtkActor* actor : {m_edgeActor.Get(), m_selectedEdgeActor.Get(), m_selectedPointActor.Get(), m_pointActor.Get()})
        m_renderer->AddActor(actor);
    m_renderer->GetActiveCamera()->ParallelProjectionOn();
    setBackground({1.0, 1.0, 1.0});
}

NetworkScene::~NetworkScene()
{
    for (vtkActor* actor : {m_edgeActor.Get(), m_selectedEdgeActor.Get(), m_selectedPointActor.Get(), m_pointActor.Get()})
        m_renderer->RemoveActor(actor);
}

void NetworkScene::setPixelScale(double scale)
{
    m_selectedEdgeActor->GetProperty()->SetLineWidth(static_cast<float>(2.0 * scale));
    m_edgeActor->GetProperty()->SetLineWidth(static_cast<float>(scale));
    m_pointActor->GetProperty()->SetPointSize(static_cast<float>(7.0 * scale));
    m_selectedPointActor->GetProperty()->SetPointSize(static_cast<float>(15.0 * scale));
}

void NetworkScene::setBackground(const std::array<double, 3>& rgb)
{
    m_renderer->SetBackground(rgb[0], rgb[1], rgb[2]);
}

std::array<unsigned char, 3> NetworkScene::activityColour(float value, float limit)
{
    const float t = std::clamp(value / std::max(limit, 1e-9f), -1.0f, 1.0f);
    const auto mix = [](float from, float to, float s) { return static_cast<unsigned char>(std::lround(from + (to - from) * s)); };
    // blue (33, 102, 172) – light grey (235, 235, 235) – red (178, 24, 43), as the plots' diverging map
    if (t < 0)
        return {mix(235, 33, -t), mix(235, 102, -t), mix(235, 172, -t)};
    return {mix(235, 178, t), mix(235, 24, t), mix(235, 43, t)};
}

void NetworkScene::setNeurons(const Eigen::MatrixX2f& positions)
{
    m_positions = positions;
    auto points = vtkSmartPointer<vtkPoints>::New();
    auto verts = vtkSmartPointer<vtkCellArray>::New();
    for (Eigen::Index n = 0; n < positions.rows(); ++n) {
        const vtkIdType id = points->InsertNextPoint(positions(n, 0), positions(n, 1), 0.0);
        verts->InsertNextCell(1, &id);
    }
    auto colours = colourArray(positions.rows());
    const auto grey = activityColour(0.0f, 1.0f);
    for (vtkIdType n = 0; n < positions.rows(); ++n)
        colours->SetTypedTuple(n, grey.data());
    m_points->Initialize();
    m_points->SetPoints(points);
    m_points->SetVerts(verts);
    m_points->GetPointData()->SetScalars(colours);
    m_points->Modified();
    setEdges({}, 1.0f);
    setSelection(-1, {}, {});
    resetCamera();
}

void NetworkScene::setActivity(const Eigen::VectorXf& values, float limit)
{
    auto* colours = vtkUnsignedCharArray::SafeDownCast(m_points->GetPointData()->GetScalars());
    if (!colours || values.size() != m_positions.rows())
        return;
    for (Eigen::Index n = 0; n < values.size(); ++n) {
        const auto rgb = activityColour(values(n), limit);
        colours->SetTypedTuple(n, rgb.data());
    }
    for (int n : m_muted)
        if (n >= 0 && n < values.size())
            colours->SetTypedTuple(n, kMutedColour.data());
    colours->Modified();
    m_points->Modified();
}

void NetworkScene::setEdges(const std::vector<DrawnEdge>& edges, float limit)
{
    fillEdges(m_edges, m_positions, edges, nullptr, limit);
}

void NetworkScene::setSelection(int neuron, const std::vector<DrawnEdge>& inputs, const std::vector<DrawnEdge>& outputs)
{
    auto points = vtkSmartPointer<vtkPoints>::New();
    auto verts = vtkSmartPointer<vtkCellArray>::New();
    auto colours = colourArray(neuron >= 0 ? 1 : 0);
    if (neuron >= 0 && neuron < m_positions.rows()) {
        const vtkIdType id = points->InsertNextPoint(m_positions(neuron, 0), m_positions(neuron, 1), 0.01);
        verts->InsertNextCell(1, &id);
        const unsigned char black[3] = {20, 20, 20};
        colours->SetTypedTuple(0, black);
    }
    m_selectedPoint->Initialize();
    m_selectedPoint->SetPoints(points);
    m_selectedPoint->SetVerts(verts);
    m_selectedPoint->GetPointData()->SetScalars(colours);
    m_selectedPoint->Modified();
    std::vector<DrawnEdge> all = inputs;
    all.insert(all.end(), outputs.begin(), outputs.end());
    fillEdges(m_selectedEdges, m_positions, all, nullptr, 1.0f);
    auto* edgeColours = vtkUnsignedCharArray::SafeDownCast(m_selectedEdges->GetCellData()->GetScalars());
    const unsigned char green[3] = {44, 160, 44}, orange[3] = {255, 127, 14};
    for (std::size_t k = 0; k < all.size(); ++k)
        edgeColours->SetTypedTuple(static_cast<vtkIdType>(k), k < inputs.size() ? green : orange);
    m_selectedEdgeActor->SetVisibility(!all.empty());
    m_selectedPointActor->SetVisibility(neuron >= 0);
}

int NetworkScene::nearestNeuron(double x, double y, double radius) const
{
    int best = -1;
    double bestDistance = radius * radius;
    for (Eigen::Index n = 0; n < m_positions.rows(); ++n) {
        const double dx = m_positions(n, 0) - x, dy = m_positions(n, 1) - y;
        if (dx * dx + dy * dy < bestDistance) {
            bestDistance = dx * dx + dy * dy;
            best = static_cast<int>(n);
        }
    }
    return best;
}

void NetworkScene::resetCamera()
{
    m_renderer->ResetCamera();
    if (m_positions.rows() > 0) {
        const float extent = std::max(m_positions.col(0).maxCoeff() - m_positions.col(0).minCoeff(),
                                      m_positions.col(1).maxCoeff() - m_positions.col(1).minCoeff());
        m_renderer->GetActiveCamera()->SetParallelScale(0.55 * std::max(extent, 1e-3f));
    }
}

} // namespace plexus::ui
