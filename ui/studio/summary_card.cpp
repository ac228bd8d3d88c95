#include "studio/summary_card.h"

#include "plots/plot_export.h"
#include "studio/run_controller.h"

#include "plexus/analysis/evaluation_text.h"
#include "plexus/runtime/evaluation_job.h"

#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

namespace plexus::ui {

namespace {

/// How to read the scores, in plain words: with a ground truth, or for a recording.
QString readingGuide(bool truth)
{
    if (!truth)
        return QObject::tr(
            "How to read it (a recording: there is no truth to compare with)\n"
            "  one-step R²   how well the model predicts du/dt on frames it never trained on; near 1 is good.\n"
            "  roll-out      the model integrated on its own next to the recorded activity; R² near 1 for a few\n"
            "                hundred frames means it captured the dynamics, not just one step.\n"
            "  clusters      groups of neurons that behave alike (found from the learned functions); a silhouette\n"
            "                near 1 means the groups are well apart.\n"
            "  To trust it: train twice (two seeds, or two halves: plexus-cli evaluate --compare) and check\n"
            "  that W and the clusters agree.\n");
    return QObject::tr(
        "How to read it\n"
        "  connectivity  the learned W (ψ*-corrected: each column scaled by its transfer function's size) against\n"
        "                the true W: R² and slope near 1 mean the wiring is recovered.\n"
        "  types         clusters of neurons found from what each neuron does, without the true types;\n"
        "                accuracy 1 means every neuron sits with its own type.\n"
        "  functions     φ* (the update function: how a neuron's own state changes it) and ψ* (the transfer\n"
        "                function: what it sends to others), R² against the true ones, per type.\n"
        "  roll-out      the trained model run on its own from frame 0 next to the true simulation.\n");
}

} // namespace

SummaryCard::SummaryCard(RunController* controller, QWidget* parent) : QDialog(parent), m_controller(controller)
{
    setObjectName("summaryCard");
    setWindowTitle(tr("Summary card"));
    resize(980, 620);
    auto* layout = new QVBoxLayout(this);
    m_heading = new QLabel(this);
    m_heading->setWordWrap(true);
    m_progress = new QProgressBar(this);
    m_progress->setRange(0, 1000);
    m_text = new QPlainTextEdit(this);
    m_text->setReadOnly(true);
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_text->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_copy = new QPushButton(tr("Copy"), this);
    m_save = new QPushButton(tr("Save as text…"), this);
    auto* again = new QPushButton(tr("Evaluate again"), this);
    auto* close = new QPushButton(tr("Close"), this);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_copy);
    buttons->addWidget(m_save);
    buttons->addWidget(again);
    buttons->addStretch(1);
    buttons->addWidget(close);
    layout->addWidget(m_heading);
    layout->addWidget(m_progress);
    layout->addWidget(m_text, 1);
    layout->addLayout(buttons);
    connect(m_copy, &QPushButton::clicked, this, [this] { QApplication::clipboard()->setText(text()); });
    connect(m_save, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Save the summary"),
                                                          m_controller->runDir() + "/summary.txt", tr("Text (*.txt)"));
        QString error;
        if (!path.isEmpty() && !saveText(path, &error))
            QMessageBox::warning(this, tr("Save failed"), error);
    });
    connect(again, &QPushButton::clicked, this, &SummaryCard::evaluateNewest);
    connect(close, &QPushButton::clicked, this, &QDialog::close);
    m_timer.setInterval(100);
    connect(&m_timer, &QTimer::timeout, this, &SummaryCard::poll);
}

SummaryCard::~SummaryCard() = default;

bool SummaryCard::running() const
{
    return m_job != nullptr;
}

void SummaryCard::evaluateNewest()
{
    if (running())
        return;
    m_evaluation.reset();
    const auto data = m_controller->dataset();
    const std::vector<std::string> checkpoints =
        m_controller->runDir().isEmpty() ? std::vector<std::string>{} : m_controller->runFolder().checkpoints();
    if (!data || checkpoints.empty()) {
        m_heading->setText(tr("No trained model yet: %1, then open the summary again.")
                               .arg(data ? tr("press Train") : tr("press Simulate, then Train")));
        m_progress->hide();
        m_text->clear();
        m_copy->setEnabled(false);
        m_save->setEnabled(false);
        return;
    }
    m_checkpoint = QString::fromStdString(checkpoints.front());
    m_heading->setText(tr("Scoring %1 as plexus-cli evaluate does (roll-out of 1000 frames)…")
                           .arg(QFileInfo(m_checkpoint).fileName()));
    m_progress->setValue(0);
    m_progress->show();
    m_copy->setEnabled(false);
    m_save->setEnabled(false);
    m_job = std::make_unique<EvaluationJob>(m_controller->config(), data, checkpoints.front());
    m_job->start();
    m_timer.start();
}

void SummaryCard::poll()
{
    if (!m_job)
        return;
    const auto state = m_job->state();
    if (state == EvaluationJob::State::Running || state == EvaluationJob::State::Idle) {
        m_progress->setValue(static_cast<int>(1000 * m_job->fraction()));
        return;
    }
    m_timer.stop();
    if (state == EvaluationJob::State::Finished) {
        m_evaluation = m_job->result();
        showResult();
    } else {
        m_heading->setText(state == EvaluationJob::State::Failed
                               ? tr("The evaluation failed: %1").arg(QString::fromStdString(m_job->errorMessage()))
                               : tr("The evaluation was stopped."));
        m_progress->hide();
    }
    m_job.reset();
}

void SummaryCard::showResult()
{
    m_progress->hide();
    m_heading->setText(tr("<b>%1</b> — %2<br><small>%3</small>")
                           .arg(QString::fromStdString(m_controller->config().dataset).toHtmlEscaped(),
                                QFileInfo(m_checkpoint).fileName().toHtmlEscaped(), m_controller->runDir().toHtmlEscaped()));
    m_text->setPlainText(text());
    m_copy->setEnabled(true);
    m_save->setEnabled(true);
    Q_EMIT evaluated();
}

QString SummaryCard::text() const
{
    if (!m_evaluation)
        return {};
    return tr("Plexus summary card\nrun         %1\nexperiment  %2\ncheckpoint  %3\n\n")
               .arg(m_controller->runDir(), QString::fromStdString(m_controller->config().dataset),
                    QFileInfo(m_checkpoint).fileName()) +
           QString::fromStdString(evaluationText(*m_evaluation)) + "\n" + readingGuide(m_evaluation->hasTruth);
}

bool SummaryCard::saveText(const QString& path, QString* error) const
{
    if (!m_evaluation) {
        *error = tr("There is no summary yet: wait for the evaluation to finish.");
        return false;
    }
    return writeTextFile(path, text(), error);
}

void SummaryCard::closeEvent(QCloseEvent* event)
{
    if (m_job) {
        m_job->stop();
        m_job.reset();
        m_timer.stop();
    }
    QDialog::closeEvent(event);
}

} // namespace plexus::ui
