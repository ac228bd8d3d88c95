#pragma once

#include <Eigen/Core>

#include <vtkSmartPointer.h>

#include <array>
#include <cstdint>
#include <vector>

class vtkActor;
class vtkPolyData;
class vtkRenderer;

namespace plexus::ui {

/// One connection to draw: from sender j to receiver i with weight w.
struct DrawnEdge
{
    std::int32_t from = 0, to = 0;
    float weight = 0.0f;
};

/// The network as VTK actors: neurons as points coloured by activity (blue – grey – red around 0), the strongest
/// connections as lines (red excitatory, blue inhibitory), and the selected neuron with its inputs (green) and
/// outputs (orange). No Qt here: a VtkHostWidget shows it.
class NetworkScene
{
public:
    explicit NetworkScene(vtkRenderer* renderer);
    ~NetworkScene();

    void setBackground(const std::array<double, 3>& rgb);
    /// Device pixels per logical pixel (high-DPI screens): point sizes and line widths follow it.
    void setPixelScale(double scale);
    /// Neuron positions [N, 2]; resets colours, edges and the camera.
    void setNeurons(const Eigen::MatrixX2f& positions);
    /// Activity per neuron [N], coloured on [−limit, limit]; muted neurons drawn dark grey whatever their value.
    void setActivity(const Eigen::VectorXf& values, float limit);
    /// Neurons drawn as silenced (the Lab's edits); takes effect at the next setActivity.
    void setMuted(std::vector<int> neurons) { m_muted = std::move(neurons); }
    /// The colour of a muted neuron.
    static constexpr std::array<unsigned char, 3> kMutedColour = {70, 70, 70};
    void setEdges(const std::vector<DrawnEdge>& edges, float limit);
    /// Highlights neuron `neuron` (−1: none) with its strongest inputs and outputs.
    void setSelection(int neuron, const std::vector<DrawnEdge>& inputs, const std::vector<DrawnEdge>& outputs);
    /// The index of the neuron nearest to world (x, y) within `radius`, or −1.
    int nearestNeuron(double x, double y, double radius) const;
    std::int64_t neurons() const { return m_positions.rows(); }
    const Eigen::MatrixX2f& positions() const { return m_positions; }
    void resetCamera();

    /// The colour of an activity value (what setActivity draws).
    static std::array<unsigned char, 3> activityColour(float value, float limit);

private:
    vtkRenderer* m_renderer;
    Eigen::MatrixX2f m_positions;
    std::vector<int> m_muted;
    vtkSmartPointer<vtkPolyData> m_points, m_edges, m_selectedPoint, m_selectedEdges;
    vtkSmartPointer<vtkActor> m_pointActor, m_edgeActor, m_selectedPointActor, m_selectedEdgeActor;
};

} // namespace plexus::ui
