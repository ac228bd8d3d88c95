// Connectivity laws (docs/method.md §A.6), neuron types and positions (docs/method.md §A.2), and reproducible seeds.
#include "plexus/sim/connectivity.h"
#include "plexus/sim/neuron_layout.h"
#include "plexus/sim/simulator.h"
#include "test_helpers.h"

#include <Eigen/SVD>

#include <cmath>
#include <numbers>

using namespace plexus;

class TestConnectivity : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void exponentTable()
    {
        QCOMPARE(lorentzExponent(1000), 0.7);
        QCOMPARE(lorentzExponent(1999), 0.7);
        QCOMPARE(lorentzExponent(2048), 0.675);
        QCOMPARE(lorentzExponent(4000), 0.67);
        QCOMPARE(lorentzExponent(8000), 0.66);
        QCOMPARE(lorentzExponent(9000), 0.5);
    }

    void cauchyTruncationAndScaling()
    {
        SimulationConfig c;
        c.nNeurons = 1000;
        Rng rng(7);
        Eigen::MatrixXf w = generateConnectivity(c, rng);
        const double scale = std::pow(1000.0, 0.7);
        // P(|Cauchy| > 25) = 1 − (2/π)·atan(25) ≈ 2.546 %; plus the zero diagonal.
        const double offDiagonal = 1000.0 * 999.0;
        const double zeroed = static_cast<double>((w.array() == 0.0f).count()) - 1000.0;
        const double expected = 1.0 - 2.0 / std::numbers::pi * std::atan(25.0);
        QVERIFY2(std::fabs(zeroed / offDiagonal - expected) < 0.002, qPrintable(QString::number(zeroed / offDiagonal)));
        QVERIFY(w.cwiseAbs().maxCoeff() <= 25.0 / scale + 1e-6);
        QVERIFY(w.cwiseAbs().maxCoeff() > 0.95 * 25.0 / scale); // max |W| ≈ 0.199 at N = 1000 (docs/method.md §A.6)
        QCOMPARE(w.diagonal().cwiseAbs().maxCoeff(), 0.0f);
        // Median of |W|·N^α: the zeros (truncated 2.546 % and the diagonal 0.1 %) come first, so it is the
        // |Cauchy| quantile q = 0.5 − 0.02546 − 0.001, i.e. tan(q·π/2) = 0.920.
        Eigen::MatrixXf absolute = w.cwiseAbs();
        std::vector<float> magnitudes(absolute.data(), absolute.data() + absolute.size());
        std::nth_element(magnitudes.begin(), magnitudes.begin() + magnitudes.size() / 2, magnitudes.end());
        const double median = magnitudes[magnitudes.size() / 2] * scale;
        QVERIFY2(std::fabs(median - 0.920) < 0.01, qPrintable(QString::number(median)));
    }

    void fillingFactorKeepsThatFraction()
    {
        for (double ff : {0.05, 0.2, 0.5}) {
            SimulationConfig c;
            c.nNeurons = 500;
            c.connectivityFillingFactor = ff;
            Rng rng(3);
            Eigen::MatrixXf w = generateConnectivity(c, rng);
            const double kept = static_cast<double>((w.array() != 0.0f).count()) / (500.0 * 499.0);
            const double expected = ff * (1.0 - 0.02546);
            QVERIFY2(std::fabs(kept - expected) < 0.01, qPrintable(QString("ff %1: kept %2").arg(ff).arg(kept)));
        }
    }

    void otherLawsAndDale()
    {
        SimulationConfig c;
        c.nNeurons = 400;
        c.connectivityType = "Gaussian";
        Rng rng(5);
        Eigen::MatrixXf gaussian = generateConnectivity(c, rng);
        const double std = std::sqrt(gaussian.array().square().sum() / (400.0 * 399.0));
        QVERIFY(std::fabs(std * 20.0 - 1.0) < 0.02); // N(0, 1)/√N

        c.connectivityType = "uniform";
        Eigen::MatrixXf uniform = generateConnectivity(c, rng);
        QVERIFY(uniform.maxCoeff() < 0.5f && uniform.minCoeff() >= -0.5f);

        c.connectivityType = "low_rank";
        c.connectivityRank = 5;
        Eigen::MatrixXf lowRank = generateConnectivity(c, rng);
        Eigen::MatrixXf undiagonal = lowRank; // rank 5 plus the zeroed diagonal
        Eigen::JacobiSVD<Eigen::MatrixXf> svd(undiagonal);
        QVERIFY(svd.singularValues()(5) < 0.2f * svd.singularValues()(4));

        c.connectivityType = "Lorentz";
        c.daleLaw = true;
        c.daleLawFactor = 0.25;
        Eigen::MatrixXf dale = generateConnectivity(c, rng);
        QVERIFY(dale.leftCols(100).minCoeff() >= 0.0f);
        QVERIFY(dale.rightCols(300).maxCoeff() <= 0.0f);
    }

    void typesAreContiguousBlocksWithLeftoversLast()
    {
        Rng rng(1);
        auto types = assignNeuronTypes(1000, 32, false, rng); // supp_12: 31 per type, type 31 gets 39
        std::vector<int> counts(32, 0);
        for (auto t : types)
            ++counts[t];
        QCOMPARE(counts[0], 31);
        QCOMPARE(counts[30], 31);
        QCOMPARE(counts[31], 39);
        QVERIFY(std::is_sorted(types.begin(), types.end()));
        auto shuffled = assignNeuronTypes(1000, 32, true, rng);
        QVERIFY(!std::is_sorted(shuffled.begin(), shuffled.end()));
        std::sort(shuffled.begin(), shuffled.end());
        QVERIFY(shuffled == types);
    }

    void positions()
    {
        Rng rng(2);
        Eigen::MatrixX2f disc = sunflowerPositions(500, rng);
        QVERIFY(disc.rowwise().norm().maxCoeff() <= 0.5f + 1e-6f);
        QVERIFY(disc.rowwise().norm().minCoeff() < 0.05f);
        Eigen::MatrixX2f mixed = gridAndSunflowerPositions(2048, 1024, rng);
        // Neuron k = r·32 + c sits near (x_c, y_r) = ((c + ½)/32, (r + ½)/32).
        for (int k : {0, 31, 32, 500, 1023}) {
            const float x = (k % 32 + 0.5f) / 32.0f, y = (k / 32 + 0.5f) / 32.0f;
            QVERIFY(std::fabs(mixed(k, 0) - x) < 0.02f && std::fabs(mixed(k, 1) - y) < 0.02f);
        }
        double sumSquares = 0.0; // jitter N(0, (1/32/8)²) per coordinate
        for (int k = 0; k < 1024; ++k) {
            const double dx = mixed(k, 0) - (k % 32 + 0.5) / 32.0;
            sumSquares += dx * dx;
        }
        const double jitterStd = std::sqrt(sumSquares / 1024.0);
        QVERIFY2(std::fabs(jitterStd - 1.0 / 256.0) < 0.0004, qPrintable(QString::number(jitterStd)));
        Eigen::MatrixX2f rest = mixed.bottomRows(1024);
        QVERIFY(((rest.rowwise() - Eigen::RowVector2f(0.5f, 1.5f)).rowwise().norm().array() <= 0.25f + 1e-6f).all());
    }

    void seedsReproduceExactly()
    {
        ExperimentConfig c = test::smallConfig(60, 150);
        c.simulation.noiseModelLevel = 0.5;
        Dataset a = simulate(c), b = simulate(c);
        QVERIFY(a.activity == b.activity);
        QVERIFY(a.connectivity == b.connectivity);
        QVERIFY(a.positions == b.positions);
        c.simulation.seed = 43;
        Dataset other = simulate(c);
        QVERIFY(other.connectivity != a.connectivity);
        // A longer recording keeps the same network (independent random streams).
        ExperimentConfig longer = test::smallConfig(60, 300);
        longer.simulation.noiseModelLevel = 0.5;
        QVERIFY(simulate(longer).connectivity == a.connectivity);
    }
};

QTEST_APPLESS_MAIN(TestConnectivity)
#include "test_connectivity.moc"
