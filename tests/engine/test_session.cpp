// The runtime Session: start, pause, single steps, resume, stop on the worker thread; metrics and snapshot
// generations; failures become the Failed state with a message.
#include "plexus/config/presets.h"
#include "plexus/runtime/session.h"
#include "plexus/sim/simulator.h"
#include "test_helpers.h"

#include <chrono>
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

        session.stop();
        QCOMPARE(session.state(), SessionState::Stopped);
        QVERIFY(stateChanges >= 3);
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
