// Drives Plexus Studio's real controls on the demo_tiny preset (offscreen): simulate, train, pause, step,
// resume, stop; edit parameters; save and reopen a run; export panels; linked selection; Reproduce.
#include "panels/activity_panel.h"
#include "panels/connectivity_panel.h"
#include "panels/functions_panel.h"
#include "plexus/config/recipes.h"
#include "panels/latent_panel.h"
#include "panels/network_panel.h"
#include "panels/panel.h"
#include "studio/experiment_panel.h"
#include "studio/neuron_selection.h"
#include "studio/parameter_editor.h"
#include "studio/playback.h"
#include "studio/reproduction_dialog.h"
#include "studio/lab_session.h"
#include "studio/run_controller.h"
#include "studio/studio_window.h"
#include "studio/transport_bar.h"

#include "plexus/analysis/linear_fit.h"

#include <QAction>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QImage>
#include <QLabel>
#include <QProgressBar>
#include <QSettings>
#include <QSignalSpy>
#include <QPushButton>
#include <QSlider>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace plexus::ui;

class TestStudio : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<StudioWindow> m_window;
    RunController* controller() const { return m_window->controller(); }
    QString runDir() const { return m_dir.filePath("tiny"); }
    static int redrawsWithData(Panel* panel) { return panel ? panel->redrawCount() : -1; }
    static QString labelText(Panel* panel)
    {
        panel->refreshNow();
        QString text;
        for (QLabel* label : panel->findChildren<QLabel*>())
            text += label->text() + "\n";
        return text;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName("PlexusTest"); // keep the user's settings out of it
        QSettings().clear();
        QVERIFY(m_dir.isValid());
        qputenv("PLEXUS_RUNS_DIR", m_dir.path().toUtf8());
        m_window = std::make_unique<StudioWindow>();
        m_window->resize(1400, 900);
        m_window->show();
        QVERIFY(m_window->newRunFromPreset("demo_tiny", runDir()));
        QVERIFY(QFile::exists(runDir() + "/config.yaml"));
        QCOMPARE(controller()->state(), StudioState::NoData);
    }

    void simulateFromTheTransportBar()
    {
        QVERIFY(!m_window->transport()->stepAction()->isEnabled());
        m_window->transport()->simulateAction()->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(controller()->state(), StudioState::Ready, 60000);
        QVERIFY(controller()->dataset());
        QCOMPARE(controller()->dataset()->neurons(), 100);
        QVERIFY(QFile::exists(runDir() + "/dataset.h5"));
        QTRY_VERIFY(redrawsWithData(m_window->panel("activity")) > 0);
        QVERIFY(m_window->transport()->trainAction()->isEnabled());
    }

    void trainPauseStepResumeStop()
    {
        TransportBar* transport = m_window->transport();
        transport->trainAction()->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(controller()->state(), StudioState::Training, 30000);
        // Every live panel receives data while training runs.
        for (const char* name : {"connectivity", "latents", "functions", "training"})
            QTRY_VERIFY2_WITH_TIMEOUT(redrawsWithData(m_window->panel(name)) > 0, name, 60000);
        QTRY_VERIFY_WITH_TIMEOUT(controller()->iteration() > 150, 60000);
        // The status bar says where training runs (this CPU build: the CPU, with its hand-written step).
        auto* rate = m_window->findChild<QLabel*>("rateLabel");
        QVERIFY(rate);
        QTRY_VERIFY_WITH_TIMEOUT(rate->text().contains(" on cpu, "), 5000);

        transport->pauseAction()->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(controller()->state(), StudioState::Paused, 30000);
        QCOMPARE(transport->pauseAction()->text(), QString("Resume"));
        const std::int64_t paused = controller()->iteration();
        QTest::qWait(300);
        QCOMPARE(controller()->iteration(), paused); // really paused

        transport->stepAction()->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(controller()->iteration(), paused + 1, 30000);
        QTRY_COMPARE(controller()->state(), StudioState::Paused);
        QCOMPARE(transport->progressBar()->format(), QString("paused at %p%")); // not "training" while paused
        // The Training panel's header follows the Step.
        QTRY_VERIFY_WITH_TIMEOUT(labelText(m_window->panel("training")).contains(QString("iteration %1,").arg(paused + 1)),
                                 30000);
        // The roll-out of the paused model (this very iteration) reaches the activity panel.
        QTRY_VERIFY_WITH_TIMEOUT(controller()->snapshot() && controller()->snapshot()->rollout &&
                                     controller()->snapshot()->rolloutIteration == paused + 1,
                                 30000);
        // Only then is the worker paused again (it shows Training while it computes the roll-out after a Step).
        QTRY_COMPARE_WITH_TIMEOUT(controller()->state(), StudioState::Paused, 30000);
        QCOMPARE(transport->pauseAction()->text(), QString("Resume"));

        transport->pauseAction()->trigger(); // "Resume"
        QTRY_VERIFY_WITH_TIMEOUT(controller()->iteration() > paused + 10, 30000);
        // The iteration counter is live; the state is the controller's, refreshed at its next poll (≤ 33 ms).
        QTRY_COMPARE_WITH_TIMEOUT(controller()->state(), StudioState::Training, 5000);

        transport->stopAction()->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(controller()->state(), StudioState::Stopped, 30000);
        QVERIFY(!QDir(runDir() + "/checkpoints").entryList({"*.pt"}).isEmpty());
        QVERIFY(!controller()->history().empty());
        // The connectivity panel shows the engine's corrected W, with R² and slope over all its entries.
        const auto snapshot = controller()->snapshot();
        const auto learned = controller()->learnedConnectivity();
        QVERIFY(snapshot && learned);
        QCOMPARE(snapshot->transferScale.size(), Eigen::Index(100));
        QCOMPARE(learned->rows(), Eigen::Index(100));
        m_window->connectivityPanel()->refreshNow();
        const auto& truth = controller()->dataset()->connectivity;
        const plexus::LinearFit fit = plexus::fitLine(truth.data(), learned->data(), truth.size());
        QVERIFY(std::fabs(m_window->connectivityPanel()->shownR2() - fit.r2) < 1e-6);
        QVERIFY(std::fabs(m_window->connectivityPanel()->shownSlope() - fit.slope) < 1e-6);
    }

    void functionsPanelShowsFormulas()
    {
        // Training ended (the setup stops it): the learned functions are searched as formulas in the background and
        // shown under the Functions panel's curves, drawn into its plots (so exports carry them) and exported as text.
        QTRY_VERIFY_WITH_TIMEOUT(controller()->snapshot() && controller()->snapshot()->equations, 180000);
        auto* panel = qobject_cast<FunctionsPanel*>(m_window->panel("functions"));
        QVERIFY(panel);
        panel->refreshNow();
        auto* formulas = panel->findChild<QLabel*>("formulas");
        QVERIFY(formulas);
        QVERIFY2(formulas->text().contains("φ*(u) = ") && formulas->text().contains("ψ*(u)/upper = "),
                 qPrintable(formulas->text()));
        QVERIFY2(formulas->text().contains("generator of type"), qPrintable(formulas->text()));
        const QString text = panel->equationsText();
        QVERIFY2(text.contains("update function φ*, cluster 0: ") && text.contains("R² "), qPrintable(text));
        QString error;
        const QString txt = m_dir.filePath("functions.txt"), svg = m_dir.filePath("functions.svg");
        QVERIFY2(panel->exportText(txt, &error), qPrintable(error));
        QVERIFY2(panel->exportImage(svg, &error), qPrintable(error));
        QFile txtFile(txt), svgFile(svg);
        QVERIFY(txtFile.open(QIODevice::ReadOnly) && svgFile.open(QIODevice::ReadOnly));
        QCOMPARE(QString::fromUtf8(txtFile.readAll()), text);
        const QString svgText = QString::fromUtf8(svgFile.readAll());
        const QString first = QString::fromStdString(controller()->snapshot()->equations->front().search.best()->expression.readable("u"));
        QVERIFY2(svgText.contains(first.left(4).toHtmlEscaped()) || svgText.contains(first.left(4)), qPrintable(first));
        // In a narrow window the in-plot formulas are cut with "…" to their plot's width instead of running off it.
        m_window->resize(900, 700);
        QTest::qWait(200); // the layouts follow
        panel->refreshNow();
        QTest::qWait(200); // its queued replot
        QVERIFY(panel->plotFormulasFit());
        m_window->resize(1400, 900);
        QTest::qWait(200);
    }

    void linkedSelectionFromALatentClick()
    {
        LatentPanel* latents = m_window->latentPanel();
        latents->refreshNow();
        QWidget* plot = nullptr;
        for (QWidget* child : latents->findChildren<QWidget*>())
            if (QString(child->metaObject()->className()) == "QCustomPlot")
                plot = child;
        QVERIFY(plot);
        const int neuron = 42;
        std::vector<int> before;
        for (Panel* panel : m_window->panels())
            before.push_back(panel->redrawCount());
        QTest::mouseClick(plot, Qt::LeftButton, {}, latents->pointOf(neuron).toPoint());
        // A click picks the nearest point; several neurons may overlap there, so accept any at that spot.
        QTRY_VERIFY(m_window->selection()->current() >= 0);
        const int picked = m_window->selection()->current();
        const QPointF at = latents->pointOf(picked), wanted = latents->pointOf(neuron);
        QVERIFY2(std::hypot(at.x() - wanted.x(), at.y() - wanted.y()) < 16, "picked a neuron far from the click");
        // Every panel redraws for the selection, and shows that neuron.
        for (std::size_t k = 0; k < m_window->panels().size(); ++k)
            if (m_window->panels()[k]->isVisible() && m_window->panels()[k]->name() != "training" &&
                m_window->panels()[k]->name() != "stimulus" && // no neuron in it (and none on demo_tiny)
                (m_window->panels()[k]->name() != "network" || m_window->networkPanel()->view()))
                QTRY_VERIFY2(m_window->panels()[k]->redrawCount() > before[k], qPrintable(m_window->panels()[k]->name()));
        auto* activity = static_cast<ActivityPanel*>(m_window->panel("activity"));
        QCOMPARE(activity->shownNeurons().front(), picked);
        QVERIFY(activity->csvText().startsWith(QString("frame,u_%1").arg(picked)));
        // Pinned traces: a list and a range, and a refused value that keeps the previous list.
        QVERIFY(activity->setPinnedNeurons("3, 10-11"));
        QCOMPARE(activity->shownNeurons(), (std::vector<int>{picked, 3, 10, 11}));
        QVERIFY(!activity->setPinnedNeurons("7, 500"));
        QVERIFY(!activity->setPinnedNeurons("seven"));
        QCOMPARE(activity->shownNeurons().size(), std::size_t(4));
        QVERIFY(activity->setPinnedNeurons(""));
        const std::size_t shown = activity->shownNeurons().size(); // selected + one per type (4 if it is one of those)
        QVERIFY(shown == 4 || shown == 5);
    }

    void playbackMovesTheFrame()
    {
        QAction* play = m_window->transport()->playAction();
        QVERIFY(play->isEnabled());
        const int start = m_window->playback()->frame();
        play->trigger();
        QVERIFY(m_window->playback()->playing());
        QTRY_VERIFY(m_window->playback()->frame() > start + 10);
        play->trigger();
        QVERIFY(!m_window->playback()->playing());
        QCOMPARE(m_window->transport()->timeSlider()->value(), m_window->playback()->frame());
        m_window->transport()->timeSlider()->setValue(123); // dragging the slider moves the views
        QCOMPARE(m_window->playback()->frame(), 123);
        QVERIFY(m_window->panel("network")->csvText().startsWith("neuron,x,y,type,u_at_frame_123"));
    }

    void parameterEditing()
    {
        ParameterEditor* editor = m_window->experiment()->editor();
        QVERIFY(editor->editValue("training.batch_size", "16"));
        QCOMPARE(controller()->config().training.batchSize, 16);
        QVERIFY(editor->errorFor("training.batch_size").isEmpty());
        QFile saved(runDir() + "/config.yaml");
        QVERIFY(saved.open(QIODevice::ReadOnly));
        QVERIFY(saved.readAll().contains("batch_size: 16"));

        QVERIFY(!editor->editValue("training.batch_size", "many"));
        QVERIFY2(editor->errorFor("training.batch_size").startsWith("Expected"), qPrintable(editor->errorFor("training.batch_size")));
        QVERIFY(!editor->errorFor("training.batch_size").contains("--set")); // plain words, not the CLI's
        QCOMPARE(controller()->config().training.batchSize, 16); // unchanged
        QCOMPARE(editor->valueOf("training.batch_size"), QString("16")); // reverted: never shown as if taken
        QVERIFY2(editor->message().contains("batch_size = many was not taken") && editor->message().contains("stays 16"),
                 qPrintable(editor->message()));
        QVERIFY(editor->findChild<QLabel*>("editMessage")->isVisible()); // under the list, not in a far column

        QVERIFY(!editor->editValue("simulation.n_neurons", "-5"));
        QVERIFY(!editor->errorFor("simulation.n_neurons").isEmpty());
        QCOMPARE(editor->valueOf("simulation.n_neurons"), QString::number(controller()->config().simulation.nNeurons));
        QVERIFY(controller()->dataset()); // a refused edit changes nothing

        QVERIFY(editor->editValue("training.batch_size", "8"));
    }

    void exportPanelsAndData()
    {
        m_window->labSession()->run(); // the Lab's plots and CSV hold a roll-out
        QTRY_VERIFY_WITH_TIMEOUT(m_window->labSession()->result() != nullptr, 60000);
        for (Panel* panel : m_window->panels()) {
            // demo_tiny has no hidden stimulus: that panel is one line of text and a CSV header (its content is
            // tests/ui/test_stimulus_panel.cpp's).
            const bool empty = panel->name() == "stimulus";
            for (const char* suffix : {"png", "svg", "pdf"}) {
                const QString path = m_dir.filePath(panel->name() + "." + suffix);
                QString error;
                QVERIFY2(panel->exportImage(path, &error), qPrintable(error));
                QFile file(path);
                QVERIFY(file.open(QIODevice::ReadOnly));
                const QByteArray head = file.read(64);
                if (QString(suffix) == "png")
                    QVERIFY(!QImage(path).isNull() && QImage(path).width() >= panel->width());
                else if (QString(suffix) == "svg")
                    QVERIFY(head.contains("<?xml") || head.contains("<svg"));
                else
                    QVERIFY(head.startsWith("%PDF"));
                QVERIFY2(file.size() > 500 || empty, qPrintable(path));
            }
            const QString csv = m_dir.filePath(panel->name() + ".csv");
            QString error;
            QVERIFY2(panel->exportCsv(csv, &error), qPrintable(error));
            QFile file(csv);
            QVERIFY(file.open(QIODevice::ReadOnly));
            QList<QByteArray> lines = file.readAll().split('\n');
            QVERIFY(lines.front().startsWith("# Plexus ") && lines[1].startsWith("# units"));
            lines = lines.mid(2); // the comment: run, iteration, units
            if (empty) {
                QCOMPARE(lines.front(), QByteArray("frame,neuron,true_sqrt_omega,learned_sqrt_omega_scaled"));
                continue;
            }
            QVERIFY2(lines.size() >= 3, qPrintable(panel->name())); // header, at least one row, final newline
            QVERIFY2(lines[1].contains(','), qPrintable(panel->name()));
        }
        QString error;
        const QString npy = m_dir.filePath("learned_W.npy");
        QVERIFY2(m_window->connectivityPanel()->exportLearnedW(npy, &error), qPrintable(error));
        QFile file(npy);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(file.read(6) == QByteArray("\x93NUMPY"));
        QVERIFY(file.size() >= 100 * 100 * 4);
        QVERIFY(!m_window->connectivityPanel()->exportImage(m_dir.filePath("w.bmp"), &error));
        QVERIFY(error.contains("expected .png, .svg or .pdf"));
    }

    void saveAsAndReopen()
    {
        const QString copy = m_dir.filePath("copy");
        QVERIFY(m_window->saveRunAs(copy));
        QCOMPARE(controller()->runDir(), QDir(copy).absolutePath());
        QVERIFY(QFile::exists(copy + "/dataset.h5"));
        QVERIFY(QFile::exists(copy + "/layout.dat") || QFile::exists(runDir() + "/layout.dat"));

        StudioWindow reopened;
        reopened.show();
        // One window per run folder: the copy is this window's now, so a second window is refused...
        QVERIFY(!reopened.openRun(copy));
        QVERIFY(reopened.controller()->runDir().isEmpty() || reopened.controller()->runDir() != QDir(copy).absolutePath());
        // ... while the original, released by Save As, opens there with the same checkpoint.
        QVERIFY(reopened.openRun(runDir()));
        RunController* c = reopened.controller();
        QCOMPARE(c->config().training.batchSize, 8);
        QVERIFY(c->dataset());
        QVERIFY(!c->history().empty());
        // The learned model is restored from the checkpoint, paused, with its views.
        QTRY_VERIFY_WITH_TIMEOUT(c->snapshot() != nullptr, 60000);
        QTRY_VERIFY_WITH_TIMEOUT(c->state() == StudioState::Paused || c->state() == StudioState::Finished, 60000);
        QVERIFY(c->snapshot()->iteration > 150);
        // Both windows restored the same checkpoint: the one written when training was stopped.
        QTRY_VERIFY_WITH_TIMEOUT(controller()->snapshot() != nullptr, 60000);
        QCOMPARE(c->snapshot()->iteration, controller()->snapshot()->iteration);
        QCOMPARE(c->snapshot()->latents.rows(), 100);
        QTRY_VERIFY(redrawsWithData(reopened.panel("connectivity")) > 0);
        // The Training panel's header gives the last measured loss, not the restored snapshot's empty one.
        QTRY_VERIFY_WITH_TIMEOUT(labelText(reopened.panel("training")).contains(", loss "), 30000);
        QVERIFY2(!labelText(reopened.panel("training")).contains(", loss 0\n"), qPrintable(labelText(reopened.panel("training"))));

        QVERIFY(!reopened.openRun(m_dir.filePath("nowhere"))); // a clear refusal, window still usable
        QCOMPARE(c->runDir(), QDir(runDir()).absolutePath());
    }

    void engineErrorsAreShownAndTheWindowStaysUsable()
    {
        ParameterEditor* editor = m_window->experiment()->editor();
        // The reopened run is paused on its checkpoint: a simulation change is refused until the work stops.
        QTRY_COMPARE_WITH_TIMEOUT(controller()->state(), StudioState::Paused, 60000);
        QVERIFY(!editor->editValue("simulation.n_neurons", "90000"));
        QVERIFY2(editor->errorFor("simulation.n_neurons").contains("Stop the current work"),
                 qPrintable(editor->errorFor("simulation.n_neurons")));
        m_window->transport()->stopAction()->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(controller()->state(), StudioState::Stopped, 30000);
        // A change that needs a new simulation asks first; declined, everything stays.
        QString asked;
        editor->setConfirmation([&asked](const QString& consequence) {
            asked = consequence;
            return false;
        });
        QVERIFY(!editor->editValue("simulation.n_neurons", "90000"));
        QVERIFY(asked.contains("new simulation"));
        QVERIFY(controller()->dataset() && controller()->snapshot() && !controller()->history().empty());
        QCOMPARE(editor->valueOf("simulation.n_neurons"), QString::number(controller()->config().simulation.nNeurons));
        // Accepted: the data and everything learned from it are cleared at once — no old W, R² curve or losses.
        editor->setConfirmation([](const QString&) { return true; });
        // Valid values, together far too big for any machine's memory (≈ 7 TB of activity).
        QVERIFY(editor->editValue("simulation.n_neurons", "90000"));
        QVERIFY(!controller()->snapshot() && controller()->history().empty());
        for (Panel* panel : m_window->panels())
            panel->refreshNow();
        QVERIFY(m_window->panel("connectivity")->csvText().count('\n') <= 1); // header only: no stale pairs
        QVERIFY2(editor->editValue("simulation.n_frames", "10000000"), qPrintable(editor->errorFor("simulation.n_frames")));
        QVERIFY(!controller()->dataset());
        QCOMPARE(controller()->state(), StudioState::NoData);
        QSignalSpy errors(controller(), &RunController::errorOccurred);
        m_window->transport()->simulateAction()->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(errors.count(), 1, 30000);
        const QString message = errors.first().first().toString();
        QVERIFY2(message.contains("memory"), qPrintable(message));
        QTRY_COMPARE(controller()->state(), StudioState::NoData);
        QVERIFY(m_window->transport()->simulateAction()->isEnabled());
        QVERIFY(editor->editValue("simulation.n_neurons", "100"));
        QVERIFY(editor->editValue("simulation.n_frames", "10000"));
        QCOMPARE(controller()->config().simulation.nNeurons, 100);
    }

    void reproduceFromTheExperimentPicker()
    {
        // The button is there for the experiments with a recipe, and only for them.
        ExperimentPanel* picker = m_window->experiment();
        picker->presetBox()->setCurrentText("fig_2");
        QVERIFY(picker->reproduceButton()->isEnabled());
        const std::vector<std::string> recipes = plexus::recipeNames();
        for (int i = 0; i < picker->presetBox()->count(); ++i) {
            const QString preset = picker->presetBox()->itemText(i);
            picker->presetBox()->setCurrentIndex(i);
            const bool hasRecipe = std::find(recipes.begin(), recipes.end(), preset.toStdString()) != recipes.end();
            QVERIFY2(picker->reproduceButton()->isEnabled() == hasRecipe, qPrintable(preset));
        }
        // demo_tiny's recipe end to end: a new run in the runs folder, simulated, trained, evaluated; the table.
        picker->presetBox()->setCurrentText("demo_tiny");
        QVERIFY(picker->reproduceButton()->isEnabled());
        QTest::mouseClick(picker->reproduceButton(), Qt::LeftButton);
        QVERIFY(controller()->reproducing());
        QCOMPARE(controller()->runDir(), QDir(m_dir.filePath("reproduce/demo_tiny")).absolutePath());
        ReproductionDialog* dialog = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT((dialog = m_window->findChild<ReproductionDialog*>()) != nullptr, 240000);
        QVERIFY(dialog->isVisible());
        QCOMPARE(controller()->state(), StudioState::Finished);
        QCOMPARE(dialog->table()->rowCount(), static_cast<int>(controller()->reproductionResult()->rows.size()));
        QCOMPARE(dialog->table()->item(0, 0)->text(), QString("types found"));
        QCOMPARE(dialog->table()->item(0, 2)->text(), QString::number(controller()->reproductionResult()->rows[0].measured));
        QVERIFY(QFile::exists(m_dir.filePath("reproduce/demo_tiny/reproduction.json")));
    }

    void cleanupTestCase()
    {
        m_window.reset();
        QSettings().clear();
    }
};

QTEST_MAIN(TestStudio)
#include "test_studio.moc"
