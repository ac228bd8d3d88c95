#pragma once

#include <QDialog>
#include <QTimer>

#include <memory>

class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;

namespace plexus {
class EvaluationJob;
struct Evaluation;
} // namespace plexus

namespace plexus::ui {

class RunController;

/// The summary card (Run → Summary card…, and when training finishes): the newest checkpoint scored exactly as
/// `plexus-cli evaluate` scores it (W R² and slope, types and accuracy, φ*/ψ* R² per type, roll-out, Ω*, or the
/// scores without truth on a recording) as plain text, with a few lines on how to read it; Copy and Save as text.
/// The evaluation runs on a worker thread (EvaluationJob); closing the card stops it.
class SummaryCard : public QDialog
{
    Q_OBJECT
public:
    explicit SummaryCard(RunController* controller, QWidget* parent = nullptr);
    ~SummaryCard() override;

    /// Scores the run's newest checkpoint (again); the text says why when there is none.
    void evaluateNewest();
    bool running() const;
    /// The evaluation shown (nullptr before one finished).
    std::shared_ptr<const Evaluation> evaluation() const { return m_evaluation; }
    /// The card's text: header, scores, how to read them.
    QString text() const;
    bool saveText(const QString& path, QString* error) const;

Q_SIGNALS:
    void evaluated();

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void poll();
    void showResult();

    RunController* m_controller;
    QLabel* m_heading;
    QProgressBar* m_progress;
    QPlainTextEdit* m_text;
    QPushButton* m_copy;
    QPushButton* m_save;
    QTimer m_timer;
    std::unique_ptr<EvaluationJob> m_job;
    std::shared_ptr<const Evaluation> m_evaluation;
    QString m_checkpoint;
};

} // namespace plexus::ui
