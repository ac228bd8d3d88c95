// The run folder stays whole under misuse: one user at a time (lock, dropped by a dead holder), stale temporaries
// swept, earlier trainings archived under one name, checkpoints of other experiments refused before anything is
// written, a damaged newest checkpoint passed over, a blow-up with a finite loss reported with the good checkpoint
// kept (docs/training.md).
#include "plexus/runtime/run_folder.h"
#include "plexus/runtime/run_folder_lock.h"
#include "plexus/sim/simulator.h"
#include "plexus/train/trainer.h"
#include "plexus/util/atomic_file.h"
#include "test_helpers.h"

#include <csignal>
#include <filesystem>
#include <fstream>
#include <sys/wait.h>
#include <unistd.h>

using namespace plexus;
namespace fs = std::filesystem;

namespace {

void touch(const fs::path& path, const std::string& text = "x")
{
    fs::create_directories(path.parent_path());
    std::ofstream(path) << text;
}

/// A process id that is certainly not running: a child that has exited and been reaped.
long deadPid()
{
    const pid_t child = ::fork();
    if (child == 0)
        ::_exit(0);
    int status = 0;
    ::waitpid(child, &status, 0);
    return child;
}

/// The dataset of `config` and training options writing into DIR/run.
std::pair<std::shared_ptr<const Dataset>, TrainingOptions> smallRun(const ExperimentConfig& config, const QTemporaryDir& dir)
{
    TrainingOptions options;
    options.runDir = test::pathIn(dir, "run");
    return {std::make_shared<const Dataset>(simulate(config)), options};
}

std::string fileText(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

} // namespace

class TestRunFolder : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { setComputeThreads(2); }

    void lockIsExclusiveAndNamesItsHolder()
    {
        QTemporaryDir dir;
        const std::string run = test::pathIn(dir, "run");
        {
            auto lock = RunFolderLock::acquire(run, "plexus-cli train run");
            QVERIFY(fs::is_directory(run));
            PLEXUS_VERIFY_THROWS_WITH(RunFolderLock::acquire(run, "second"), RunFolderBusyError, "is in use by pid",
                                      std::to_string(::getpid()).c_str(), "plexus-cli train run");
            QVERIFY(RunFolderLock::holder(run).find("plexus-cli train run") != std::string::npos);
        }
        QCOMPARE(RunFolderLock::holder(run), std::string());
        auto again = RunFolderLock::acquire(run, "third"); // released with its owner
        QVERIFY(again);
    }

    void lockOfAKilledProcessDoesNotBlock()
    {
        QTemporaryDir dir;
        const std::string run = test::pathIn(dir, "run");
        int ready[2];
        QVERIFY(::pipe(ready) == 0);
        const pid_t child = ::fork();
        if (child == 0) {
            auto lock = RunFolderLock::acquire(run, "child");
            (void)!::write(ready[1], "x", 1);
            ::pause();
            ::_exit(0);
        }
        char c;
        QVERIFY(::read(ready[0], &c, 1) == 1);
        QVERIFY_THROWS_EXCEPTION(RunFolderBusyError, RunFolderLock::acquire(run, "parent"));
        ::kill(child, SIGKILL); // kill -9: no destructor runs, the lock file stays
        ::waitpid(child, nullptr, 0);
        QVERIFY(fs::exists(RunFolder(run).lockPath()));
        auto lock = RunFolderLock::acquire(run, "parent");
        QVERIFY(lock);
        ::close(ready[0]);
        ::close(ready[1]);
    }

    void staleTemporariesAreSweptLiveOnesKept()
    {
        QTemporaryDir dir;
        const fs::path run = test::pathIn(dir, "run");
        const long dead = deadPid();
        const fs::path staleData = run / (".dataset.h5.tmp-" + std::to_string(dead) + "-0");
        const fs::path staleCheckpoint = run / "checkpoints" / (".it_000000100.pt.tmp-" + std::to_string(dead) + "-3");
        const fs::path ours = run / (".metrics.csv.tmp-" + std::to_string(::getpid()) + "-1");
        const fs::path userFile = run / "notes.tmp-1-2"; // not a temporary of ours (no leading dot)
        for (const auto& p : {staleData, staleCheckpoint, ours, userFile})
            touch(p);
        auto lock = RunFolderLock::acquire(run.string(), "test"); // sweeps on taking the folder
        QVERIFY(!fs::exists(staleData));
        QVERIFY(!fs::exists(staleCheckpoint));
        QVERIFY(fs::exists(ours));
        QVERIFY(fs::exists(userFile));
    }

    void archiveKeepsEveryEarlierTraining()
    {
        QTemporaryDir dir;
        const fs::path run = test::pathIn(dir, "run");
        RunFolder folder(run.string());
        QCOMPARE(folder.archiveTraining(), std::string()); // nothing to keep
        touch(run / "checkpoints" / "it_000000010.pt", "first");
        touch(run / "metrics.csv", "a");
        const std::string first = folder.archiveTraining();
        QVERIFY(fs::path(first).filename().string().rfind("previous-", 0) == 0);
        touch(run / "checkpoints" / "it_000000020.pt", "second");
        const std::string second = folder.archiveTraining(); // the same second: a fresh name, nothing overwritten
        QVERIFY(second != first);
        QCOMPARE(fileText(first + "/checkpoints/it_000000010.pt"), std::string("first"));
        QCOMPARE(fileText(second + "/checkpoints/it_000000020.pt"), std::string("second"));
        QCOMPARE(folder.archives().size(), std::size_t(2));
        QVERIFY(!folder.hasCheckpoint());
    }

    void checkpointsAreListedNewestFirst()
    {
        QTemporaryDir dir;
        const fs::path run = test::pathIn(dir, "run");
        touch(run / "checkpoints" / "it_000000200.pt");
        touch(run / "checkpoints" / "epoch_000_it_000000200.pt");
        touch(run / "checkpoints" / "it_000000100.pt");
        touch(run / "checkpoints" / ".it_000000300.pt.tmp-1-1");
        const auto list = RunFolder(run.string()).checkpoints();
        QCOMPARE(list.size(), std::size_t(3));
        QVERIFY(list[0].find("epoch_000_it_000000200.pt") != std::string::npos);
        QVERIFY(list[2].find("it_000000100.pt") != std::string::npos);
    }

    void checkpointOfAnotherExperimentIsRefusedBeforeAnyWrite()
    {
        QTemporaryDir dir;
        ExperimentConfig big = test::smallConfig(30, 60), small = test::smallConfig(12, 60);
        auto bigData = std::make_shared<const Dataset>(simulate(big));
        auto smallData = std::make_shared<const Dataset>(simulate(small));
        TrainingOptions foreignRun, ownRun;
        foreignRun.runDir = test::pathIn(dir, "foreign");
        ownRun.runDir = test::pathIn(dir, "own");
        {
            Trainer trainer(big, bigData, foreignRun);
            trainer.step();
            trainer.saveCheckpoint();
        }
        {
            Trainer trainer(small, smallData, ownRun);
            for (int i = 0; i < 3; ++i)
                trainer.recordMetrics(trainer.measure()), trainer.step();
            trainer.saveCheckpoint();
        }
        const std::string foreign = Trainer::latestCheckpoint(foreignRun.runDir);
        const RunFolder own(ownRun.runDir);
        const std::string metricsBefore = fileText(own.metricsPath());
        const auto checkpointsBefore = own.checkpoints();
        fs::copy_file(foreign, own.checkpointsPath() + "/it_000000999.pt"); // a newer file of another experiment
        Trainer trainer(small, smallData, ownRun);
        PLEXUS_VERIFY_THROWS_WITH(trainer.resume(), CheckpointMismatchError, "another experiment", "neurons: checkpoint 30, this run 12");
        PLEXUS_VERIFY_THROWS_WITH(trainer.loadWeights(foreign), CheckpointMismatchError, "neurons");
        QCOMPARE(fileText(own.metricsPath()), metricsBefore);
        QCOMPARE(own.checkpoints().size(), checkpointsBefore.size() + 1);

        // A structural change of the run's own config is refused the same way.
        fs::remove(own.checkpointsPath() + "/it_000000999.pt");
        ExperimentConfig wider = small;
        wider.graphModel.hiddenDim = 32;
        Trainer widerTrainer(wider, smallData, ownRun);
        PLEXUS_VERIFY_THROWS_WITH(widerTrainer.resume(), CheckpointMismatchError, "graph_model.hidden_dim: checkpoint 64, this run 32");
        PLEXUS_VERIFY_THROWS_WITH(trainer.loadWeights(own.checkpointsPath() + "/it_000000123.pt"), InputError,
                                  "no such checkpoint");
    }

    void damagedNewestCheckpointIsPassedOver()
    {
        QTemporaryDir dir;
        ExperimentConfig c = test::smallConfig(12, 60);
        auto [data, options] = smallRun(c, dir);
        options.checkpointInterval = 1000;
        {
            Trainer trainer(c, data, options);
            for (int i = 0; i < 4; ++i)
                trainer.step();
            trainer.saveCheckpoint();
        }
        const RunFolder folder(options.runDir);
        touch(folder.checkpointsPath() + "/it_000000050.pt", "not a checkpoint: the disk filled up");
        Trainer trainer(c, data, options);
        const ResumeResult resumed = trainer.resume();
        QCOMPARE(trainer.iteration(), std::int64_t(4));
        QVERIFY(resumed.checkpoint.find("it_000000004.pt") != std::string::npos);
        QCOMPARE(resumed.skipped.size(), std::size_t(1));
        QVERIFY2(resumed.skipped[0].find("it_000000050.pt") != std::string::npos, resumed.skipped[0].c_str());
        QVERIFY(fs::exists(folder.checkpointsPath() + "/damaged/it_000000050.pt")); // kept, out of the way
    }

    void blowUpWithAFiniteLossIsDivergence()
    {
        // Learning rates of 1e3 on the update and transfer functions: the loss grows by ten orders of magnitude
        // while staying finite (measured: 26.5 → 3e12 per sample). Training must stop with "diverged", and --resume must find a checkpoint from
        // before the blow-up (the rolling pruning never removes it).
        for (const bool kernels : {true, false}) {
            QTemporaryDir dir;
            ExperimentConfig c = test::smallConfig(12, 60);
            auto [data, options] = smallRun(c, dir);
            options.checkpointInterval = 1;
            options.cpuKernels = kernels;
            std::int64_t goodIteration = 0;
            {
                Trainer healthy(c, data, options);
                for (int i = 0; i < 20; ++i)
                    healthy.step();
                goodIteration = healthy.iteration();
            }
            c.training.learningRateStart = c.training.learningRateEmbeddingStart = 1e3;
            Trainer trainer(c, data, options);
            QVERIFY(!trainer.resume().checkpoint.empty());
            QString message;
            try {
                for (int i = 0; i < 500; ++i)
                    trainer.step();
            } catch (const DivergedError& e) {
                message = e.what();
            }
            QVERIFY2(message.contains("diverged at step"), kernels ? "cpu kernels: no divergence" : "autograd: no divergence");
            QVERIFY2(message.contains("grew from"), qPrintable(message)); // caught while the loss was still finite
            Trainer reloaded(c, data, options);
            reloaded.resume();
            QVERIFY2(reloaded.iteration() <= goodIteration + 1, qPrintable(message));
            QVERIFY(std::isfinite(reloaded.lossOn({1, 2, 3}).total));
            QVERIFY(reloaded.lossOn({1, 2, 3}).total < 1e3);
        }
    }

    void measuringWritesNothing()
    {
        QTemporaryDir dir;
        ExperimentConfig c = test::smallConfig(12, 60);
        auto [data, options] = smallRun(c, dir);
        Trainer trainer(c, data, options);
        trainer.step();
        trainer.measure();
        QVERIFY(!fs::exists(RunFolder(options.runDir).metricsPath()));
        trainer.recordMetrics(trainer.measure());
        QVERIFY(fs::exists(RunFolder(options.runDir).metricsPath()));
    }
};

QTEST_APPLESS_MAIN(TestRunFolder)
#include "test_run_folder.moc"
