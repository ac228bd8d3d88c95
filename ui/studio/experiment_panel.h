#pragma once

#include <QWidget>

class QComboBox;
class QLabel;
class QPushButton;

namespace plexus::ui {

class ParameterEditor;
class RunController;

/// Experiment picker (the built-in presets with their one-line descriptions) and the parameter editor.
class ExperimentPanel : public QWidget
{
    Q_OBJECT
public:
    explicit ExperimentPanel(RunController* controller, QWidget* parent = nullptr);
    ParameterEditor* editor() const { return m_editor; }
    QComboBox* presetBox() const { return m_presets; }
    QPushButton* reproduceButton() const { return m_reproduce; }

Q_SIGNALS:
    /// The user asked for a new run from the preset `name`.
    void presetRequested(const QString& name);
    /// The user asked to reproduce the paper's experiment `name` (its recipe, docs/reproduction.md).
    void reproduceRequested(const QString& name);

private:
    void showRun();
    /// The chosen preset's description (unless it is the open run's own) and whether it can be reproduced.
    void describePreset();

    RunController* m_controller;
    QComboBox* m_presets;
    QLabel* m_description;
    QLabel* m_runLabel;
    QPushButton* m_load;
    QPushButton* m_reproduce;
    ParameterEditor* m_editor;
};

} // namespace plexus::ui
