#pragma once

#include "panels/panel.h"

#include <vector>

class QCPColorMap;
class QCPItemStraightLine;
class QLabel;

namespace plexus::ui {

class Playback;

/// Activity: traces of the selected neuron and one neuron of each type (true u, and the learned model's
/// roll-out dashed when there is one), and a neurons × time heatmap of the whole assembly.
class ActivityPanel : public Panel
{
    Q_OBJECT
public:
    ActivityPanel(RunController* controller, NeuronSelection* selection, Playback* playback, QWidget* parent = nullptr);
    QList<QCustomPlot*> plots() const override { return {m_traces, m_heatmap}; }
    QString csvText() const override;
    /// The neurons whose traces are shown (selected first).
    std::vector<int> shownNeurons() const;

protected:
    bool redraw() override;

private:
    void rebuildHeatmap();
    void moveCursor(int frame);

    Playback* m_playback;
    QCustomPlot* m_traces;
    QCustomPlot* m_heatmap;
    QCPColorMap* m_map;
    QCPItemStraightLine* m_traceCursor;
    QCPItemStraightLine* m_mapCursor;
    QLabel* m_info;
    double m_windowFrom = 0.0, m_windowTo = 0.0; ///< frames the user zoomed the traces to (equal: default window)
    bool m_settingRange = false;
};

} // namespace plexus::ui
