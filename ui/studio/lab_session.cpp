#include "studio/lab_session.h"

#include "studio/run_controller.h"

#include "plexus/util/errors.h"

#include <QFileInfo>
#include <QUndoCommand>
#include <QUndoStack>

namespace plexus::ui {

/// One change of the lab's edits, undoable.
class PerturbationCommand : public QUndoCommand
{
public:
    PerturbationCommand(LabSession* lab, Perturbation before, Perturbation after, const QString& text)
        : QUndoCommand(text), m_lab(lab), m_before(std::move(before)), m_after(std::move(after))
    {
    }
    void redo() override { m_lab->apply(m_after); }
    void undo() override { m_lab->apply(m_before); }

private:
    LabSession* m_lab;
    Perturbation m_before, m_after;
};

LabSession::LabSession(RunController* controller, QObject* parent)
    : QObject(parent), m_controller(controller), m_undo(new QUndoStack(this))
{
    m_timer.setInterval(50);
    connect(&m_timer, &QTimer::timeout, this, &LabSession::poll);
    connect(controller, &RunController::runDirChanged, this, &LabSession::loadFromRun);
    connect(controller, &RunController::datasetChanged, this, [this] {
        refreshPreview();
        Q_EMIT editsChanged();
    });
    loadFromRun();
}

LabSession::~LabSession()
{
    m_job.reset(); // stops and joins
}

bool LabSession::edit(const Perturbation& next, const QString& text, QString* error)
{
    const auto data = m_controller->dataset();
    if (data) {
        try {
            perturbNetwork(nullptr, *data, m_controller->config(), next);
        } catch (const InputError& e) {
            if (error)
                *error = QString::fromStdString(e.what());
            return false;
        }
    }
    m_undo->push(new PerturbationCommand(this, m_state.perturbation, next, text));
    return true;
}

void LabSession::setFrames(std::int64_t frames)
{
    if (frames == m_state.frames)
        return;
    m_state.frames = frames;
    save();
}

void LabSession::setShownNeurons(std::vector<std::int64_t> neurons)
{
    if (neurons == m_state.shownNeurons)
        return;
    m_state.shownNeurons = std::move(neurons);
    save();
}

void LabSession::apply(const Perturbation& perturbation)
{
    m_state.perturbation = perturbation;
    refreshPreview();
    if (m_result && !(m_result->perturbation == perturbation)) {
        m_result.reset();
        Q_EMIT resultChanged();
    }
    save();
    Q_EMIT editsChanged();
}

void LabSession::refreshPreview()
{
    m_preview.reset();
    const auto data = m_controller->dataset();
    if (!data)
        return;
    try {
        auto net = perturbNetwork(nullptr, *data, m_controller->config(), m_state.perturbation);
        m_preview = std::make_shared<const Eigen::MatrixXf>(std::move(net.trueConnectivity));
    } catch (const InputError&) {
        // No ground truth (an imported recording), or edits saved for another network: nothing to preview.
    }
}

void LabSession::loadFromRun()
{
    m_job.reset();
    m_undo->clear();
    m_state = LabState{};
    m_result.reset();
    const std::string path = m_controller->runFolder().labPath();
    if (!m_controller->runDir().isEmpty() && QFileInfo::exists(QString::fromStdString(path))) {
        try {
            m_state = loadLabState(path);
        } catch (const InputError& e) {
            Q_EMIT errorOccurred(tr("The lab's saved edits could not be read; the lab starts empty. %1").arg(e.what()));
        }
    }
    refreshPreview();
    Q_EMIT editsChanged();
    Q_EMIT resultChanged();
    Q_EMIT runningChanged();
}

void LabSession::save()
{
    if (m_controller->runDir().isEmpty())
        return;
    try {
        saveLabState(m_controller->runFolder().labPath(), m_state);
    } catch (const std::exception& e) {
        Q_EMIT errorOccurred(tr("The lab's edits could not be saved: %1").arg(e.what()));
    }
}

void LabSession::run()
{
    if (running())
        return;
    const auto data = m_controller->dataset();
    const std::vector<std::string> checkpoints = m_controller->runFolder().checkpoints();
    if (!data || checkpoints.empty()) {
        Q_EMIT errorOccurred(tr("The lab compares a trained model with the true network: %1 first.")
                                 .arg(data ? tr("train") : tr("simulate and train")));
        return;
    }
    m_job = std::make_unique<LabJob>(m_controller->config(), data, checkpoints.front(), m_state.perturbation,
                                     m_state.frames);
    m_job->start();
    m_timer.start();
    Q_EMIT runningChanged();
}

void LabSession::stop()
{
    if (!m_job)
        return;
    m_job->stop();
    poll();
}

void LabSession::poll()
{
    if (!m_job)
        return;
    const LabJob::State state = m_job->state();
    if (state == LabJob::State::Running) {
        Q_EMIT progressChanged();
        return;
    }
    m_timer.stop();
    if (state == LabJob::State::Finished) {
        m_result = m_job->result();
        m_resultCheckpoint = QFileInfo(QString::fromStdString(m_job->checkpoint())).fileName();
        Q_EMIT resultChanged();
    } else if (state == LabJob::State::Failed) {
        Q_EMIT errorOccurred(tr("Lab: %1").arg(QString::fromStdString(m_job->errorMessage())));
    }
    m_job.reset();
    Q_EMIT runningChanged();
}

} // namespace plexus::ui
