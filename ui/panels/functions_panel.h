#pragma once

#include "panels/panel.h"

#include <Eigen/Core>

#include <cstdint>
#include <memory>
#include <vector>

class QCPGraph;
class QLabel;

namespace plexus {
struct Dataset;
struct Snapshot;
}

namespace plexus::ui {

/// Functions: learned update functions φ*(u, a_i) per neuron coloured by true type, over the true φ of each type;
/// the same for the transfer functions ψ*, each curve divided by its normalisation statistic (docs/method.md §D.1).
class FunctionsPanel : public Panel
{
    Q_OBJECT
public:
    FunctionsPanel(RunController* controller, NeuronSelection* selection, QWidget* parent = nullptr);
    QList<QCustomPlot*> plots() const override { return {m_update, m_transfer}; }
    /// Whether every formula drawn into the plots fits its plot's width, as last laid out (for the ui tests).
    bool plotFormulasFit() const;
    /// The panel's caption and the learned formulas, all of them (the panel scrolls them).
    QString figureCaption() const override;
    QString csvText() const override;
    /// Curves drawn at the last redraw (learned, per plot).
    int learnedCurveCount() const { return m_learnedCurves; }
    /// The φ* plot's value range as drawn: plotting.mlp0_ylim, widened to the true functions.
    std::pair<double, double> updateAxisRange() const;
    /// The formulas shown (one line per learned curve: name, formula, R², the generator's beside it), "" before any.
    QString equationsText() const;
    QString textReport() const override { return equationsText(); }

protected:
    bool redraw() override;
    void redrawSelection() override;

private:
    /// The normalisation statistic of the learned curve in `row` of the snapshot (1 where undefined).
    float learnedScale(const Snapshot& snapshot, std::size_t row) const;
    /// Draws each true type's φ and ψ; returns the range of the true φ values (empty pair without ground truth).
    std::pair<double, double> drawTrue(const Eigen::VectorXf& samples);
    /// Every drawn neuron's φ* and ψ* curve, coloured by type (or cluster on a recording).
    void drawLearned(const Snapshot& snapshot, const Dataset& data);
    void placeMarks();
    /// What the header says when the selected neuron's curves are not among those drawn (a network beyond 1024).
    QString notDrawnText(int neuron) const;
    /// The formulas of the snapshot: under the plots (rich text) and inside them (so exports carry them).
    void drawEquations(const Snapshot* snapshot);
    void refreshEquationStatus();

    QCustomPlot* m_update;
    QCustomPlot* m_transfer;
    QLabel* m_info;
    QLabel* m_formulas;
    std::int64_t m_drawnEquations = -1;
    bool m_drawnSearching = false;
    std::int64_t m_drawnCurves = -1;
    std::shared_ptr<const Snapshot> m_drawnSnapshot; ///< whose curves are drawn (the selection's mark reads it)
    QCPGraph* m_marks[2] = {nullptr, nullptr};
    QString m_infoBase;
    int m_learnedCurves = 0;
};

} // namespace plexus::ui
