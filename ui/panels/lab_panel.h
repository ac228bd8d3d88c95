#pragma once

#include "panels/panel.h"

#include "plexus/lab/perturbation.h"

#include <cstdint>
#include <vector>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace plexus::ui {

class LabSession;

/// The what-if lab (docs/lab.md): build a perturbation — a preset (Supp 5, Supp 6), or edits by clicking: silence
/// the selected neuron, cut or scale the connection between the last two selected neurons, a gain on a type's
/// connections, a parameter of a type (true side only), a new W or new type proportions — with undo/redo; Run rolls
/// both sides out (on a worker: the window stays responsive) and shows true and learned traces of the traced
/// neurons side by side, R² over time, and which neurons part first.
class LabPanel : public Panel
{
    Q_OBJECT
public:
    LabPanel(RunController* controller, NeuronSelection* selection, LabSession* lab, QWidget* parent = nullptr);
    QList<QCustomPlot*> plots() const override { return {m_traces, m_agreement}; }
    QString csvText() const override;
    LabSession* lab() const { return m_lab; }

    // The edit buttons' actions (also for tests and automation); false with the error shown when refused.
    /// Selects the strongest sender (true W) after the one selected now, skipping silenced ones; its index or −1.
    int selectNextHub();
    bool silenceSelected();
    bool cutConnection();
    bool scaleConnection();
    bool applyTypeGain();
    bool applyParameter();
    bool applyPreset(const QString& name);
    bool drawNewConnectivity();
    bool applyTypeProportions();
    /// Another input for both sides: the oscillation's amplitude and frequency, or (`movie` not empty) a movie.
    bool applyInput(const QString& movie = {});
    /// The connection the connection edits act on: from → to.
    void setConnection(std::int64_t from, std::int64_t to);

Q_SIGNALS:
    /// The user changed the edits (the window then shows the edited network).
    void edited();

protected:
    bool redraw() override;
    void redrawSelection() override;

private:
    bool push(const Perturbation& next, const QString& text);
    void fillTypeChoices();
    /// The selected neuron becomes the edited one (and traced); after another one, the pair is the connection.
    void syncSelection();
    void drawTraces();
    void drawAgreement();
    QString resultText() const;
    void showError(const QString& message);

    LabSession* m_lab;
    QLabel* m_info;
    QLabel* m_message;
    QComboBox* m_preset;
    QPushButton* m_run;
    QPushButton* m_stop;
    QPushButton* m_undo;
    QPushButton* m_redo;
    QPushButton* m_clear;
    QSpinBox* m_frames;
    QSpinBox* m_neuron;
    QSpinBox* m_from;
    QSpinBox* m_to;
    QDoubleSpinBox* m_factor;
    QComboBox* m_gainFrom;
    QComboBox* m_gainTo;
    QDoubleSpinBox* m_gain;
    QComboBox* m_parameterType;
    QComboBox* m_parameterName;
    QDoubleSpinBox* m_parameterValue;
    QDoubleSpinBox* m_filling;
    QSpinBox* m_seed;
    QLineEdit* m_proportions;
    QDoubleSpinBox* m_amplitude;
    QDoubleSpinBox* m_frequency;
    QPushButton* m_applyInput;
    QPushButton* m_movie;
    QListWidget* m_edits;
    QProgressBar* m_progress;
    QLabel* m_result;
    QCustomPlot* m_traces;
    QCustomPlot* m_agreement;
    int m_previousSelection = -1;
};

} // namespace plexus::ui
