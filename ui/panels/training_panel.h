#pragma once

#include "panels/panel.h"

#include "plexus/train/trainer.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

class QLabel;

namespace plexus::ui {

/// Training: the loss and each regulariser over iterations (log scale), and each optimiser group's learning rate.
class TrainingPanel : public Panel
{
    Q_OBJECT
public:
    TrainingPanel(RunController* controller, NeuronSelection* selection, QWidget* parent = nullptr);
    QList<QCustomPlot*> plots() const override { return {m_loss, m_rates}; }
    QString csvText() const override;

protected:
    bool redraw() override;

private:
    void drawRates(const std::vector<TrainingMetrics>& history);
    QString headerText(const std::vector<TrainingMetrics>& history) const;

    QCustomPlot* m_loss;
    QCustomPlot* m_rates;
    QLabel* m_info;
};

} // namespace plexus::ui
