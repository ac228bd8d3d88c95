// StudioWindow: File → Record movie… and Stop recording (docs/user-guide.md, "Movies").
#include "studio/studio_window.h"

#include "panels/panel.h"
#include "studio/movie_dialog.h"
#include "studio/movie_recorder.h"
#include "studio/playback.h"
#include "studio/run_controller.h"

#include <QAction>
#include <QDir>
#include <QFileInfo>
#include <QLabel>
#include <QProgressDialog>
#include <QStatusBar>

namespace plexus::ui {

void StudioWindow::createMovieRecorder()
{
    m_movie = new MovieRecorder(m_controller, m_playback, this);
    m_movieLabel = new QLabel(this);
    m_movieLabel->setObjectName("movieLabel");
    m_movieLabel->setStyleSheet("color: rgb(200, 30, 30)");
    m_movieLabel->hide();
    statusBar()->addPermanentWidget(m_movieLabel);
    connect(m_movie, &MovieRecorder::framesChanged, this, [this](int frames) {
        m_movieLabel->setText(tr("● recording %1: %n frame(s)", nullptr, frames).arg(QFileInfo(m_movie->path()).fileName()));
    });
    connect(m_movie, &MovieRecorder::finished, this, [this](const QString& path, int frames, const QString& error) {
        m_movieLabel->hide();
        m_stopMovie->setEnabled(false);
        if (!error.isEmpty())
            showError(error);
        else
            statusBar()->showMessage(tr("Movie written: %1 (%n frame(s))", nullptr, frames).arg(path), 15000);
    });
}

bool StudioWindow::recordMovie(const MovieRequest& request, QString* errorOut)
{
    QString error;
    const auto fail = [&] {
        showError(error);
        if (errorOut)
            *errorOut = error;
        return false;
    };
    Panel* chosen = panel(request.panel);
    if (!chosen) {
        error = tr("no panel named '%1' to record (activity, connectivity, latents, functions, training, network, "
                   "stimulus)").arg(request.panel);
        return fail();
    }
    raisePanel(chosen);
    if (request.training) {
        if (!m_movie->startTraining(chosen, request.options, &error))
            return fail();
        m_stopMovie->setEnabled(true);
        m_movieLabel->setText(tr("● recording %1").arg(QFileInfo(request.options.path).fileName()));
        m_movieLabel->show();
        statusBar()->showMessage(tr("Recording the %1 panel: press Train; the movie is written when training ends "
                                    "or at File → Stop recording").arg(chosen->title()), 15000);
        return true;
    }
    QProgressDialog progress(tr("Recording the %1 panel…").arg(chosen->title()), tr("Cancel"), 0, 100, this);
    progress.setWindowModality(Qt::WindowModal);
    progress.setMinimumDuration(500);
    const bool written = m_movie->recordPlayback(chosen, request.options, request.first, request.last, request.step,
                                                 [&progress](int done, int total) {
                                                     progress.setMaximum(total);
                                                     progress.setValue(done);
                                                     return !progress.wasCanceled();
                                                 },
                                                 &error);
    if (!written)
        return fail();
    statusBar()->showMessage(tr("Movie written: %1").arg(request.options.path), 15000);
    return true;
}

void StudioWindow::recordMovieDialog()
{
    QList<QPair<QString, QString>> choices;
    for (Panel* p : m_panels)
        choices.append({p->name(), p->title()});
    const QString folder = m_controller->runDir().isEmpty() ? QDir::homePath() : m_controller->runDir();
    MovieDialog dialog(choices, m_playback->frames(), QDir(folder).filePath("training.mp4"), this);
    if (dialog.exec() == QDialog::Accepted)
        recordMovie(dialog.request());
}

void StudioWindow::stopMovie()
{
    QString error;
    if (!m_movie->stop(&error) && !error.isEmpty())
        showError(error);
}

} // namespace plexus::ui
