// The Lab panel on a small trained run: edit (silence the selected neuron, cut the connection between the last two
// selected neurons) → Run (on a worker, the window answering) → traces and scores → undo/redo; a bad edit is refused
// with its reason; the edited network is what the network view draws; the edits come back when the run is reopened.
#include "panels/lab_panel.h"
#include "panels/network_panel.h"
#include "studio/lab_session.h"
#include "studio/neuron_selection.h"
#include "studio/run_controller.h"
#include "studio/studio_window.h"

#include "plexus/config/config_loader.h"
#include "plexus/data/dataset_file.h"
#include "plexus/runtime/run_folder.h"
#include "plexus/sim/simulator.h"
#include "plexus/train/trainer.h"

#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>

#include <filesystem>
#include <memory>

using namespace plexus;
using namespace plexus::ui;

namespace {

/// A trained run folder made with the engine: 40 neurons, 300 frames, 50 iterations, one checkpoint.
QString trainedRun(const QTemporaryDir& dir)
{
    ExperimentConfig c;
    c.source = "lab test";
    c.simulation.nNeurons = 40;
    c.simulation.nFrames = 300;
    c.simulation.startFrame = -50;
    c.simulation.params = {{10, 1, 1}, {10, 2, 1}, {10, 1, 2}, {10, 2, 2}};
    c.training.wInitStd = 0.01;
    const RunFolder folder(dir.filePath("run").toStdString());
    std::filesystem::create_directories(folder.path());
    saveConfigFile(c, folder.configPath());
    auto data = std::make_shared<const Dataset>(simulate(c));
    saveDataset(*data, folder.datasetPath());
    TrainingOptions options;
    options.runDir = folder.path();
    Trainer trainer(c, data, options);
    for (int i = 0; i < 50; ++i)
        trainer.step();
    trainer.saveCheckpoint();
    return dir.filePath("run");
}

QStringList editLines(LabPanel* panel)
{
    panel->refreshNow();
    QStringList lines;
    auto* list = panel->findChild<QListWidget*>("labEdits");
    for (int i = 0; i < list->count(); ++i)
        lines << list->item(i)->text();
    return lines;
}

} // namespace

class TestLabPanel : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_run;
    std::unique_ptr<StudioWindow> m_window;
    LabPanel* panel() const { return m_window->labPanel(); }
    LabSession* lab() const { return m_window->labSession(); }

private Q_SLOTS:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName("PlexusTest");
        QSettings().clear();
        QVERIFY(m_dir.isValid());
        m_run = trainedRun(m_dir);
        m_window = std::make_unique<StudioWindow>();
        m_window->resize(1400, 900);
        m_window->show();
        QVERIFY(m_window->openRun(m_run));
        QTRY_VERIFY_WITH_TIMEOUT(m_window->controller()->dataset() != nullptr, 60000);
        m_window->showLab();
        QVERIFY(panel()->isVisible());
    }

    void editRunUndoRedo()
    {
        m_window->selection()->setCurrent(3);
        panel()->refreshNow();
        QVERIFY(panel()->silenceSelected());
        QCOMPARE(editLines(panel()), QStringList{"silence neuron 3"});
        // The network view draws the edited true network: neuron 3 sends nothing there.
        QVERIFY(m_window->networkPanel()->showingLab());
        QVERIFY(lab()->previewConnectivity()->col(3).isZero());
        QVERIFY(!m_window->controller()->dataset()->connectivity.col(3).isZero());

        auto* run = panel()->findChild<QPushButton*>("labRun");
        QVERIFY(run->isEnabled());
        QTest::mouseClick(run, Qt::LeftButton);
        QVERIFY(lab()->running() || lab()->result());
        QTRY_VERIFY_WITH_TIMEOUT(lab()->result() != nullptr, 60000);
        const auto result = lab()->result();
        QVERIFY(result->traces.truth.col(3).isZero());
        QCOMPARE(result->traces.truth.rows(), Eigen::Index(301)); // 300 frames in the data: the roll-out stops there
        panel()->refreshNow();
        QVERIFY(panel()->findChild<QLabel*>("labResult")->text().contains("mean neuron r"));
        QVERIFY(panel()->csvText().startsWith("frame,r2,slope,u3_true,u3_learned\n0,"));

        lab()->undoStack()->undo();
        QCOMPARE(editLines(panel()), QStringList{"no edits: Run gives the plain roll-out"});
        QVERIFY(lab()->result() == nullptr); // the result was for other edits
        lab()->undoStack()->redo();
        QCOMPARE(editLines(panel()), QStringList{"silence neuron 3"});
    }

    void twoClicksPickAConnection()
    {
        m_window->selection()->setCurrent(5);
        panel()->refreshNow();
        m_window->selection()->setCurrent(9);
        panel()->refreshNow();
        QVERIFY(panel()->cutConnection());
        QVERIFY(editLines(panel()).contains("cut 5 → 9"));
        QCOMPARE((*lab()->previewConnectivity())(9, 5), 0.0f);
    }

    void badEditsAreRefusedWithTheirReason()
    {
        const QStringList before = editLines(panel());
        panel()->findChild<QLineEdit*>("labProportions")->setText("0.5, x");
        QVERIFY(!panel()->applyTypeProportions());
        QVERIFY(panel()->findChild<QLabel*>("labMessage")->text().contains("not a number"));
        panel()->findChild<QLineEdit*>("labProportions")->setText("0.5, 0.5");
        QVERIFY(!panel()->applyTypeProportions());
        QVERIFY(panel()->findChild<QLabel*>("labMessage")->text().contains("expected 4 proportions"));
        QVERIFY(!panel()->findChild<QPushButton*>("labInput")->isEnabled()); // this run has no input to change
        QVERIFY(!panel()->applyInput());
        QVERIFY(panel()->findChild<QLabel*>("labMessage")->text().contains("no oscillating input"));
        QCOMPARE(editLines(panel()), before);
    }

    void theEditsComeBackWithTheRun()
    {
        const QStringList before = editLines(panel());
        QVERIFY(QFileInfo::exists(m_run + "/lab.yaml"));
        m_window.reset();
        m_window = std::make_unique<StudioWindow>();
        m_window->show();
        QVERIFY(m_window->openRun(m_run));
        QTRY_VERIFY_WITH_TIMEOUT(m_window->controller()->dataset() != nullptr, 60000);
        m_window->showLab();
        QCOMPARE(editLines(panel()), before);
        QCOMPARE(lab()->state().shownNeurons.front(), std::int64_t(9));
    }
};

QTEST_MAIN(TestLabPanel)
#include "test_lab_panel.moc"
