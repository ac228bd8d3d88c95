// The runtime Session: start, pause, single steps, resume, stop on the worker thread; metrics and snapshot
// generations; failures become the Failed state with a message.
#include "plexus/config/presets.h"
#include "plexus/runtime/session.h"
#include "plexus/runtime/simulation_job.h"
#include "plexus/train/metrics_file.h"
#include "plexus/util/errors.h"
#include "plexus/sim/simulator.h"
#include "test_helpers.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

using namespace plexus;

namespace {

bool waitFor(const std::function<bool()>& condition, int milliseconds = 20000)
{
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(milliseconds);
    while (std::chrono::steady_clock::now() < deadline) {
        if (condition())
            return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return condition();
}

ExperimentConfig tinyConfig()
{
    ExperimentConfig c = test::smallConfig(30, 300);
    c.training.batchSize = 2;
    c.training.nEpochs = 1000; // long enough not to finish during the test
    return c;
}

} // namespace

class TestSession : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void startPauseStepResumeStop()
    {
        ExperimentConfig c = tinyConfig();
        SessionOptions options;
        options.metricsEvery = 10;
        options.snapshotSeconds = 0.0;
        std::atomic<int> stateChanges{0};
        Session session(c, std::make_shared<const Dataset>(simulate(c)), options);
        session.setStateCallback([&](SessionState) { ++stateChanges; });
        QCOMPARE(session.state(), SessionState::Idle);
        session.start();
        QVERIFY(waitFor([&] { return session.iteration() > 30; }));
        QCOMPARE(session.state(), SessionState::Running);

        session.pause();
        QVERIFY(waitFor([&] { return session.state() == SessionState::Paused; }));
        const auto paused = session.iteration();
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        QCOMPARE(session.iteration(), paused);

        session.step(5);
        QVERIFY(waitFor([&] { return session.iteration() == paused + 5 && session.state() == SessionState::Paused; }));
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        QCOMPARE(session.iteration(), paused + 5);

        auto before = session.latestSnapshot();
        QVERIFY(before);
        // A pause publishes the learned model's roll-out at the paused iteration, next to the truth.
        QVERIFY(waitFor([&] { return session.latestSnapshot()->rolloutIteration == paused + 5; }));
        before = session.latestSnapshot();
        QVERIFY(before->rollout);
        QCOMPARE(before->rollout->learned.cols(), Eigen::Index(30));
        QCOMPARE(before->rollout->learned.rows(), before->rollout->truth.rows());
        QVERIFY(before->rollout->learned.rows() > 100);
        QVERIFY(before->rollout->truth.row(0) == before->rollout->learned.row(0)); // both start from frame 0
        QCOMPARE(before->transferScale.size(), Eigen::Index(30));
        QCOMPARE(before->connectivityFull->rows(), Eigen::Index(30));
        session.resume();
        QVERIFY(waitFor([&] { return session.iteration() > paused + 40; }));
        auto after = session.latestSnapshot();
        QVERIFY(after->generation > before->generation);
        QVERIFY(after->iteration >= before->iteration);
        QCOMPARE(after->latents.rows(), Eigen::Index(30));
        QCOMPARE(after->connectivity.rows(), Eigen::Index(30));
        QCOMPARE(after->updateCurves.cols(), Eigen::Index(200));

        auto metrics = session.takeMetrics();
        QVERIFY(!metrics.empty());
        for (std::size_t i = 1; i < metrics.size(); ++i)
            QVERIFY(metrics[i].iteration > metrics[i - 1].iteration);
        QVERIFY(session.takeMetrics().size() < metrics.size() + 1);

        const auto stopAsked = std::chrono::steady_clock::now();
        session.stop(); // a request: returns without waiting for the checkpoint and the roll-out
        QVERIFY(std::chrono::steady_clock::now() - stopAsked < std::chrono::milliseconds(50));
        QVERIFY(session.stopRequested());
        QVERIFY(waitFor([&] { return session.ended(); }));
        QCOMPARE(session.state(), SessionState::Stopped);
        QVERIFY(stateChanges >= 3);
    }

    void aSelectedNeuronsCurvesJoinALargeNetworksSnapshots()
    {
        // Beyond 1024 neurons the snapshots carry 1024 evenly spread curves; the neuron a user selects joins them.
        ExperimentConfig c = test::smallConfig(1100, 60);
        c.training.batchSize = 1;
        c.training.nEpochs = 1000;
        SessionOptions options;
        options.snapshotSeconds = 0.0;
        options.curveSeconds = 1e9; // after the first snapshot, curves only when asked for
        options.rolloutFrames = 0;
        options.equations = false;
        Session session(c, std::make_shared<const Dataset>(simulate(c)), options);
        session.start();
        QVERIFY(waitFor([&] { return session.latestSnapshot() != nullptr; }, 60000));
        const std::vector<std::int64_t> evenly = session.latestSnapshot()->curveNeurons;
        QCOMPARE(evenly.size(), std::size_t(1024));
        std::int64_t missing = 0;
        while (std::find(evenly.begin(), evenly.end(), missing) != evenly.end())
            ++missing;
        const auto hasIt = [&] {
            const auto s = session.latestSnapshot();
            return std::find(s->curveNeurons.begin(), s->curveNeurons.end(), missing) != s->curveNeurons.end();
        };
        QVERIFY(!hasIt());
        session.showCurvesOf(missing); // while training: with the next snapshot
        QVERIFY(waitFor(hasIt, 60000));
        session.pause();
        QVERIFY(waitFor([&] { return session.state() == SessionState::Paused; }, 60000));
        std::int64_t another = missing + 1;
        while (std::find(evenly.begin(), evenly.end(), another) != evenly.end())
            ++another;
        session.showCurvesOf(another); // while paused: drawn at once, without a training step
        const auto paused = session.iteration();
        QVERIFY(waitFor([&] {
            const auto s = session.latestSnapshot();
            return std::find(s->curveNeurons.begin(), s->curveNeurons.end(), another) != s->curveNeurons.end();
        }, 60000));
        const auto shown = session.latestSnapshot();
        QCOMPARE(session.iteration(), paused);
        QCOMPARE(shown->curveNeurons.size(), std::size_t(1025));
        QCOMPARE(shown->updateCurves.rows(), Eigen::Index(1025));
        QCOMPARE(shown->transferCurves.rows(), Eigen::Index(1025));
        session.stop();
        QVERIFY(waitFor([&] { return session.ended(); }, 60000));
    }

    void formulasAreSearchedAtAPauseAndGiveWay()
    {
        ExperimentConfig c = tinyConfig();
        SessionOptions options;
        options.snapshotSeconds = 0.0;
        Session session(c, std::make_shared<const Dataset>(simulate(c)), options);
        session.start();
        QVERIFY(waitFor([&] { return session.iteration() > 30; }));
        session.pause();
        QVERIFY(waitFor([&] { return session.state() == SessionState::Paused; }));
        const auto paused = session.iteration();
        // The learned functions as formulas, for the paused iteration: each recovered type's φ*, the shared ψ*.
        QVERIFY(waitFor([&] { return session.latestSnapshot()->equationsIteration == paused; }, 120000));
        const auto snapshot = session.latestSnapshot();
        QVERIFY(snapshot->equations && snapshot->equations->size() >= 2);
        int updates = 0, transfers = 0;
        for (const CurveEquation& e : *snapshot->equations) {
            QVERIFY(e.search.best());
            QVERIFY(!e.truth.empty()); // a simulation: the generator's formula beside it
            updates += e.function == "update";
            transfers += e.function == "transfer";
        }
        QVERIFY(updates >= 1);
        QCOMPARE(transfers, 1);
        QVERIFY(!session.searchingEquations());

        // A new pause searches again; Resume does not wait for it.
        session.step(1);
        QVERIFY(waitFor([&] { return session.searchingEquations(); }, 30000));
        session.resume();
        QVERIFY(waitFor([&] { return session.iteration() > paused + 20; }, 5000));
        QCOMPARE(session.latestSnapshot()->equationsIteration, paused); // the interrupted search published nothing
    }

    void simulationJobFinishesAndCancels()
    {
        QTemporaryDir dir;
        const std::string path = test::pathIn(dir, "dataset.h5");
        SimulationJob job(tinyConfig(), path);
        job.start();
        QVERIFY(waitFor([&] { return job.state() != SimulationJob::State::Running; }));
        QCOMPARE(job.state(), SimulationJob::State::Finished);
        QVERIFY(job.result() && job.result()->neurons() == 30);
        QVERIFY(std::filesystem::exists(path));

        ExperimentConfig longer = tinyConfig();
        longer.simulation.nFrames = 2000000; // seconds of work (480 MB): stopped at once
        const std::string other = test::pathIn(dir, "other.h5");
        SimulationJob cancelled(longer, other);
        cancelled.start();
        cancelled.stop();
        QCOMPARE(cancelled.state(), SimulationJob::State::Stopped);
        QVERIFY(!cancelled.result());
        QVERIFY(!std::filesystem::exists(other));
    }

    void metricsFileReadsBackAndNamesBadLines()
    {
        QTemporaryDir dir;
        const std::string path = test::pathIn(dir, "metrics.csv");
        QVERIFY(readMetricsFile(path).empty()); // no file yet: no history
        {
            std::ofstream out(path);
            out << "iteration,epoch,wall_seconds,loss,prediction,update_at_zero,monotonicity,sparsity,w_r2,w_slope,clusters\n"
                << "100,0,1.5,3,2.5,0.25,0.25,0,0.5,0.9,3\n";
        }
        const auto rows = readMetricsFile(path);
        QCOMPARE(rows.size(), std::size_t(1));
        QCOMPARE(rows[0].iteration, std::int64_t(100));
        QCOMPARE(rows[0].loss.prediction, 2.5);
        QCOMPARE(rows[0].connectivityR2, 0.5);
        QCOMPARE(rows[0].clusters, 3);
        {
            std::ofstream out(path, std::ios::app);
            out << "200,0,x,3,2,0,0,0,0.6,0.9,3\n";
        }
        try {
            readMetricsFile(path);
            QFAIL("a malformed row was accepted");
        } catch (const InputError& e) {
            QVERIFY2(std::string(e.what()).find("metrics.csv:3") != std::string::npos, e.what());
        }
    }

    void finishesAndReportsFailures()
    {
        ExperimentConfig c = tinyConfig();
        c.training.nEpochs = 1;
        c.training.dataAugmentationLoop = 1; // ⌊300·1/2⌋·0.2 = 30 iterations
        Session done(c, std::make_shared<const Dataset>(simulate(c)));
        done.start();
        QVERIFY(waitFor([&] { return done.state() == SessionState::Finished; }));
        QCOMPARE(done.iteration(), std::int64_t(30));

        // With the connectivity refit, the end of training sets W once more and records it: two rows at iteration 30.
        c.training.connectivityRefitEvery = 1000;
        Session refit(c, std::make_shared<const Dataset>(simulate(c)));
        refit.start();
        QVERIFY(waitFor([&] { return refit.state() == SessionState::Finished; }));
        const std::vector<TrainingMetrics> rows = refit.takeMetrics();
        QVERIFY(rows.size() >= 2);
        QCOMPARE(rows[rows.size() - 1].iteration, std::int64_t(30));
        QCOMPARE(rows[rows.size() - 2].iteration, std::int64_t(30));

        ExperimentConfig bad = tinyConfig();
        bad.graphModel.inputSize = 7; // PDE_N2 needs 1
        Session failing(bad, std::make_shared<const Dataset>(simulate(c)));
        failing.start();
        QVERIFY(waitFor([&] { return failing.state() == SessionState::Failed; }));
        QVERIFY(failing.errorMessage().find("graph_model.input_size") != std::string::npos);
    }

    void destructorStopsARunningSession()
    {
        ExperimentConfig c = tinyConfig();
        auto session = std::make_unique<Session>(c, std::make_shared<const Dataset>(simulate(c)));
        session->start();
        QVERIFY(waitFor([&] { return session->iteration() > 5; }));
        session.reset(); // must join promptly
    }
};

QTEST_APPLESS_MAIN(TestSession)
#include "test_session.moc"
