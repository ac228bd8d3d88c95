#pragma once

#include "panels/panel.h"

#include <Eigen/Core>

#include <cstdint>
#include <vector>

class QCPColorMap;
class QCPGraph;
class QCPItemRect;
class QCPItemStraightLine;
class QGridLayout;
class QLabel;

namespace plexus::ui {

/// Connectivity: true and learned W side by side (diverging colours centred at 0, shared limits, block-averaged
/// for large N), learned vs true scatter with its fit line, R² and slope, and R² over iterations. On a recording
/// (no true W): the learned W and the distribution of its weights, nothing that needs a truth.
class ConnectivityPanel : public Panel
{
    Q_OBJECT
public:
    ConnectivityPanel(RunController* controller, NeuronSelection* selection, QWidget* parent = nullptr);
    /// The plots shown (a recording has no true-W map and no R² history).
    QList<QCustomPlot*> plots() const override;
    QString csvText() const override;
    /// Writes the whole learned W (ψ*-corrected: W*_ij · upper_j / g, docs/method.md §D.1) to .npy or .csv.
    bool exportLearnedW(const QString& path, QString* error) const;
    /// The R² and slope of the last redraw (corrected learned W vs true W, all entries).
    double shownR2() const { return m_r2; }
    double shownSlope() const { return m_slope; }

protected:
    void applyTheme(const Theme& theme) override;
    bool redraw() override;
    void redrawSelection() override;

private:
    void onDataset();
    /// The four plots with a truth; the learned W and its weight distribution without one.
    void arrange(bool truth);
    void drawDistribution(const Eigen::MatrixXf& learned);
    void fillMap(QCPColorMap* map, const Eigen::MatrixXf& view);
    void drawScatter(const Eigen::MatrixXf& learned);
    void drawSelectedRow();
    void clearScatter(); ///< every graph of the scatter, the selected row's included
    void drawHistory();
    void highlight();
    void pickFrom(QCustomPlot* plot, QMouseEvent* event);
    void hover(QCustomPlot* plot, QMouseEvent* event);

    QCustomPlot* m_trueView;
    QCustomPlot* m_learnedView;
    QCustomPlot* m_scatter;
    QCustomPlot* m_history;
    QGridLayout* m_grid;
    QCPColorMap* m_trueMap;
    QCPColorMap* m_learnedMap;
    QCPItemRect* m_trueRow;
    QCPItemRect* m_learnedRow;
    QCPItemStraightLine* m_fitLine;
    QCPGraph* m_rowGraph = nullptr; ///< the selected neuron's row, drawn over the scatter (owned by m_scatter)
    QLabel* m_info;
    Eigen::MatrixXf m_trueBlocks;
    std::int64_t m_block = 1;
    float m_limit = 1.0f;
    std::vector<std::int32_t> m_sampleRows, m_sampleCols;
    double m_r2 = 0.0, m_slope = 0.0;
};

} // namespace plexus::ui
