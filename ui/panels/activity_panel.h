#pragma once

#include "panels/panel.h"

#include <vector>

class QCPColorMap;
class QCPItemStraightLine;
class QLabel;
class QLineEdit;

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
    /// The neurons whose traces are shown: the selected one first, then the pinned ones (or one per type when none
    /// are pinned).
    std::vector<int> shownNeurons() const;
    /// Pins traces from a list like "3, 10-12" (empty: one neuron per type). Returns false with the reason shown
    /// next to the field when the text is not a list of neuron numbers in range.
    bool setPinnedNeurons(const QString& text);

protected:
    void applyTheme(const Theme& theme) override;
    bool redraw() override;

private:
    void rebuildHeatmap();
    void moveCursor(int frame);
    void markSelectedRow();

    Playback* m_playback;
    QCustomPlot* m_traces;
    QCustomPlot* m_heatmap;
    QCPColorMap* m_map;
    QCPItemStraightLine* m_traceCursor;
    QCPItemStraightLine* m_mapCursor;
    QCPItemStraightLine* m_rowMarks[2] = {nullptr, nullptr}; ///< the selected neuron's row in the heat map
    QLabel* m_info;
    QLineEdit* m_pinned;
    std::vector<int> m_pinnedNeurons;
    double m_windowFrom = 0.0, m_windowTo = 0.0; ///< frames the user zoomed the traces to (equal: default window)
    bool m_settingRange = false;
};

} // namespace plexus::ui
