// The Studio's state machine without a window: every transition of RunController on a small run, the error paths
// (each leaves the open run as it was), Step after Stop, a run folder in use by another process, and the Studio's
// numbers against `plexus-cli evaluate`'s on the same checkpoint (to the printed digit).
#include "studio/run_controller.h"

#include "plexus/analysis/evaluation.h"
#include "plexus/config/config_loader.h"
#include "plexus/config/presets.h"
#include "plexus/runtime/reproduction.h"
#include "plexus/runtime/run_folder.h"
#include "plexus/runtime/run_folder_lock.h"
#include "plexus/train/trainer.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <cstdio>
#include <memory>

using namespace plexus;
using namespace plexus::ui;

namespace {

/// demo_tiny made small: 100 neurons, 2 000 frames, one short epoch (Finished comes within seconds).
ExperimentConfig smallRun()
{
    ExperimentConfig c = loadPreset("demo_tiny").config;
    c.simulation.nFrames = 2000;
    c.training.nEpochs = 1;
    c.training.dataAugmentationLoop = 60; // ⌊2000·60/8⌋·0.2 = 3 000 iterations (a few seconds)
    return c;
}

QString printed(const char* format, double value)
{
    char text[32];
    std::snprintf(text, sizeof text, format, value);
    return text;
}

} // namespace

class TestRunController : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<RunController> m_controller;
    QString runDir() const { return m_dir.filePath("run"); }
    RunController& c() { return *m_controller; }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_controller = std::make_unique<RunController>();
        QString error;
        QVERIFY2(c().newRun(smallRun(), runDir(), &error), qPrintable(error));
        QCOMPARE(c().state(), StudioState::NoData);
    }

    void nothingToStepOrStopWithoutData()
    {
        c().step();
        c().stop();
        c().pause();
        QCOMPARE(c().state(), StudioState::NoData);
    }

    void simulateThenStopThenSimulate()
    {
        c().simulate();
        QCOMPARE(c().state(), StudioState::Simulating);
        c().stop();
        QCOMPARE(c().state(), StudioState::NoData); // stopped: no data, no half-written file
        QVERIFY(!QFile::exists(runDir() + "/dataset.h5"));
        c().simulate();
        QTRY_COMPARE_WITH_TIMEOUT(c().state(), StudioState::Ready, 60000);
        QVERIFY(c().dataset());
    }

    void trainPauseStepResume()
    {
        c().train();
        QCOMPARE(c().state(), StudioState::Training);
        QTRY_VERIFY_WITH_TIMEOUT(c().iteration() > 20, 30000);
        c().pause();
        QTRY_COMPARE_WITH_TIMEOUT(c().state(), StudioState::Paused, 30000); // once the worker has paused
        const std::int64_t atPause = c().iteration();
        QTest::qWait(200);
        QCOMPARE(c().iteration(), atPause); // really paused
        QTRY_VERIFY_WITH_TIMEOUT(c().snapshot() && c().snapshot()->iteration == c().iteration(), 30000);
        const std::int64_t paused = c().iteration();
        c().step();
        QTRY_COMPARE_WITH_TIMEOUT(c().iteration(), paused + 1, 30000);
        QTRY_COMPARE(c().state(), StudioState::Paused);
        // Paused after a Step, the views show that very iteration.
        QTRY_COMPARE_WITH_TIMEOUT(c().snapshot()->iteration, paused + 1, 30000);
        c().resume();
        QCOMPARE(c().iterationsPerSecond(), 0.0); // no rate from before the pause
        QTRY_COMPARE_WITH_TIMEOUT(c().state(), StudioState::Training, 30000);
        QTRY_VERIFY_WITH_TIMEOUT(c().iteration() > paused + 10, 30000);
    }

    void stopIsARequestThenStepAfterStopRunsOneIteration()
    {
        QElapsedTimer clock;
        clock.start();
        c().stop();
        QVERIFY2(clock.elapsed() < 100, "Stop waited for the worker");
        QVERIFY(c().state() == StudioState::Stopping || c().state() == StudioState::Stopped);
        QTRY_COMPARE_WITH_TIMEOUT(c().state(), StudioState::Stopped, 30000);
        QVERIFY(c().runFolder().hasCheckpoint());
        const std::int64_t stopped = c().iteration();
        QTRY_COMPARE_WITH_TIMEOUT(c().snapshot()->iteration, stopped, 30000); // the views end on the checkpoint
        c().step();
        QTRY_COMPARE_WITH_TIMEOUT(c().iteration(), stopped + 1, 30000);
        QTRY_COMPARE_WITH_TIMEOUT(c().state(), StudioState::Paused, 30000);
        c().stop();
        QTRY_COMPARE_WITH_TIMEOUT(c().state(), StudioState::Stopped, 30000);
    }

    void studioAndEvaluateAgreeOnTheSameCheckpoint()
    {
        // Reopen the run: the model of its newest checkpoint is restored, paused.
        QString error;
        QVERIFY2(c().openRun(runDir(), &error), qPrintable(error));
        QTRY_VERIFY_WITH_TIMEOUT(c().snapshot() != nullptr, 30000);
        const auto shown = c().snapshot();
        const std::string checkpoint = Trainer::latestCheckpoint(runDir().toStdString());
        Trainer trainer(c().config(), c().dataset(), TrainingOptions{});
        trainer.loadWeights(checkpoint);
        const Evaluation e = evaluate(trainer.model(), *c().dataset(), c().config(), 0);
        QVERIFY(shown->hasConnectivityFit);
        QCOMPARE(printed("%.4f", shown->connectivityFit.r2), printed("%.4f", e.connectivity.corrected.r2));
        QCOMPARE(printed("%.4f", shown->connectivityFit.slope), printed("%.4f", e.connectivity.corrected.slope));
        QCOMPARE(shown->types.clusters, e.types.clusters);
        QCOMPARE(printed("%.3f", shown->types.accuracyMatched), printed("%.3f", e.types.accuracyMatched));
        // A reopened run appends no metrics row (measuring is not recording).
        const auto rowsBefore = readRows();
        QVERIFY2(c().openRun(runDir(), &error), qPrintable(error));
        QTRY_VERIFY_WITH_TIMEOUT(c().snapshot() != nullptr, 30000);
        QTRY_COMPARE_WITH_TIMEOUT(c().state(), StudioState::Paused, 30000);
        QCOMPARE(readRows(), rowsBefore);
        // The learning rates come back with the history.
        QVERIFY(!c().history().empty());
        QVERIFY(!c().history().back().learningRates.empty());
    }

    void errorPathsLeaveTheRunAsItWas()
    {
        const QString before = c().runDir();
        const StudioState state = c().state();
        QString error;
        QFile blocker(m_dir.filePath("a_file"));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        QVERIFY(!c().newRun(smallRun(), m_dir.filePath("a_file/x"), &error));
        QVERIFY(!error.isEmpty());
        QVERIFY(!c().saveRunAs(m_dir.filePath("a_file/y"), &error));
        QVERIFY(!c().openRun(m_dir.filePath("nowhere"), &error));
        QVERIFY(error.contains("not a Plexus run folder"));
        {
            RunController another; // a second run: Save As must not copy over it
            QVERIFY2(another.newRun(smallRun(), m_dir.filePath("another"), &error), qPrintable(error));
        }
        QVERIFY(!c().saveRunAs(m_dir.filePath("another"), &error));
        QVERIFY2(error.contains("already holds a run"), qPrintable(error));
        QVERIFY(!QFile::exists(m_dir.filePath("another/dataset.h5")));
        QCOMPARE(c().runDir(), before);
        QCOMPARE(c().state(), state);
        QVERIFY(c().dataset());
    }

    void aFolderInUseIsRefusedAndNamesItsHolder()
    {
        // Another process (here: a lock taken as plexus-cli takes it) trains in a second run folder.
        const QString other = m_dir.filePath("other");
        QString error;
        {
            RunController second;
            QVERIFY2(second.newRun(smallRun(), other, &error), qPrintable(error));
        }
        auto held = RunFolderLock::acquire(other.toStdString(), "plexus-cli train other");
        QVERIFY(!c().openRun(other, &error));
        QVERIFY2(error.contains("in use by") && error.contains("plexus-cli train other"), qPrintable(error));
        QVERIFY(!c().newRun(smallRun(), other, &error));
        QVERIFY(!c().saveRunAs(other, &error));
        QCOMPARE(c().runDir(), QDir(runDir()).absolutePath());
        // ... and the Studio's own folder is busy for everyone else while it is open.
        try {
            RunFolderLock::acquire(runDir().toStdString(), "test");
            QFAIL("the Studio's open run folder was not locked");
        } catch (const RunFolderBusyError& e) {
            QVERIFY2(QString(e.what()).contains("Plexus Studio"), e.what());
        }
        held.reset();
        QVERIFY2(c().openRun(other, &error), qPrintable(error));
        QVERIFY(RunFolderLock::holder(runDir().toStdString()).empty()); // the earlier run is free again
    }

    void finishedRunStepsNowhereAndTrainsAgainFromScratch()
    {
        QString error;
        QVERIFY2(c().openRun(runDir(), &error), qPrintable(error));
        QTRY_COMPARE_WITH_TIMEOUT(c().state(), StudioState::Paused, 30000);
        c().train();
        QTRY_COMPARE_WITH_TIMEOUT(c().state(), StudioState::Finished, 120000);
        const std::int64_t total = c().iteration();
        c().step(); // nothing left to step
        QTest::qWait(200);
        QCOMPARE(c().iteration(), total);
        QCOMPARE(c().state(), StudioState::Finished);
        c().train(); // "Train again": the earlier training is kept aside
        QVERIFY(!RunFolder(runDir().toStdString()).archives().empty());
        QTRY_COMPARE_WITH_TIMEOUT(c().state(), StudioState::Training, 30000);
        c().stop();
        QTRY_COMPARE_WITH_TIMEOUT(c().state(), StudioState::Stopped, 30000);
    }

    void divergenceFailsOnceWithAMessage()
    {
        ExperimentConfig wild = c().config();
        wild.training.learningRateStart = 1e30;
        wild.training.learningRateEmbeddingStart = 1e30;
        QString error;
        QVERIFY2(c().setConfig(wild, &error), qPrintable(error));
        QSignalSpy errors(&c(), &RunController::errorOccurred);
        c().trainFromScratch();
        QTRY_COMPARE_WITH_TIMEOUT(c().state(), StudioState::Failed, 60000);
        QTRY_COMPARE(errors.count(), 1);
        QVERIFY2(errors.first().first().toString().contains("diverged"), qPrintable(errors.first().first().toString()));
        QTest::qWait(200);
        QCOMPARE(errors.count(), 1); // reported once, not at every poll
    }

    void reproductionEndsAtItsGoalWithItsTable()
    {
        // demo_tiny's recipe with a goal this small network reaches within a few thousand iterations (W R² ≥ 0.3
        // at three checks 500 iterations apart): training ends before its 20 000 iterations, as Finished,
        // evaluates on the training thread and writes the table. With a slope tolerance the Session measures the
        // corrected slope (Trainer::correctedConnectivityFit) at those checks and says where it settled.
        ReproductionPlan plan = planReproduction("demo_tiny", "", {"simulation.n_frames=2000"});
        plan.variant.stopAtConnectivityR2 = 0.3;
        plan.variant.stopSlopeSettled = 1.0; // the corrected slope measured too: settled within any 4 checks
        plan.variant.metricsEvery = 500;
        QSignalSpy finished(&c(), &RunController::reproductionFinished);
        QSignalSpy notices(&c(), &RunController::noticeOccurred);
        QString error;
        const QString dir = m_dir.filePath("reproduction");
        QVERIFY2(c().reproduce(plan, dir, &error), qPrintable(error));
        QVERIFY(c().reproducing());
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 120000);
        QCOMPARE(c().state(), StudioState::Finished);
        QVERIFY(!c().reproducing());
        QVERIFY2(c().iteration() >= 2500 && c().iteration() < 20000, qPrintable(QString::number(c().iteration())));
        QCOMPARE(c().iteration() % 500, 0);
        bool goalNoticed = false;
        for (const auto& notice : notices)
            goalNoticed |= notice.first().toString().startsWith(
                "W R² reached 0.300 and its corrected slope settled at");
        QVERIFY(goalNoticed);
        const auto result = c().reproductionResult();
        QVERIFY(result);
        QCOMPARE(result->experiment, std::string("demo_tiny"));
        QCOMPARE(result->iterations, c().iteration());
        QVERIFY(!result->rows.empty());
        QVERIFY(QFile::exists(dir + "/reproduction.json"));
        QVERIFY(QFile::exists(dir + "/metrics.json"));
        QVERIFY(readRows(dir).contains("\n" + QByteArray::number(c().iteration()) + ","));
        QTest::qWait(200);
        QCOMPARE(finished.count(), 1); // once, not at every poll
    }

    void reproductionEndsAtItsTimeBudget()
    {
        // The recipe's time budget (minutes of training) ends a reproduction as Finished, evaluated, with a notice.
        ReproductionPlan plan = planReproduction("demo_tiny", "", {"simulation.n_frames=2000"});
        plan.variant.iterations = 10000000;
        plan.variant.minutes = 0.03; // 1.8 s
        QSignalSpy finished(&c(), &RunController::reproductionFinished);
        QSignalSpy notices(&c(), &RunController::noticeOccurred);
        QString error;
        QVERIFY2(c().reproduce(plan, m_dir.filePath("timed"), &error), qPrintable(error));
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 120000);
        QCOMPARE(c().state(), StudioState::Finished);
        QVERIFY2(c().iteration() > 0 && c().iteration() < 10000000, qPrintable(QString::number(c().iteration())));
        bool budgetNoticed = false;
        for (const auto& notice : notices)
            budgetNoticed |= notice.first().toString().startsWith("time budget reached");
        QVERIFY(budgetNoticed);
        QVERIFY(c().reproductionResult());
    }

    void reproductionGoalWaitsForTheLastPhase()
    {
        // A two-phase schedule whose first phase outlasts the run: the W R² goal never ends it early.
        ReproductionPlan plan = planReproduction("demo_tiny", "", {"simulation.n_frames=2000",
                                                                    "training.n_epochs_init=100"});
        plan.variant.stopAtConnectivityR2 = 0.3;
        plan.variant.metricsEvery = 500;
        plan.variant.iterations = 3000;
        QSignalSpy finished(&c(), &RunController::reproductionFinished);
        QString error;
        QVERIFY2(c().reproduce(plan, m_dir.filePath("two-phase"), &error), qPrintable(error));
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 120000);
        QCOMPARE(c().iteration(), std::int64_t{3000});
        QVERIFY(c().history().back().connectivityR2 >= 0.3); // the goal was met in phase 1, and did not count
    }

    void cleanupTestCase() { m_controller.reset(); }

private:
    QByteArray readRows(const QString& run = {}) const
    {
        QFile file((run.isEmpty() ? m_dir.filePath("run") : run) + "/metrics.csv");
        return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
    }
};

QTEST_MAIN(TestRunController)
#include "test_run_controller.moc"
