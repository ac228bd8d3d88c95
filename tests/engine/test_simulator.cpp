// The simulator as a whole: paper presets, stopping, memory and divergence errors.
#include "plexus/config/config_loader.h"
#include "plexus/config/presets.h"
#include "plexus/sim/simulator.h"
#include "plexus/util/errors.h"
#include "test_helpers.h"

using namespace plexus;

class TestSimulator : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void fig2PresetShapes()
    {
        ExperimentConfig c = loadPreset("fig_2").config;
        applyConfigOverride(c, "simulation.n_frames=200", "");
        Dataset d = simulate(c);
        QCOMPARE(d.frames(), std::int64_t(201));
        QCOMPARE(d.neurons(), std::int64_t(1000));
        QCOMPARE(std::count(d.types.begin(), d.types.end(), 3), std::ptrdiff_t(250));
        QVERIFY(std::fabs(d.connectivity.cwiseAbs().maxCoeff() - 0.199f) < 0.002f);
        QCOMPARE(d.stimulus.cols(), Eigen::Index(0));
        QVERIFY(d.activity.allFinite());
    }

    void stopRequestStopsWithinSteps()
    {
        std::atomic<bool> stop{true};
        QVERIFY_THROWS_EXCEPTION(CancelledError, simulate(test::smallConfig(20, 100000), Progress{{}, &stop}));
    }

    void progressIsReported()
    {
        std::int64_t last = -1, total = 0;
        int calls = 0;
        Progress progress{[&](const std::string&, std::int64_t done, std::int64_t all) {
                              QVERIFY(done >= last || done == 0);
                              last = done;
                              total = all;
                              ++calls;
                          },
                          nullptr};
        simulate(test::smallConfig(20, 5000), progress);
        QCOMPARE(last, total);
        QCOMPARE(total, std::int64_t(5051));
        QVERIFY(calls > 50 && calls < 1000);
    }

    void tooLargeForMemoryIsABadInput()
    {
        ExperimentConfig c = test::smallConfig(100000, 100000000);
        c.simulation.params = {{10, 1, 1}, {10, 2, 1}, {10, 1, 2}, {10, 2, 2}};
        PLEXUS_VERIFY_THROWS_WITH(simulate(c), InputError, "memory", "simulation.n_frames");
    }

    void divergenceIsReported()
    {
        ExperimentConfig c = test::smallConfig(20, 2000);
        c.simulation.params = {{10, 1, -50}, {10, 2, -50}, {10, 1, -50}, {10, 2, -50}}; // negative decay: blows up
        PLEXUS_VERIFY_THROWS_WITH(simulate(c), InputError, "diverged at step");
    }
};

QTEST_APPLESS_MAIN(TestSimulator)
#include "test_simulator.moc"
