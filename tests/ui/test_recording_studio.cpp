// The Studio on a recording (no ground truth): it opens, trains, and every panel shows the learned side alone with
// a label saying there is no truth to compare with — never a crash, never a fake score; the lab says it needs one.
#include "panels/panel.h"
#include "studio/lab_session.h"
#include "studio/run_controller.h"
#include "studio/studio_window.h"

#include "plexus/config/config_loader.h"
#include "plexus/data/dataset_file.h"
#include "plexus/data/npy_file.h"
#include "plexus/data/recording_import.h"
#include "plexus/runtime/run_folder.h"
#include "plexus/sim/simulator.h"
#include "plexus/train/trainer.h"

#include <QComboBox>
#include <QLabel>
#include <QSettings>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QFileInfo>
#include <QTest>

#include <filesystem>
#include <memory>

using namespace plexus;
using namespace plexus::ui;

namespace {

/// A simulated network's activity written as a plain matrix, imported as a recording, trained a little.
QString recordingRun(const QTemporaryDir& dir)
{
    ExperimentConfig sim;
    sim.simulation.nNeurons = 30;
    sim.simulation.nFrames = 400;
    sim.simulation.startFrame = -50;
    sim.simulation.params = {{10, 1, 1}, {10, 2, 1}, {10, 1, 2}, {10, 2, 2}};
    const Dataset truth = simulate(sim);
    const std::string matrix = dir.filePath("activity.npy").toStdString();
    writeNpy(matrix, {truth.frames(), truth.neurons()}, truth.activity.data());
    RecordingOptions options;
    options.format = "npy";
    options.rate = 100.0;
    auto data = std::make_shared<const Dataset>(importRecording(matrix, options));
    const RunFolder folder(dir.filePath("run").toStdString());
    std::filesystem::create_directories(folder.path());
    ExperimentConfig config = recordingExperiment(*data, "demo", matrix);
    saveConfigFile(config, folder.configPath());
    saveDataset(*data, folder.datasetPath());
    TrainingOptions training;
    training.runDir = folder.path();
    Trainer trainer(config, data, training);
    for (int i = 0; i < 30; ++i)
        trainer.step();
    trainer.saveCheckpoint();
    return QString::fromStdString(folder.path());
}

QString textOf(Panel* panel)
{
    panel->refreshNow();
    QString text;
    for (QLabel* label : panel->findChildren<QLabel*>())
        if (label->objectName() != "explanation") // the ⓘ text explains in general; the scores are elsewhere
            text += label->text() + "\n";
    return text;
}

} // namespace

class TestRecordingStudio : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyPanelShowsTheLearnedSideAlone()
    {
        QCoreApplication::setOrganizationName("PlexusTest");
        QSettings().clear();
        QTemporaryDir dir;
        const QString run = recordingRun(dir);
        StudioWindow window;
        window.resize(1400, 900);
        window.show();
        QVERIFY(window.openRun(run));
        QTRY_VERIFY_WITH_TIMEOUT(window.controller()->snapshot() != nullptr, 60000);
        QTRY_VERIFY_WITH_TIMEOUT(window.controller()->snapshot()->typesIteration >= 0, 60000);
        for (Panel* panel : window.panels()) {
            panel->show();
            panel->refreshNow();
            QString error;
            QVERIFY2(panel->exportCsv(dir.filePath(panel->name() + ".csv"), &error), qPrintable(error));
        }
        QVERIFY(textOf(window.panel("connectivity")).contains("no true W"));
        // No true-W map, scatter or R² history: the learned W and the distribution of its weights.
        QCOMPARE(window.panel("connectivity")->plots().size(), 2);
        int shownPlots = 0;
        for (QWidget* child : window.panel("connectivity")->findChildren<QWidget*>())
            shownPlots += QString(child->metaObject()->className()) == "QCustomPlot" && child->isVisible();
        QCOMPARE(shownPlots, 2);
        // The latents cannot be coloured by a true type.
        auto* colourBy = window.panel("latents")->findChild<QComboBox*>("colourBy");
        QVERIFY(colourBy && !colourBy->isEnabled() && colourBy->currentIndex() == 1);
        QVERIFY(textOf(window.panel("latents")).contains("no true types"));
        QVERIFY(!textOf(window.panel("latents")).contains("accuracy"));
        QVERIFY(textOf(window.panel("functions")).contains("no true functions"));
        // Training goes on from there.
        window.controller()->train();
        QTRY_VERIFY_WITH_TIMEOUT(window.controller()->iteration() > 40, 60000);
        window.controller()->stop();
        QTRY_VERIFY_WITH_TIMEOUT(window.controller()->state() == StudioState::Stopped ||
                                     window.controller()->state() == StudioState::Finished,
                                 60000);
        // The lab compares with a true simulator: it says there is none.
        window.labSession()->run();
        QTRY_VERIFY_WITH_TIMEOUT(window.statusBar()->currentMessage().contains("no ground truth"), 60000);
        QVERIFY(window.labSession()->result() == nullptr);
    }

    void importFromTheStudio()
    {
        QTemporaryDir dir;
        ExperimentConfig sim;
        sim.simulation.nNeurons = 12;
        sim.simulation.nFrames = 200;
        sim.simulation.params = {{10, 1, 1}, {10, 2, 1}, {10, 1, 2}, {10, 2, 2}};
        const Dataset truth = simulate(sim);
        const QString matrix = dir.filePath("traces.npy");
        writeNpy(matrix.toStdString(), {truth.frames(), truth.neurons()}, truth.activity.data());
        StudioWindow window;
        window.show();
        QVERIFY(window.importRecording(matrix, {}, 50.0, dir.filePath("imported")));
        QVERIFY(window.controller()->dataset() != nullptr);
        QCOMPARE(window.controller()->dataset()->neurons(), Eigen::Index(12));
        QVERIFY(window.controller()->dataset()->types.empty());
        QVERIFY(window.statusBar()->currentMessage().contains("no ground truth"));
        QVERIFY(QFileInfo::exists(dir.filePath("imported/config.yaml")));
        // No rate anywhere: refused with the reason, and no folder left behind.
        QVERIFY(!window.importRecording(matrix, {}, 0.0, dir.filePath("norate")));
        QVERIFY(!QFileInfo::exists(dir.filePath("norate")));
        QVERIFY(!window.importRecording(dir.filePath("notes.docx")));
    }
};

QTEST_MAIN(TestRecordingStudio)
#include "test_recording_studio.moc"
