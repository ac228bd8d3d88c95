// The rate equations of docs/method.md §A.4 on hand-computed 3-neuron cases, the analytic decay of uncoupled neurons,
// the Euler step and the noise statistics.
#include "plexus/config/config_loader.h"
#include "plexus/sim/dynamics.h"
#include "plexus/sim/simulator.h"
#include "test_helpers.h"

#include <cmath>

using namespace plexus;

namespace {

Eigen::MatrixXf threeNeuronW()
{
    Eigen::MatrixXf w(3, 3);
    w << 0.0f, 0.5f, -0.25f, //
        0.2f, 0.0f, 0.1f,    //
        -0.3f, 0.4f, 0.0f;
    return w;
}

const std::vector<std::int32_t> kTypes = {0, 1, 2};
const Eigen::Vector3f kU(0.7f, -1.3f, 2.1f);

Eigen::MatrixXd n4Params()
{
    Eigen::MatrixXd p(3, 6);
    p << 1, 0.5, 10, 1, 1, 0.2, //
        1, 0, 8, 2, 2, -0.3,    //
        2, -0.1, 10, 1, 4, 0;
    return p;
}

} // namespace

class TestDynamics : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void pdeN2MatchesFormula()
    {
        Eigen::MatrixXd p(3, 3);
        p << 10, 1, 1, 10, 2, 1, 5, 1, 2;
        Dynamics dynamics(DynamicsModel::PdeN2, InputMode::None, threeNeuronW(), kTypes, p);
        Eigen::Vector3f out;
        dynamics.derivative(kU, Eigen::Vector3f::Zero(), out);
        const auto w = threeNeuronW();
        for (int i = 0; i < 3; ++i) {
            double msg = 0;
            for (int j = 0; j < 3; ++j)
                msg += w(i, j) * std::tanh(kU(j));
            double expected = -p(i, 2) * kU(i) + p(i, 1) * std::tanh(kU(i)) + p(i, 0) * msg;
            QVERIFY2(std::fabs(out(i) - expected) < 1e-5, qPrintable(QString("neuron %1").arg(i)));
        }
    }

    void pdeN4MatchesFormulaInEveryMode()
    {
        const auto p = n4Params();
        const auto w = threeNeuronW();
        const Eigen::Vector3f external(0.8f, 1.2f, 0.5f);
        for (InputMode mode : {InputMode::None, InputMode::Additive, InputMode::Multiplicative}) {
            Dynamics dynamics(DynamicsModel::PdeN4, mode, w, kTypes, p);
            Eigen::Vector3f out;
            dynamics.derivative(kU, external, out);
            for (int i = 0; i < 3; ++i) {
                double msg = 0;
                for (int j = 0; j < 3; ++j) // sender's width and threshold
                    msg += w(i, j) * std::tanh((kU(j) - p(j, 5)) / p(j, 4));
                double coupling = p(i, 2) * msg;
                if (mode == InputMode::Multiplicative)
                    coupling *= external(i);
                double expected = -p(i, 0) * kU(i) + p(i, 1) + p(i, 3) * std::tanh(kU(i)) + coupling;
                if (mode == InputMode::Additive)
                    expected += external(i);
                QVERIFY2(std::fabs(out(i) - expected) < 1e-5, qPrintable(QString("mode %1 neuron %2")
                                                                            .arg(int(mode))
                                                                            .arg(i)));
            }
        }
    }

    void pdeN5UsesReceiverWidthAndSenderLeak()
    {
        const auto p = n4Params();
        const auto w = threeNeuronW();
        Dynamics dynamics(DynamicsModel::PdeN5, InputMode::None, w, kTypes, p);
        Eigen::Vector3f out;
        dynamics.derivative(kU, Eigen::Vector3f::Zero(), out);
        for (int i = 0; i < 3; ++i) {
            double msg = 0;
            for (int j = 0; j < 3; ++j)
                msg += w(i, j) * (std::tanh((kU(j) - p(j, 5)) / p(i, 4)) - kU(j) * std::log(p(j, 4)) / 50.0);
            double expected = -p(i, 0) * kU(i) + p(i, 1) + p(i, 3) * std::tanh(kU(i)) + p(i, 2) * msg;
            QVERIFY2(std::fabs(out(i) - expected) < 1e-5, qPrintable(QString("neuron %1").arg(i)));
        }
    }

    void uncoupledNeuronsDecayAsTheAnalyticSolution()
    {
        // g = 0 and s = 0: du/dt = −c·u, so u(t) = u(0)·exp(−c t); explicit Euler gives u(0)·(1 − cΔt)^k exactly.
        ExperimentConfig c = test::smallConfig(8, 300);
        c.simulation.params = {{0, 0, 1}, {0, 0, 2}, {0, 0, 0.5}, {0, 0, 3}};
        c.simulation.startFrame = 0;
        c.simulation.deltaT = 0.001;
        Dataset d = simulate(c);
        for (std::int64_t i = 0; i < d.neurons(); ++i) {
            const double rate = c.simulation.params[d.types[i]][2];
            const double u0 = d.activity(0, i);
            for (std::int64_t k : {100, 300}) {
                const double euler = u0 * std::pow(1.0 - rate * 0.001, k);
                const double exact = u0 * std::exp(-rate * 0.001 * k);
                QVERIFY(std::fabs(d.activity(k, i) - euler) < 1e-4 * std::max(1.0, std::fabs(u0)));
                QVERIFY(std::fabs(d.activity(k, i) - exact) < 2e-3 * std::max(1.0, std::fabs(u0)));
            }
        }
    }

    void eulerStepAndSavedDerivativeAgree()
    {
        // Without noise u(k+1) = u(k) + Δt·y(k), where y is the saved derivative at frame k.
        ExperimentConfig c = test::smallConfig(30, 100);
        Dataset d = simulate(c);
        for (std::int64_t k = 0; k + 1 < d.frames(); ++k) {
            Eigen::RowVectorXf predicted = d.activity.row(k) + static_cast<float>(c.simulation.deltaT) * d.derivative.row(k);
            QVERIFY((predicted - d.activity.row(k + 1)).cwiseAbs().maxCoeff() < 1e-4f);
        }
    }

    void noiseIsSigmaPerStepOrScaledBySqrtDt()
    {
        // All parameters zero: every step adds only noise, so increments are N(0, σ²) (or N(0, σ²Δt)).
        for (bool sqrtDt : {false, true}) {
            ExperimentConfig c = test::smallConfig(200, 2000);
            c.simulation.params = {{0, 0, 0}, {0, 0, 0}, {0, 0, 0}, {0, 0, 0}};
            c.simulation.noiseModelLevel = 2.0;
            c.simulation.noiseScaleSqrtDt = sqrtDt;
            Dataset d = simulate(c);
            Eigen::ArrayXXf steps = (d.activity.bottomRows(d.frames() - 1) - d.activity.topRows(d.frames() - 1)).array();
            const double mean = steps.mean();
            const double std = std::sqrt((steps - mean).square().mean());
            const double expected = 2.0 * (sqrtDt ? std::sqrt(c.simulation.deltaT) : 1.0);
            QVERIFY2(std::fabs(mean) < 0.01 * expected, qPrintable(QString::number(mean)));
            QVERIFY2(std::fabs(std - expected) < 0.01 * expected, qPrintable(QString::number(std)));
            // The saved target stays the noise-free drift (zero here).
            QCOMPARE(d.derivative.cwiseAbs().maxCoeff(), 0.0f);
        }
    }

    void savedDerivativeIsTheDriftAtEveryNoisyFrame()
    {
        for (const char* model : {"PDE_N2", "PDE_N4", "PDE_N5"}) {
            ExperimentConfig c = std::string(model) == "PDE_N2" ? test::smallConfig(50, 300)
                                                                 : test::smallConfigN4(model, 50, 300);
            c.simulation.noiseModelLevel = 1.0;
            Dataset d = simulate(c);
            Dynamics truth(parseDynamicsModel(model), InputMode::None, d.connectivity, d.types, d.typeParameters);
            Eigen::VectorXf du(d.neurons());
            for (std::int64_t k = 0; k < d.frames(); ++k) {
                truth.derivative(d.activity.row(k).transpose(), Eigen::VectorXf::Zero(d.neurons()), du);
                QVERIFY2((du.transpose() - d.derivative.row(k)).cwiseAbs().maxCoeff() < 1e-4f, model);
            }
        }
    }
};

QTEST_APPLESS_MAIN(TestDynamics)
#include "test_dynamics.moc"
