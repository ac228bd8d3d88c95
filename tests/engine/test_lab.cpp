// The what-if lab (docs/lab.md): each edit gives the trajectory computed by hand on the true side and the same
// edit on the learned side; an empty perturbation is the plain roll-out exactly; the paper's presets redraw W and
// types as documented; bad edits name what is wrong; the lab state round-trips through its file.
#include "plexus/analysis/rollout.h"
#include "plexus/lab/perturbation_file.h"
#include "plexus/lab/perturbed_rollout.h"
#include "plexus/runtime/lab_job.h"
#include "plexus/sim/dynamics.h"
#include "plexus/sim/simulator.h"
#include "plexus/train/trainer.h"
#include "plexus/util/errors.h"
#include "test_helpers.h"

#include <cmath>

using namespace plexus;

namespace {

constexpr std::int64_t kFrames = 60;

struct TinyRun
{
    ExperimentConfig config;
    std::shared_ptr<const Dataset> data;
    std::unique_ptr<Trainer> trainer;
};

TinyRun tinyRun(ExperimentConfig c)
{
    TinyRun run;
    c.training.wInitStd = 0.01; // an untrained model that stays finite over the roll-out
    run.config = c;
    run.data = std::make_shared<const Dataset>(simulate(c));
    run.trainer = std::make_unique<Trainer>(c, run.data);
    run.trainer->step(); // a trained model, however little
    return run;
}

/// PDE_N2 by hand: u ← u + Δt(−c u + s tanh u + g Σ_j W_ij tanh u_j + e), clamped neurons held at 0.
FrameMatrix handTruth(const Dataset& d, const Eigen::MatrixXf& w, const Eigen::MatrixXd& params,
                      const std::vector<std::int32_t>& types, const std::vector<std::int64_t>& clamped = {})
{
    const Eigen::Index n = d.neurons();
    Eigen::VectorXd u = d.activity.row(0).transpose().cast<double>();
    for (auto i : clamped)
        u(i) = 0;
    FrameMatrix out(kFrames + 1, n);
    for (std::int64_t f = 0; f <= kFrames; ++f) {
        out.row(f) = u.transpose().cast<float>();
        Eigen::VectorXd du(n);
        for (Eigen::Index i = 0; i < n; ++i) {
            const auto p = params.row(types[static_cast<std::size_t>(i)]);
            double message = 0;
            for (Eigen::Index j = 0; j < n; ++j)
                message += w(i, j) * std::tanh(u(j));
            du(i) = -p(2) * u(i) + p(1) * std::tanh(u(i)) + p(0) * message;
        }
        u += d.deltaT * du;
        for (auto i : clamped)
            u(i) = 0;
    }
    return out;
}

double largestDifference(const FrameMatrix& a, const FrameMatrix& b)
{
    return (a.cast<double>() - b.cast<double>()).cwiseAbs().maxCoeff();
}

double tolerance(const FrameMatrix& hand)
{
    return 1e-4 * std::max(1.0, static_cast<double>(hand.cwiseAbs().maxCoeff()));
}

/// Agreement of two trajectories (float Euler against double Euler).
void verifyClose(const FrameMatrix& computed, const FrameMatrix& hand)
{
    QCOMPARE(computed.rows(), hand.rows());
    QVERIFY2(largestDifference(computed, hand) < tolerance(hand),
             qPrintable(QString("largest difference %1").arg(largestDifference(computed, hand))));
}

/// The edit must matter: the edited hand trajectory is far (100 tolerances) from the unedited one.
void verifyEditMatters(const FrameMatrix& edited, const Dataset& d)
{
    const FrameMatrix plain = handTruth(d, d.connectivity, d.typeParameters, d.types);
    QVERIFY2(largestDifference(edited, plain) > 100 * tolerance(plain),
             qPrintable(QString("the edit changes the trajectory by only %1").arg(largestDifference(edited, plain))));
}

} // namespace

class TestLab : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { setComputeThreads(2); }

    void emptyPerturbationIsThePlainRollout()
    {
        TinyRun run = tinyRun(test::smallConfig(30, 100));
        const LearnedModel& model = run.trainer->model();
        const RolloutTraces plain = rolloutTraces(model, *run.data, kFrames);
        const PerturbationResult r = runPerturbation(model, *run.data, run.config, Perturbation{}, kFrames);
        QVERIFY(r.traces.truth == plain.truth);
        QVERIFY(r.traces.learned == plain.learned);
        QCOMPARE(r.score.at400.r2, scoreRollout(plain).at400.r2);
        QCOMPARE(r.fitPerFrame.size(), std::size_t(kFrames + 1));
        // The hand-computed truth is the simulator's own: frames of the data, noise-free.
        verifyClose(r.traces.truth, handTruth(*run.data, run.data->connectivity, run.data->typeParameters, run.data->types));
    }

    void restructuredModelWithItsOwnStructureIsTheSameModel()
    {
        ExperimentConfig c = test::smallConfigN4("PDE_N4", 30, 100);
        c.graphModel.inputSize = 3;
        TinyRun run = tinyRun(c);
        const LearnedModel& model = run.trainer->model();
        const auto copy = model.restructured(model.latents(), model.connectivity());
        const Eigen::VectorXf u = run.data->activity.row(10).transpose(), e = Eigen::VectorXf::Zero(30);
        QVERIFY((copy->derivative(u, e) - model.derivative(u, e)).cwiseAbs().maxCoeff() < 1e-5f);
        Eigen::MatrixXf w = model.connectivity();
        w(3, 4) = 0.5f;
        QCOMPARE(model.restructured(model.latents(), w)->connectivity()(3, 4), 0.5f);
        PLEXUS_VERIFY_THROWS_WITH(model.restructured(model.latents(), Eigen::MatrixXf::Zero(5, 5)), InputError, "W [N, N]");
    }

    void connectionEditsFollowTheHandComputedTrajectory()
    {
        TinyRun run = tinyRun(test::smallConfig(30, 100));
        const Dataset& d = *run.data;
        Perturbation p;
        p.connections = {{3, 7, 0.0}, {5, 2, 2.5}};
        p.blocks = {{1, -1, 0.5}}; // type 1's outgoing connections halved
        const PerturbationResult r = runPerturbation(run.trainer->model(), d, run.config, p, kFrames);
        Eigen::MatrixXf w = d.connectivity;
        for (Eigen::Index to = 0; to < w.rows(); ++to)
            for (Eigen::Index from = 0; from < w.cols(); ++from)
                if (d.types[static_cast<std::size_t>(from)] == 1)
                    w(to, from) *= 0.5f;
        w(7, 3) = 0.0f;
        w(2, 5) *= 2.5f;
        verifyClose(r.traces.truth, handTruth(d, w, d.typeParameters, d.types));
        verifyEditMatters(handTruth(d, w, d.typeParameters, d.types), d);
        // The learned side gets the same edits of its own W.
        Eigen::MatrixXf learned = run.trainer->model().connectivity();
        QCOMPARE(r.network.learnedConnectivity(7, 3), 0.0f);
        QCOMPARE(r.network.learnedConnectivity(2, 5), learned(2, 5) * (d.types[5] == 1 ? 0.5f : 1.0f) * 2.5f);
        QVERIFY(r.traces.learned != rolloutTraces(run.trainer->model(), d, kFrames).learned);
    }

    void silencedNeuronsAreHeldAtZeroAndSendNothing()
    {
        TinyRun run = tinyRun(test::smallConfig(30, 100));
        const Dataset& d = *run.data;
        Perturbation p;
        p.silenced = {4, 11};
        const PerturbationResult r = runPerturbation(run.trainer->model(), d, run.config, p, kFrames);
        Eigen::MatrixXf w = d.connectivity;
        w.col(4).setZero();
        w.col(11).setZero();
        verifyClose(r.traces.truth, handTruth(d, w, d.typeParameters, d.types, {4, 11}));
        verifyEditMatters(handTruth(d, w, d.typeParameters, d.types, {4, 11}), d);
        for (auto n : {4, 11}) {
            QVERIFY(r.traces.truth.col(n).isZero());
            QVERIFY(r.traces.learned.col(n).isZero());
            QVERIFY(r.network.learnedConnectivity.col(n).isZero());
            QCOMPARE(r.neuronCorrelation(n), 0.0f);
        }
    }

    void aParameterChangeReachesOnlyTheTrueSide()
    {
        TinyRun run = tinyRun(test::smallConfig(30, 100));
        const Dataset& d = *run.data;
        Perturbation p;
        p.parameters = {{2, "g", 3.0}};
        const PerturbationResult r = runPerturbation(run.trainer->model(), d, run.config, p, kFrames);
        Eigen::MatrixXd params = d.typeParameters;
        params(2, 0) = 3.0;
        verifyClose(r.traces.truth, handTruth(d, d.connectivity, params, d.types));
        verifyEditMatters(handTruth(d, d.connectivity, params, d.types), d);
        QVERIFY(r.traces.learned == rolloutTraces(run.trainer->model(), d, kFrames).learned);
        QVERIFY(!r.network.notes.empty() && r.network.notes[0].find("cannot know") != std::string::npos);
    }

    void anotherInputReachesBothSides()
    {
        ExperimentConfig c = test::smallConfig(30, 100);
        c.simulation.externalInputType = "signal";
        c.simulation.externalInputMode = "additive";
        c.simulation.signalInputType = "oscillatory";
        c.simulation.oscillationMaxAmplitude = 2.0;
        TinyRun run = tinyRun(c);
        Perturbation p;
        p.input = InputEdit{0.0, std::nullopt, ""}; // the input switched off: the hand-computed free dynamics
        const PerturbationResult r = runPerturbation(run.trainer->model(), *run.data, run.config, p, kFrames);
        verifyClose(r.traces.truth, handTruth(*run.data, run.data->connectivity, run.data->typeParameters, run.data->types));
        QVERIFY(r.traces.learned != rolloutTraces(run.trainer->model(), *run.data, kFrames).learned);
    }

    void presetsRedrawConnectivityAndTypes()
    {
        TinyRun run = tinyRun(test::smallConfig(200, 60));
        const Dataset& d = *run.data;
        const LearnedModel& model = run.trainer->model();
        const PerturbedNetwork net = perturbNetwork(&model, d, run.config, presetPerturbation("supp_5", 3));
        // W: a new draw with a quarter of the entries, the learned side that W times the raw learned scale.
        const double kept = (net.trueConnectivity.array() != 0.0f).cast<double>().mean();
        QVERIFY2(std::fabs(kept - 0.25) < 0.03, qPrintable(QString::number(kept)));
        QVERIFY(net.trueConnectivity != d.connectivity);
        QVERIFY((net.learnedConnectivity - net.trueConnectivity * static_cast<float>(net.connectivityScale))
                    .cwiseAbs().maxCoeff() < 1e-6f);
        // Types 10/20/30/40 % in blocks; each neuron carries the latent of a training neuron of its type.
        const std::vector<std::int64_t> expected = {20, 40, 60, 80};
        const Eigen::MatrixXf trained = model.latents();
        for (int k = 0; k < 4; ++k)
            QCOMPARE(std::count(net.types.begin(), net.types.end(), k), expected[static_cast<std::size_t>(k)]);
        for (Eigen::Index i = 0; i < 200; ++i) {
            bool found = false;
            for (Eigen::Index j = 0; j < 200 && !found; ++j)
                found = d.types[static_cast<std::size_t>(j)] == net.types[static_cast<std::size_t>(i)] &&
                        trained.row(j) == net.latents.row(i);
            QVERIFY(found);
        }
        // The preview of the edits (no model) draws the same true network.
        QVERIFY(perturbNetwork(nullptr, d, run.config, presetPerturbation("supp_5", 3)).trueConnectivity ==
                net.trueConnectivity);
        // supp_6: types 2 and 3 are gone; the same seed gives the same network.
        const PerturbedNetwork six = perturbNetwork(&model, d, run.config, presetPerturbation("supp_6", 3));
        QCOMPARE(std::count(six.types.begin(), six.types.end(), 0), std::ptrdiff_t(120));
        QCOMPARE(std::count(six.types.begin(), six.types.end(), 2), std::ptrdiff_t(0));
        QVERIFY(perturbNetwork(&model, d, run.config, presetPerturbation("supp_6", 3)).trueConnectivity ==
                six.trueConnectivity);
        // A redrawn network starts as a new simulation of it: u(0) = 5ξ, then the warm-up steps on the new network.
        const PerturbationResult r = runPerturbation(model, d, run.config, presetPerturbation("supp_5", 3), 20);
        QCOMPARE(r.traces.truth.rows(), Eigen::Index(21));
        Dynamics redrawn(DynamicsModel::PdeN2, InputMode::None, net.trueConnectivity, net.types, d.typeParameters);
        Eigen::VectorXf u = initialActivity(run.config.simulation), du(200);
        for (std::int64_t it = run.config.simulation.startFrame; it < 0; ++it) {
            redrawn.derivative(u, Eigen::VectorXf::Zero(200), du);
            u += static_cast<float>(d.deltaT) * du;
        }
        QVERIFY(r.traces.truth.row(0) == u.transpose());
        QVERIFY(r.traces.learned.row(0) == u.transpose());
        // Edits of the same network start from the data's frame 0.
        Perturbation cut;
        cut.connections = {{1, 2, 0.0}};
        QVERIFY(runPerturbation(model, d, run.config, cut, 5).traces.truth.row(0) == d.activity.row(0));
    }

    void labJobRunsOnACheckpoint()
    {
        QTemporaryDir dir;
        ExperimentConfig c = test::smallConfig(30, 100);
        c.training.wInitStd = 0.01;
        auto data = std::make_shared<const Dataset>(simulate(c));
        TrainingOptions options;
        options.runDir = test::pathIn(dir, "run");
        Trainer trainer(c, data, options);
        trainer.step();
        trainer.saveCheckpoint();
        const std::string checkpoint = Trainer::latestCheckpoint(options.runDir);
        Perturbation p;
        p.silenced = {3};
        LabJob job(c, data, checkpoint, p, kFrames);
        job.start();
        while (job.state() == LabJob::State::Running)
            QThread::msleep(5);
        QVERIFY2(job.state() == LabJob::State::Finished, job.errorMessage().c_str());
        const auto expected = runPerturbation(trainer.model(), *data, c, p, kFrames);
        QVERIFY(job.result()->traces.learned == expected.traces.learned);
        QCOMPARE(job.fraction(), 1.0);
        LabJob missing(c, data, "", p, kFrames);
        missing.start();
        missing.stop();
        QCOMPARE(missing.state(), LabJob::State::Failed);
        QVERIFY(missing.errorMessage().find("train first") != std::string::npos);
    }

    void hubsAreTheStrongestSenders()
    {
        Eigen::MatrixXf w = Eigen::MatrixXf::Zero(4, 4);
        w(0, 2) = -3.0f; // neuron 2 sends |3| + |2| = 5
        w(1, 2) = 2.0f;
        w(2, 3) = 4.0f; // neuron 3 sends 4
        w(3, 0) = 1.0f;
        QVERIFY((hubNeurons(w, 2) == std::vector<std::int64_t>{2, 3}));
        QCOMPARE(hubNeurons(w, 10).size(), std::size_t(4));
    }

    void badEditsSayWhatIsWrong()
    {
        TinyRun run = tinyRun(test::smallConfig(30, 100));
        const LearnedModel& model = run.trainer->model();
        const Dataset& d = *run.data;
        auto perturb = [&](const Perturbation& p) { perturbNetwork(&model, d, run.config, p); };
        Perturbation p;
        p.silenced = {30};
        PLEXUS_VERIFY_THROWS_WITH(perturb(p), InputError, "silence", "30", "0..29");
        p = {};
        p.connections = {{3, 3, 0.0}};
        PLEXUS_VERIFY_THROWS_WITH(perturb(p), InputError, "to itself");
        p = {};
        p.types = TypeRedraw{{0.5, 0.5}, 1};
        PLEXUS_VERIFY_THROWS_WITH(perturb(p), InputError, "expected 4 proportions");
        p = {};
        p.parameters = {{0, "w", 1.0}};
        PLEXUS_VERIFY_THROWS_WITH(perturb(p), InputError, "parameter 'w'", "g, s, c");
        p = {};
        p.blocks = {{7, -1, 2.0}};
        PLEXUS_VERIFY_THROWS_WITH(perturb(p), InputError, "type 7", "0..3");
        p = {};
        p.input = InputEdit{2.0, std::nullopt, ""};
        PLEXUS_VERIFY_THROWS_WITH(perturb(p), InputError, "no oscillating input");
        p = {};
        p.input = InputEdit{std::nullopt, std::nullopt, "/no/such/movie.tif"};
        PLEXUS_VERIFY_THROWS_WITH(perturb(p), InputError, "input movie");
        p = {};
        p.connectivity = ConnectivityRedraw{1.5, 1};
        PLEXUS_VERIFY_THROWS_WITH(perturb(p), InputError, "filling factor");
        PLEXUS_VERIFY_THROWS_WITH(presetPerturbation("supp_9"), InputError, "supp_5 or supp_6");
        Dataset imported = d;
        imported.typeParameters.resize(0, 0);
        PLEXUS_VERIFY_THROWS_WITH(perturbNetwork(&model, imported, run.config, {}), InputError, "no ground truth");
    }

    void labStateRoundTripsThroughItsFile()
    {
        LabState s;
        s.frames = 800;
        s.shownNeurons = {1, 5};
        s.perturbation = presetPerturbation("supp_6", 7);
        s.perturbation.blocks = {{0, -1, 1.5}, {-1, 2, 0.0}};
        s.perturbation.connections = {{3, 9, 0.0}, {4, 1, 0.25}};
        s.perturbation.silenced = {2, 8};
        s.perturbation.parameters = {{1, "s", 0.125}};
        s.perturbation.input = InputEdit{1.5, 0.1, "builtin:blobs"};
        QTemporaryDir dir;
        const std::string path = test::pathIn(dir, "lab.yaml");
        saveLabState(path, s);
        const LabState back = loadLabState(path);
        QCOMPARE(back.frames, s.frames);
        QVERIFY(back.shownNeurons == s.shownNeurons);
        QVERIFY(back.perturbation == s.perturbation);
        QVERIFY(parseLabState(labStateToYaml(LabState{}), "empty").perturbation.empty());
        PLEXUS_VERIFY_THROWS_WITH(parseLabState("frames: 10\nperturbation:\n  silenced: [1, x]\n", "lab.yaml"), InputError,
                                  "lab.yaml:3", "perturbation.silenced");
        PLEXUS_VERIFY_THROWS_WITH(parseLabState("perturbation:\n  cuts: []\n", "lab.yaml"), InputError, "lab.yaml:2",
                                  "perturbation.cuts", "unknown key");
        PLEXUS_VERIFY_THROWS_WITH(parseLabState("perturbation:\n  connections:\n    - {from: 1}\n", "lab.yaml"), InputError,
                                  "perturbation.connections.to", "missing");
        PLEXUS_VERIFY_THROWS_WITH(parseLabState("frames: [\n", "lab.yaml"), InputError, "YAML syntax error");
    }
};

QTEST_GUILESS_MAIN(TestLab)
#include "test_lab.moc"
