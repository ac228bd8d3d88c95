#pragma once

#include "panels/panel.h"

#include <Eigen/Core>

#include <cstdint>
#include <vector>

class QCPGraph;
class QComboBox;
class QLabel;

namespace plexus::ui {

/// Latent space: the learned vectors a_i (first two dimensions, or principal axes when d > 2) coloured by true
/// type or by the clusters found without ground truth (docs/method.md §D.2), with the cluster count and accuracy.
class LatentPanel : public Panel
{
    Q_OBJECT
public:
    LatentPanel(RunController* controller, NeuronSelection* selection, QWidget* parent = nullptr);
    QList<QCustomPlot*> plots() const override { return {m_plot}; }
    QString csvText() const override;
    /// Colour by found cluster (true) or by true type (false).
    void setColourByCluster(bool byCluster);
    /// Found clusters at the last redraw.
    int clusterCount() const { return m_clusterCount; }
    double accuracy() const { return m_accuracy; }
    /// Plot coordinates of a neuron at the last redraw (tests click there).
    QPointF pointOf(int neuron) const;

protected:
    bool redraw() override;
    void redrawSelection() override;

private:
    void pick(QMouseEvent* event);
    /// The neuron drawn within 15 pixels of a plot position (the nearest), or −1.
    int nearestTo(const QPointF& position) const;
    void placeMarker();

    QCustomPlot* m_plot;
    QCPGraph* m_marker = nullptr;
    QComboBox* m_colourBy;
    QLabel* m_info;
    Eigen::MatrixXf m_points; ///< [N, 2] as drawn
    std::vector<std::int32_t> m_clusters;
    int m_clusterCount = 0;
    double m_accuracy = 0.0;
};

} // namespace plexus::ui
