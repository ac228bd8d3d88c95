#pragma once

#include <QElapsedTimer>
#include <QMainWindow>
#include <QString>

#include <vector>

class QDockWidget;
class QLabel;
class QAction;
class QMenu;

namespace plexus::ui {

class ActivityPanel;
class ConnectivityPanel;
class ExperimentPanel;
class FunctionsPanel;
class LabPanel;
class LabSession;
class LatentPanel;
class MovieRecorder;
struct MovieRequest;
class NetworkPanel;
class NeuronSelection;
class Panel;
class Playback;
class RunController;
class TrainingPanel;
class GuidedTour;
class StimulusPanel;
class SummaryCard;
class TransportBar;

/// Plexus Studio's main window: the experiment dock, the live panels in rearrangeable docks, the transport bar,
/// menus and the status bar (state, iteration, it/s, ETA, memory, redraw time).
class StudioWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit StudioWindow(QWidget* parent = nullptr);
    ~StudioWindow() override;

    /// A new run of a preset in `runDir` ("" → the default runs folder). Errors are shown and returned.
    bool newRunFromPreset(const QString& preset, const QString& runDir = {});
    /// A reproduction of a paper experiment in `runDir` ("" → the default runs folder, reproduce/NAME); the
    /// table shows when it ends. Errors are shown and returned.
    bool reproduce(const QString& experiment, const QString& runDir = {});
    bool openRun(const QString& runDir);
    /// Imports a recording (docs/recordings.md) into `runDir` ("" → the default runs folder, named after it) on a
    /// worker with a progress dialog, then opens it. `format` "" guesses from the path; `rate` 0 takes the file's.
    /// Errors are shown and returned.
    bool importRecording(const QString& source, const QString& format = {}, double rate = 0.0, const QString& runDir = {});
    bool saveRunAs(const QString& runDir);
    /// The folder new runs go to by default ($PLEXUS_RUNS_DIR, else the user's data folder).
    static QString defaultRunsFolder();
    /// The window's first size: most of the screen, at most 1900 × 1060.
    static QSize defaultSize();

    RunController* controller() const { return m_controller; }
    NeuronSelection* selection() const { return m_selection; }
    Playback* playback() const { return m_playback; }
    TransportBar* transport() const { return m_transport; }
    ExperimentPanel* experiment() const { return m_experiment; }
    const std::vector<Panel*>& panels() const { return m_panels; }
    Panel* panel(const QString& name) const;
    ConnectivityPanel* connectivityPanel() const { return m_connectivity; }
    LatentPanel* latentPanel() const { return m_latents; }
    NetworkPanel* networkPanel() const { return m_network; }
    LabPanel* labPanel() const { return m_lab; }
    LabSession* labSession() const { return m_labSession; }
    /// Opens the summary card and scores the newest checkpoint (Run → Summary card…; also when training finishes).
    SummaryCard* showSummary();
    /// Help → Guided tour: the first run of the demo in five callouts (offered once at the first start).
    GuidedTour* guidedTour();
    /// Help → About the method: the paper, its figures, what Plexus adds, the docs.
    void showAboutMethod();
    /// Brings the Lab panel to the front and shows the lab's edited network in the network view.
    void showLab();
    /// Back to the built-in panel arrangement, and do not remember the layout on close (automation).
    void useDefaultLayout();
    /// Records a movie (File → Record movie…): the training as it runs, or the activity playback. Errors are shown
    /// and returned.
    bool recordMovie(const MovieRequest& request, QString* error = nullptr);
    MovieRecorder* movieRecorder() const { return m_movie; }
    /// Median time of the last redraws of all visible panels (ms), for the status bar and benchmarks.
    double redrawMilliseconds() const { return m_redrawMs; }

protected:
    void closeEvent(QCloseEvent* event) override;
    void showEvent(QShowEvent* event) override;

private:
    QString layoutFile() const;
    void createPanels();
    void applyDefaultSizes();
    void frontStimulusOrNetwork();
    void createMenus();
    void createStatusBar();
    void updateStatus();
    void showError(const QString& message);
    void addRecentRun(const QString& runDir);
    void fillRecentMenu();
    void saveLayout();
    void restoreLayout();
    void newRunDialog();
    void openRunDialog();
    void importRecordingDialog(bool folder);
    void saveRunAsDialog();
    void exportWDialog();
    void exportPanelDialog();
    void showShortcuts();
    void createMovieRecorder();
    void recordMovieDialog();
    void stopMovie();
    /// Shows the dock holding `panel` in front of its tab group.
    void raisePanel(Panel* panel);
    void showReproduction();
    /// `base`, or base-2, base-3, … : the first that holds no run yet.
    static QString freshRunFolder(const QString& base);

    RunController* m_controller;
    NeuronSelection* m_selection;
    Playback* m_playback;
    TransportBar* m_transport = nullptr;
    ExperimentPanel* m_experiment = nullptr;
    std::vector<Panel*> m_panels;
    ActivityPanel* m_activity = nullptr;
    ConnectivityPanel* m_connectivity = nullptr;
    LatentPanel* m_latents = nullptr;
    FunctionsPanel* m_functions = nullptr;
    TrainingPanel* m_training = nullptr;
    NetworkPanel* m_network = nullptr;
    StimulusPanel* m_stimulus = nullptr;
    LabSession* m_labSession = nullptr;
    LabPanel* m_lab = nullptr;
    SummaryCard* m_summary = nullptr;
    GuidedTour* m_tour = nullptr;
    QMenu* m_recentMenu = nullptr;
    MovieRecorder* m_movie = nullptr;
    QAction* m_stopMovie = nullptr;
    QLabel* m_movieLabel = nullptr;
    QLabel *m_stateLabel = nullptr, *m_iterationLabel = nullptr, *m_rateLabel = nullptr, *m_memoryLabel = nullptr,
           *m_redrawLabel = nullptr;
    QByteArray m_defaultLayout;
    double m_redrawMs = 0.0;
    bool m_rememberLayout = true;
    bool m_layoutRestored = false;
    bool m_shownOnce = false;
    std::vector<QDockWidget*> m_docks;
    QElapsedTimer m_statusClock;
};

} // namespace plexus::ui
