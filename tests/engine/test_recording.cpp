// Recordings: derivative estimation from sampled activity on analytic signals (exact for polynomials up to the
// order, the documented bias on a sine), and the errors of bad windows.
#include "plexus/data/derivative_estimate.h"
#include "plexus/util/errors.h"
#include "test_helpers.h"

#include <cmath>

using namespace plexus;

class TestRecording : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void savitzkyGolayIsExactForPolynomials()
    {
        // u(t) = 2 + 3t − 0.5t² sampled every 0.1: du/dt = 3 − t, every frame, the ends included.
        const double dt = 0.1;
        FrameMatrix u(40, 2);
        for (int f = 0; f < 40; ++f) {
            const double t = f * dt;
            u(f, 0) = static_cast<float>(2 + 3 * t - 0.5 * t * t);
            u(f, 1) = static_cast<float>(-t);
        }
        const FrameMatrix du = estimateDerivative(u, dt, {DerivativeMethod::SavitzkyGolay, 7, 2});
        for (int f = 0; f < 40; ++f) {
            QVERIFY2(std::fabs(du(f, 0) - (3 - f * dt)) < 1e-3, qPrintable(QString("frame %1: %2").arg(f).arg(du(f, 0))));
            QVERIFY(std::fabs(du(f, 1) + 1.0) < 1e-4);
        }
        // Central differences are exact for a parabola inside, first-order at the ends.
        const FrameMatrix central = estimateDerivative(u, dt, {DerivativeMethod::Central, 0, 0});
        QVERIFY(std::fabs(central(10, 0) - (3 - 1.0)) < 1e-3);
        QVERIFY(std::fabs(central(0, 0) - (3 - 0.05)) < 1e-3); // (u1 − u0)/Δt = u'(Δt/2)
    }

    void weightsAreTheKnownFivePointStencil()
    {
        // The classic 5-point quadratic Savitzky–Golay derivative: (−2, −1, 0, 1, 2) / 10.
        const auto w = savitzkyGolayDerivativeWeights(5, 2, 2);
        const double expected[] = {-0.2, -0.1, 0.0, 0.1, 0.2};
        for (int k = 0; k < 5; ++k)
            QVERIFY(std::fabs(w[static_cast<std::size_t>(k)] - expected[k]) < 1e-12);
    }

    void biasOnASineIsAsDocumented()
    {
        // u = sin(ωt) with 20 samples per period: a quadratic fit over 2m + 1 = 7 frames damps the derivative's
        // amplitude by Σ_k k·sin(kθ) / (θ Σ_k k²) ≈ 1 − θ²(3m² + 3m − 1)/30, θ = ωΔt (docs/method.md): 0.885 here.
        const double dt = 0.05, omega = 2 * M_PI; // 20 samples per period
        FrameMatrix u(200, 1);
        for (int f = 0; f < 200; ++f)
            u(f, 0) = static_cast<float>(std::sin(omega * f * dt));
        const auto w = savitzkyGolayDerivativeWeights(7, 2, 3);
        double gain = 0; // the stencil's response to sin: Σ w_k sin(ω(k − 3)Δt) / (ωΔt)
        for (int k = 0; k < 7; ++k)
            gain += w[static_cast<std::size_t>(k)] * std::sin(omega * (k - 3) * dt);
        gain /= omega * dt;
        const double theta = omega * dt;
        QVERIFY(std::fabs(gain - (1 - theta * theta * 35.0 / 30.0)) < 0.01);
        const FrameMatrix du = estimateDerivative(u, dt, {DerivativeMethod::SavitzkyGolay, 7, 2});
        for (int f = 10; f < 190; ++f)
            QVERIFY(std::fabs(du(f, 0) - gain * omega * std::cos(omega * f * dt)) < 1e-3 * omega);
    }

    void badWindowsSayWhy()
    {
        FrameMatrix u = FrameMatrix::Zero(5, 1);
        PLEXUS_VERIFY_THROWS_WITH(estimateDerivative(u, 0.1, {DerivativeMethod::SavitzkyGolay, 9, 2}), InputError,
                                  "window of 9 frames");
        PLEXUS_VERIFY_THROWS_WITH(estimateDerivative(u, 0.1, {DerivativeMethod::SavitzkyGolay, 5, 7}), InputError,
                                  "order must be 1..5");
        PLEXUS_VERIFY_THROWS_WITH(estimateDerivative(u, 0.0, {}), InputError, "time step");
        PLEXUS_VERIFY_THROWS_WITH(parseDerivativeMethod("spline"), InputError, "central or savgol");
        QVERIFY(estimateDerivative(u, 0.1, {DerivativeMethod::SavitzkyGolay, 4, 2}).rows() == 5); // 4 → 5 (odd)
    }
};

QTEST_GUILESS_MAIN(TestRecording)
#include "test_recording.moc"
