#pragma once

#include "plexus/lab/perturbation_file.h"
#include "plexus/lab/perturbed_rollout.h"
#include "plexus/runtime/lab_job.h"

#include <Eigen/Core>

#include <QObject>
#include <QString>
#include <QTimer>

#include <memory>
#include <vector>

class QUndoStack;

namespace plexus::ui {

class RunController;

/// The what-if lab of the open run (docs/lab.md): the edits (a Perturbation, undoable), a preview of the true
/// network they make, and the perturbed roll-out run on a LabJob from the run's newest checkpoint. The edits, the
/// roll-out length and the traced neurons are kept in the run folder (lab.yaml) and restored when it is reopened.
class LabSession : public QObject
{
    Q_OBJECT
public:
    explicit LabSession(RunController* controller, QObject* parent = nullptr);
    ~LabSession() override;

    const LabState& state() const { return m_state; }
    const Perturbation& perturbation() const { return m_state.perturbation; }
    QUndoStack* undoStack() const { return m_undo; }
    /// Replaces the edits with `next` as one undoable step named `text`. When an edit does not fit the run (the
    /// engine's InputError), nothing changes and `error` says why.
    bool edit(const Perturbation& next, const QString& text, QString* error = nullptr);
    void setFrames(std::int64_t frames);
    void setShownNeurons(std::vector<std::int64_t> neurons);

    /// The true W after the edits (perturbNetwork without the model), nullptr without data or ground truth.
    std::shared_ptr<const Eigen::MatrixXf> previewConnectivity() const { return m_preview; }
    bool running() const { return m_job && m_job->state() == LabJob::State::Running; }
    double fraction() const { return m_job ? m_job->fraction() : 0.0; }
    /// The last finished roll-out (nullptr before, and after the edits changed since).
    std::shared_ptr<const PerturbationResult> result() const { return m_result; }
    /// Which checkpoint the last roll-out used (file name).
    QString resultCheckpoint() const { return m_resultCheckpoint; }

public Q_SLOTS:
    /// Starts the roll-out of the current edits (errorOccurred when there is no trained model or data).
    void run();
    void stop();
    void poll();

Q_SIGNALS:
    void editsChanged();
    void resultChanged();
    void runningChanged();
    void progressChanged();
    void errorOccurred(const QString& message);

private:
    friend class PerturbationCommand;
    /// Sets the edits (from an undo command): preview, save, signals.
    void apply(const Perturbation& perturbation);
    void refreshPreview();
    void loadFromRun();
    void save();

    RunController* m_controller;
    QUndoStack* m_undo;
    LabState m_state;
    std::shared_ptr<const Eigen::MatrixXf> m_preview;
    std::unique_ptr<LabJob> m_job;
    std::shared_ptr<const PerturbationResult> m_result;
    QString m_resultCheckpoint;
    QTimer m_timer;
};

} // namespace plexus::ui
