// StudioWindow: menus, dialogs and shortcuts (kept apart from the window's layout code).
#include "studio/studio_window.h"
#include "studio/guided_tour.h"

#include "panels/connectivity_panel.h"
#include "panels/panel.h"
#include "plots/plot_export.h"
#include "studio/run_controller.h"
#include "studio/space_for_pause.h"
#include "studio/theme.h"
#include "studio/transport_bar.h"

#include "plexus/config/presets.h"

#include <QAction>
#include <QApplication>
#include <QDockWidget>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>

namespace plexus::ui {

void StudioWindow::createMenus()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&New run…"), QKeySequence::New, this, &StudioWindow::newRunDialog);
    file->addAction(tr("&Open run…"), QKeySequence::Open, this, &StudioWindow::openRunDialog);
    file->addAction(tr("&Import recording file… (NWB, CSV, NPY, HDF5)"), this, [this] { importRecordingDialog(false); });
    file->addAction(tr("Import suite2p &folder…"), this, [this] { importRecordingDialog(true); });
    m_recentMenu = file->addMenu(tr("Open &recent"));
    fillRecentMenu();
    file->addAction(tr("Save run &as…"), QKeySequence::SaveAs, this, &StudioWindow::saveRunAsDialog);
    file->addSeparator();
    file->addAction(tr("&Export panel…"), QKeySequence(Qt::CTRL | Qt::Key_E), this, &StudioWindow::exportPanelDialog);
    file->addAction(tr("Export learned &W…"), this, &StudioWindow::exportWDialog);
    file->addAction(tr("Record &movie…"), this, &StudioWindow::recordMovieDialog)->setObjectName("recordMovieAction");
    m_stopMovie = file->addAction(tr("Stop &recording"), this, &StudioWindow::stopMovie);
    m_stopMovie->setObjectName("stopRecordingAction");
    m_stopMovie->setEnabled(false);
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu* run = menuBar()->addMenu(tr("&Run"));
    for (QAction* action : {m_transport->simulateAction(), m_transport->trainAction(), m_transport->pauseAction(),
                            m_transport->stepAction(), m_transport->stopAction()})
        run->addAction(action);
    run->addAction(tr("Train from &scratch"), m_controller, &RunController::trainFromScratch);
    QAction* summary = run->addAction(tr("Summary &card…"), this, [this] { showSummary(); });
    summary->setObjectName("summaryAction");
    summary->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_K));
    summary->setToolTip(tr("The trained model's scores, as plexus-cli evaluate gives them, with how to read them"));
    run->addSeparator();
    QAction* playPause = run->addAction(tr("Play / pause"), m_transport, &TransportBar::togglePlayPause);
    playPause->setObjectName("playPauseAction");
    playPause->setShortcut(QKeySequence(Qt::Key_Space));
    new SpaceForPause(this, playPause);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    for (QDockWidget* dock : findChildren<QDockWidget*>())
        view->addAction(dock->toggleViewAction());
    view->addSeparator();
    QAction* dark = view->addAction(tr("&Dark theme"));
    dark->setObjectName("darkThemeAction");
    dark->setCheckable(true);
    dark->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D));
    dark->setChecked(QSettings().value("darkTheme", false).toBool());
    connect(dark, &QAction::toggled, this, [](bool on) {
        QSettings().setValue("darkTheme", on);
        ThemeManager::instance().setDark(on);
    });
    QAction* presenter = view->addAction(tr("&Presenter mode (larger text and lines)"));
    presenter->setObjectName("presenterAction");
    presenter->setCheckable(true);
    presenter->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P));
    connect(presenter, &QAction::toggled, this, [](bool on) { ThemeManager::instance().setPresenter(on); });
    view->addAction(tr("&Reset layout"), this, [this] {
        restoreState(m_defaultLayout);
        applyDefaultSizes();
    });

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&Guided tour"), this, [this] { guidedTour()->start(); });
    help->addAction(tr("About the &method"), this, &StudioWindow::showAboutMethod);
    QAction* explainAll = help->addAction(tr("&Explain every panel"));
    explainAll->setObjectName("explainAllAction");
    explainAll->setCheckable(true);
    connect(explainAll, &QAction::toggled, this, [this](bool on) {
        for (Panel* panel : m_panels)
            panel->setExplanationVisible(on);
    });
    help->addAction(tr("&Keyboard shortcuts"), QKeySequence::HelpContents, this, &StudioWindow::showShortcuts);
    help->addAction(tr("&About Plexus"), this, [this] {
        QMessageBox::about(this, tr("About Plexus"),
                           tr("<b>Plexus Studio</b><p>Simulates neural assemblies, trains a graph neural network on "
                              "their activity and shows how it recovers the connectivity, the neuron types and their "
                              "functions.</p><p>After C. Allier et al., <i>Graph neural networks uncover structure and "
                              "functions underlying the activity of simulated neural assemblies</i> (2026).</p>"
                              "<p>GPL-3.0-or-later.</p>"));
    });
}

void StudioWindow::fillRecentMenu()
{
    m_recentMenu->clear();
    const QStringList recent = QSettings().value("recentRuns").toStringList();
    for (const QString& runDir : recent)
        if (QFileInfo::exists(runDir + "/config.yaml"))
            m_recentMenu->addAction(runDir, this, [this, runDir] { openRun(runDir); });
    m_recentMenu->setEnabled(!m_recentMenu->isEmpty());
}

void StudioWindow::newRunDialog()
{
    QStringList names;
    for (const PresetInfo& preset : listPresets())
        names << QString::fromStdString(preset.name + " — " + preset.description);
    bool ok = false;
    const QString choice = QInputDialog::getItem(this, tr("New run"), tr("Experiment:"), names, 0, false, &ok);
    if (!ok)
        return;
    const QString preset = choice.section(" — ", 0, 0);
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Folder for the new run (a new empty folder)"),
                                                             defaultRunsFolder());
    if (!folder.isEmpty())
        newRunFromPreset(preset, folder);
}

void StudioWindow::openRunDialog()
{
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Open a run folder"), defaultRunsFolder());
    if (!folder.isEmpty())
        openRun(folder);
}

void StudioWindow::importRecordingDialog(bool folder)
{
    const QString source =
        folder ? QFileDialog::getExistingDirectory(this, tr("A suite2p plane folder (with F.npy)"), QDir::homePath())
               : QFileDialog::getOpenFileName(this, tr("A recording"), QDir::homePath(),
                                              tr("Recordings (*.nwb *.csv *.txt *.npy *.h5 *.hdf5);;All files (*)"));
    if (source.isEmpty())
        return;
    bool ok = false;
    const double rate = QInputDialog::getDouble(
        this, tr("Frame rate"), tr("Frames per second (0: read it from the file — suite2p ops.npy, NWB, a CSV time column):"),
        0.0, 0.0, 1e6, 3, &ok);
    if (ok)
        importRecording(source, {}, rate);
}

void StudioWindow::saveRunAsDialog()
{
    if (m_controller->runDir().isEmpty())
        return;
    // A name typed here is a new folder: Save As creates it (an existing one must hold no run).
    const QString folder = QFileDialog::getSaveFileName(
        this, tr("Save the run as (a new folder)"),
        defaultRunsFolder() + "/" + QFileInfo(m_controller->runDir()).fileName() + "-copy", QString(), nullptr,
        QFileDialog::ShowDirsOnly);
    if (!folder.isEmpty())
        saveRunAs(folder);
}

void StudioWindow::exportWDialog()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Export learned W"), m_controller->runDir() + "/learned_W.npy",
                                                      tr("NumPy array (*.npy);;CSV (*.csv)"));
    QString error;
    if (!path.isEmpty() && !m_connectivity->exportLearnedW(path, &error))
        showError(error);
}

void StudioWindow::exportPanelDialog()
{
    QStringList titles;
    for (Panel* p : panels())
        titles << p->title();
    bool ok = false;
    const QString title = QInputDialog::getItem(this, tr("Export panel"), tr("Panel:"), titles, 0, false, &ok);
    if (!ok)
        return;
    Panel* chosen = panels()[static_cast<std::size_t>(titles.indexOf(title))];
    const QString path = QFileDialog::getSaveFileName(this, tr("Export %1").arg(title),
                                                      m_controller->runDir() + "/" + chosen->name() + ".png",
                                                      imageFileFilter() + tr(";;CSV data (*.csv)"));
    if (path.isEmpty())
        return;
    QString error;
    const bool csv = QFileInfo(path).suffix().toLower() == "csv";
    if (!(csv ? chosen->exportCsv(path, &error) : chosen->exportImage(path, &error)))
        showError(error);
}

void StudioWindow::showShortcuts()
{
    QMessageBox::information(
        this, tr("Keyboard shortcuts"),
        tr("<table>"
           "<tr><td><b>Space</b></td><td>pause / resume training; play / pause the activity when not training "
           "(also while a number field has the keyboard; in the parameter search and text values it types a space)"
           "</td></tr>"
           "<tr><td><b>Ctrl+R</b></td><td>simulate</td></tr>"
           "<tr><td><b>Ctrl+T</b></td><td>train</td></tr>"
           "<tr><td><b>Ctrl+.</b></td><td>one training step (while paused)</td></tr>"
           "<tr><td><b>Esc</b></td><td>stop (training keeps a checkpoint)</td></tr>"
           "<tr><td><b>Ctrl+N / Ctrl+O</b></td><td>new run / open run</td></tr>"
           "<tr><td><b>Ctrl+Shift+S</b></td><td>save run as</td></tr>"
           "<tr><td><b>Ctrl+E</b></td><td>export a panel (PNG, SVG, PDF or CSV)</td></tr>"
           "<tr><td><b>Ctrl+K</b></td><td>summary card (the trained model's scores)</td></tr>"
           "<tr><td><b>Ctrl+Shift+D</b></td><td>dark theme</td></tr>"
           "<tr><td><b>Ctrl+Shift+P</b></td><td>presenter mode (larger text and lines)</td></tr>"
           "<tr><td><b>Ctrl+Q</b></td><td>quit</td></tr>"
           "<tr><td><b>Mouse</b></td><td>click a neuron in any panel to select it everywhere; wheel zooms, drag pans; "
           "double-click resets the network view</td></tr></table>"));
}

} // namespace plexus::ui
