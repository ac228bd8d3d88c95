#pragma once

#include "panels/panel.h"
#include "views/network_scene.h"

#include <memory>

class QComboBox;
class QLabel;
class QSpinBox;

namespace plexus::ui {

class LabSession;
class Playback;
class VtkHostWidget;

/// Network view (VTK): neurons at their positions coloured by activity at the playback frame, the strongest
/// learned or true connections as lines; clicking a neuron selects it and shows its inputs and outputs.
class NetworkPanel : public Panel
{
    Q_OBJECT
public:
    NetworkPanel(RunController* controller, NeuronSelection* selection, Playback* playback, QWidget* parent = nullptr);
    ~NetworkPanel() override;
    QString csvText() const override;
    /// The VTK view; nullptr where the platform has no OpenGL (the panel then says so).
    VtkHostWidget* view() const { return m_view; }
    QList<QWidget*> figureWidgets() const override;
    NetworkScene* scene() const { return m_scene.get(); }
    /// Shows true (false) or learned (true) connections.
    void setShowLearned(bool learned);
    /// The lab whose edited network the view can show (silenced neurons greyed, cut connections gone).
    void setLab(LabSession* lab);
    /// Shows the lab's edited true network.
    void showLab();
    bool showingLab() const;

protected:
    bool redraw() override;
    void redrawSelection() override;
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void onDataset();
    void showFrame(int frame);
    /// The matrix the lines come from (true W or the corrected learned W), nullptr when absent.
    std::shared_ptr<const Eigen::MatrixXf> connections() const;
    void showSelection();

    Playback* m_playback;
    VtkHostWidget* m_view = nullptr;
    std::unique_ptr<NetworkScene> m_scene;
    QComboBox* m_source;
    QSpinBox* m_count;
    QLabel* m_info;
    std::int64_t m_edgesGeneration = -1;
    LabSession* m_lab = nullptr;
};

} // namespace plexus::ui
