// Recordings: derivative estimation from sampled activity on analytic signals (exact for polynomials up to the
// order, the documented bias on a sine), the errors of bad windows; every import format read from small files
// written here (suite2p-like .npy with a pickled ops.npy, an NWB-structured HDF5 file, a plain HDF5 matrix,
// CSV and NPY in both layouts), gaps, and each error path; a recording's dataset round-trips without ground truth.
#include "plexus/data/dataset_file.h"
#include "plexus/data/derivative_estimate.h"
#include "plexus/data/npy_file.h"
#include "plexus/data/observation.h"
#include "plexus/sim/simulator.h"
#include "plexus/data/recording_import.h"
#include "plexus/util/errors.h"
#include "test_helpers.h"

#include <H5Cpp.h>

#include <cmath>
#include <filesystem>
#include <fstream>

using namespace plexus;

namespace {

constexpr int kRois = 5, kFrames = 60;

/// Activity of ROI r at frame t: a smooth, distinct signal.
float signal(int r, int t)
{
    return static_cast<float>(std::sin(0.1 * t + r) + 0.1 * r);
}

/// [rows, cols] row-major values of f(row, col).
template <typename F>
std::vector<float> table(int rows, int cols, F f)
{
    std::vector<float> v;
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < cols; ++c)
            v.push_back(f(r, c));
    return v;
}

void writeText(const std::string& path, const std::string& text)
{
    std::ofstream(path, std::ios::binary) << text;
}

/// np.save({'nframes': 400, 'fs': 30.5, 'tau': 1.0}) as NumPy writes it: an object array, pickled (protocol 3).
void writeOps(const std::string& path)
{
    std::string header = "{'descr': '|O', 'fortran_order': False, 'shape': (), }";
    header.append(117 - header.size(), ' ');
    header += '\n';
    const std::string pickle("\x80\x03\x7d\x71\x00\x28\x58\x07\x00\x00\x00nframes\x71\x01\x4d\x90\x01\x58\x02\x00\x00\x00" "fs"
                             "\x71\x02\x47\x40\x3e\x80\x00\x00\x00\x00\x00\x58\x03\x00\x00\x00tau\x71\x03\x47\x3f\xf0\x00"
                             "\x00\x00\x00\x00\x00\x75\x2e",
                             62);
    writeText(path, std::string("\x93NUMPY\x01\x00", 8) + static_cast<char>(header.size()) + '\0' + header + pickle);
}

/// An NWB-structured file: processing/ophys/DfOverF/RoiResponseSeries/{data [T, N], starting_time (rate) or
/// timestamps}.
void writeNwb(const std::string& path, const std::vector<double>& timestamps = {})
{
    H5::H5File file(path, H5F_ACC_TRUNC);
    H5::Group processing = file.createGroup("/processing");
    H5::Group ophys = file.createGroup("/processing/ophys");
    H5::Group dff = file.createGroup("/processing/ophys/DfOverF");
    H5::StrType str(H5::PredType::C_S1, H5T_VARIABLE);
    dff.createAttribute("neurodata_type", str, H5::DataSpace(H5S_SCALAR)).write(str, std::string("DfOverF"));
    H5::Group series = file.createGroup("/processing/ophys/DfOverF/RoiResponseSeries");
    hsize_t dims[2] = {kFrames, kRois};
    const auto values = table(kFrames, kRois, [](int t, int r) { return signal(r, t); });
    file.createDataSet("/processing/ophys/DfOverF/RoiResponseSeries/data", H5::PredType::NATIVE_FLOAT,
                       H5::DataSpace(2, dims))
        .write(values.data(), H5::PredType::NATIVE_FLOAT);
    if (timestamps.empty()) {
        H5::DataSet start = file.createDataSet("/processing/ophys/DfOverF/RoiResponseSeries/starting_time",
                                               H5::PredType::NATIVE_DOUBLE, H5::DataSpace(H5S_SCALAR));
        const double zero = 0.0, rate = 15.0;
        start.write(&zero, H5::PredType::NATIVE_DOUBLE);
        start.createAttribute("rate", H5::PredType::NATIVE_DOUBLE, H5::DataSpace(H5S_SCALAR))
            .write(H5::PredType::NATIVE_DOUBLE, &rate);
    } else {
        hsize_t count = timestamps.size();
        file.createDataSet("/processing/ophys/DfOverF/RoiResponseSeries/timestamps", H5::PredType::NATIVE_DOUBLE,
                           H5::DataSpace(1, &count))
            .write(timestamps.data(), H5::PredType::NATIVE_DOUBLE);
    }
}

RecordingOptions as(const std::string& format, double rate = 0.0)
{
    RecordingOptions o;
    o.format = format;
    o.rate = rate;
    return o;
}

void verifySignal(const Dataset& d, const std::vector<int>& rois)
{
    QCOMPARE(d.neurons(), Eigen::Index(rois.size()));
    QCOMPARE(d.frames(), Eigen::Index(kFrames));
    for (std::size_t k = 0; k < rois.size(); ++k)
        for (int t = 0; t < kFrames; t += 7)
            QVERIFY(std::fabs(d.activity(t, static_cast<Eigen::Index>(k)) - signal(rois[k], t)) < 1e-5f);
}

} // namespace

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
        // Smoothing with the same windows keeps a quadratic as it is.
        const FrameMatrix smooth = smoothActivity(u, {DerivativeMethod::SavitzkyGolay, 7, 2, true});
        QVERIFY((smooth - u).cwiseAbs().maxCoeff() < 1e-4f);
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

    void suite2pFolderWithCellsNeuropilAndRate()
    {
        QTemporaryDir dir;
        const std::string folder = dir.path().toStdString();
        // F.npy [ROIs, frames] = signal + 0.7 · neuropil, so F − 0.7 Fneu is the signal again.
        writeNpy(folder + "/F.npy", {kRois, kFrames},
                 table(kRois, kFrames, [](int r, int t) { return signal(r, t) + 0.7f * 2.0f; }).data());
        writeNpy(folder + "/Fneu.npy", {kRois, kFrames}, std::vector<float>(kRois * kFrames, 2.0f).data());
        const std::vector<float> cells = {1, 0.9f, 0, 0.2f, 1, 0.8f, 1, 0.7f, 0, 0.1f};
        writeNpy(folder + "/iscell.npy", {kRois, 2}, cells.data());
        writeOps(folder + "/ops.npy");
        QCOMPARE(suite2pFrameRate(folder + "/ops.npy"), 30.5);
        RecordingSummary summary;
        const Dataset d = importRecording(folder, as("suite2p"), &summary);
        verifySignal(d, {0, 2, 3});
        QCOMPARE(summary.neuronsRead, std::int64_t(5));
        QCOMPARE(summary.neuronsKept, std::int64_t(3));
        QCOMPARE(summary.rateSource, std::string("ops.npy"));
        QVERIFY(std::fabs(d.deltaT - 1 / 30.5) < 1e-12);
        QVERIFY(d.types.empty() && d.connectivity.size() == 0 && d.typeParameters.size() == 0);
        // The derivative is the Savitzky–Golay estimate of the activity.
        QVERIFY((d.derivative - estimateDerivative(d.activity, d.deltaT)).cwiseAbs().maxCoeff() < 1e-6f);
        RecordingOptions all = as("suite2p", 10.0);
        all.keepAllRois = true;
        all.subtractNeuropil = false;
        const Dataset raw = importRecording(folder, all);
        QCOMPARE(raw.neurons(), Eigen::Index(5));
        QVERIFY(std::fabs(raw.activity(0, 1) - (signal(1, 0) + 1.4f)) < 1e-5f);
        QVERIFY(std::fabs(raw.deltaT - 0.1) < 1e-12); // --rate wins over ops.npy
        // Errors: no F.npy; mismatched Fneu.
        PLEXUS_VERIFY_THROWS_WITH(importRecording(dir.path().toStdString() + "/none", as("suite2p")), InputError,
                                  "suite2p output folder");
        writeNpy(folder + "/Fneu.npy", {kRois, 3}, std::vector<float>(kRois * 3, 0.0f).data());
        PLEXUS_VERIFY_THROWS_WITH(importRecording(folder, as("suite2p")), InputError, "Fneu.npy", "like F.npy");
    }

    void nwbSeriesWithRateOrTimestamps()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath("session.nwb").toStdString();
        writeNwb(path);
        RecordingSummary summary;
        Dataset d = importRecording(path, as("nwb"), &summary);
        verifySignal(d, {0, 1, 2, 3, 4});
        QCOMPARE(summary.rateSource, std::string("NWB rate"));
        QVERIFY(std::fabs(d.deltaT - 1 / 15.0) < 1e-12);
        std::vector<double> stamps;
        for (int t = 0; t < kFrames; ++t)
            stamps.push_back(2.0 + t * 0.05);
        writeNwb(path, stamps);
        d = importRecording(path, as("nwb"), &summary);
        QCOMPARE(summary.rateSource, std::string("NWB timestamps"));
        QVERIFY(std::fabs(d.deltaT - 0.05) < 1e-9);
        stamps[30] += 0.02; // one late frame
        writeNwb(path, stamps);
        PLEXUS_VERIFY_THROWS_WITH(importRecording(path, as("nwb")), InputError, "irregular", "frame 30");
        PLEXUS_VERIFY_THROWS_WITH(importRecording(path, [] {
            RecordingOptions o = as("nwb");
            o.dataset = "processing/ophys/Nothing";
            return o;
        }()), InputError, "no series");
        writeText(dir.filePath("text.nwb").toStdString(), "not hdf5");
        PLEXUS_VERIFY_THROWS_WITH(importRecording(dir.filePath("text.nwb").toStdString(), as("nwb")), InputError,
                                  "not an HDF5 file");
    }

    void matricesInBothLayouts()
    {
        QTemporaryDir dir;
        const std::string csv = dir.filePath("time.csv").toStdString();
        std::string text = "n0,n1,n2,n3,n4\n";
        for (int t = 0; t < kFrames; ++t)
            for (int r = 0; r < kRois; ++r)
                text += std::to_string(signal(r, t)) + (r + 1 < kRois ? "," : "\n");
        writeText(csv, text);
        RecordingSummary summary;
        verifySignal(importRecording(csv, as("csv", 20.0), &summary), {0, 1, 2, 3, 4});
        QVERIFY(summary.layout.find("named columns") != std::string::npos); // a header: columns are neurons
        // Frame and time columns are not neurons; the time column gives the rate.
        std::string timed = "frame,time,u0,u1\n";
        for (int t = 0; t < kFrames; ++t)
            timed += std::to_string(t) + "," + std::to_string(t * 0.05) + "," + std::to_string(signal(0, t)) + "," +
                     std::to_string(signal(1, t)) + "\n";
        writeText(csv, timed);
        verifySignal(importRecording(csv, as("csv"), &summary), {0, 1});
        QCOMPARE(summary.rateSource, std::string("the time column"));
        QVERIFY(std::fabs(summary.rate - 20.0) < 1e-3);
        // NPY, neurons by time, said so.
        const std::string npy = dir.filePath("neurons.npy").toStdString();
        writeNpy(npy, {kRois, kFrames}, table(kRois, kFrames, [](int r, int t) { return signal(r, t); }).data());
        RecordingOptions byNeurons = as("npy", 20.0);
        byNeurons.layout = MatrixLayout::NeuronsByTime;
        verifySignal(importRecording(npy, byNeurons), {0, 1, 2, 3, 4});
        verifySignal(importRecording(npy, as("npy", 20.0), &summary), {0, 1, 2, 3, 4}); // 60 frames > 5 neurons
        QVERIFY(summary.layout.find("guessed") != std::string::npos);
        // A plain HDF5 matrix: the only 2-D dataset, or the one named.
        const std::string h5 = dir.filePath("m.h5").toStdString();
        {
            H5::H5File file(h5, H5F_ACC_TRUNC);
            hsize_t dims[2] = {kFrames, kRois};
            const auto values = table(kFrames, kRois, [](int t, int r) { return signal(r, t); });
            file.createGroup("/traces");
            file.createDataSet("/traces/dff", H5::PredType::NATIVE_FLOAT, H5::DataSpace(2, dims))
                .write(values.data(), H5::PredType::NATIVE_FLOAT);
        }
        verifySignal(importRecording(h5, as("hdf5", 20.0)), {0, 1, 2, 3, 4});
        RecordingOptions named = as("hdf5", 20.0);
        named.dataset = "/traces/missing";
        PLEXUS_VERIFY_THROWS_WITH(importRecording(h5, named), InputError, "no dataset '/traces/missing'");
        // Errors: no rate, a ragged row, too few frames, an unknown format.
        writeText(csv, text);
        PLEXUS_VERIFY_THROWS_WITH(importRecording(csv, as("csv")), InputError, "--rate");
        writeText(csv, "1,2,3\n4,5\n");
        PLEXUS_VERIFY_THROWS_WITH(importRecording(csv, as("csv", 10.0)), InputError, "time.csv:2", "expected 3");
        writeText(csv, "1,2\n3,4\n5,6\n");
        PLEXUS_VERIFY_THROWS_WITH(importRecording(csv, as("csv", 10.0)), InputError, "frames; training needs at least 8");
        PLEXUS_VERIFY_THROWS_WITH(importRecording(csv, as("tiff", 10.0)), InputError, "--format");
    }

    void gapsAreFilledOrRefused()
    {
        QTemporaryDir dir;
        const std::string csv = dir.filePath("gaps.csv").toStdString();
        std::string text;
        for (int t = 0; t < 20; ++t)
            text += std::to_string(t) + "," + (t >= 5 && t <= 6 ? "nan" : std::to_string(2.0 * t)) + "\n";
        writeText(csv, text);
        PLEXUS_VERIFY_THROWS_WITH(importRecording(csv, as("csv", 10.0)), InputError, "neuron 1 has 2 missing", "frame 5",
                                  "--max-gap");
        RecordingOptions o = as("csv", 10.0);
        o.maxGap = 2;
        RecordingSummary summary;
        const Dataset d = importRecording(csv, o, &summary);
        QCOMPARE(summary.interpolatedFrames, std::int64_t(2));
        QVERIFY(std::fabs(d.activity(5, 1) - 10.0f) < 1e-5f && std::fabs(d.activity(6, 1) - 12.0f) < 1e-5f);
    }

    void aSimulationObservedAsAMicroscopeWould()
    {
        ExperimentConfig c = test::smallConfig(20, 400);
        const Dataset truth = simulate(c);
        // Every second frame, nothing else: the even frames, twice the time step, the truth kept for scoring.
        Dataset d = observe(truth, parseObservation("every=2"));
        QCOMPARE(d.frames(), Eigen::Index(201));
        QVERIFY(std::fabs(d.deltaT - 2 * truth.deltaT) < 1e-12);
        for (Eigen::Index f = 0; f < d.frames(); f += 17)
            QVERIFY(d.activity.row(f) == truth.activity.row(2 * f));
        QVERIFY(d.connectivity == truth.connectivity && d.types == truth.types);
        QVERIFY((d.derivative - estimateDerivative(d.activity, d.deltaT)).cwiseAbs().maxCoeff() < 1e-5f);
        // Noise of 5 % of the activity's std.
        d = observe(truth, parseObservation("noise=0.05,seed=3"));
        const Eigen::ArrayXd diff =
            Eigen::Map<const Eigen::ArrayXf>(d.activity.data(), d.activity.size()).cast<double>() -
            Eigen::Map<const Eigen::ArrayXf>(truth.activity.data(), truth.activity.size()).cast<double>();
        const Eigen::ArrayXd all =
            Eigen::Map<const Eigen::ArrayXf>(truth.activity.data(), truth.activity.size()).cast<double>();
        const double ratio = std::sqrt(diff.square().mean()) / std::sqrt((all - all.mean()).square().mean());
        QVERIFY2(std::fabs(ratio - 0.05) < 0.003, qPrintable(QString::number(ratio)));
        // Smoothing: a first-order low-pass, c_t = c_{t−1} + (u_t − c_{t−1}) / (1 + T).
        d = observe(truth, parseObservation("smoothing=4"));
        const float expected = d.activity(9, 3) + (truth.activity(10, 3) - d.activity(9, 3)) / 5.0f;
        QVERIFY(std::fabs(d.activity(10, 3) - expected) < 1e-5f);
        // smooth=1: the observed activity is the Savitzky–Golay value, which damps the noise.
        const Dataset noisy = observe(truth, parseObservation("noise=0.2,window=15"));
        const Dataset smoothed = observe(truth, parseObservation("noise=0.2,window=15,smooth=1"));
        QVERIFY((smoothed.activity - truth.activity).norm() < 0.6 * (noisy.activity - truth.activity).norm());
        PLEXUS_VERIFY_THROWS_WITH(parseObservation("every=0"), InputError, "every");
        PLEXUS_VERIFY_THROWS_WITH(parseObservation("rate=3"), InputError, "unknown key 'rate'");
        PLEXUS_VERIFY_THROWS_WITH(parseObservation("noise=lots"), InputError, "noise", "expected a number");
    }

    void aRecordingRoundTripsWithoutGroundTruth()
    {
        QTemporaryDir dir;
        const std::string npy = dir.filePath("m.npy").toStdString();
        writeNpy(npy, {kFrames, kRois}, table(kFrames, kRois, [](int t, int r) { return signal(r, t); }).data());
        RecordingOptions o = as("npy", 20.0);
        o.normalise = "zscore";
        const Dataset d = importRecording(npy, o);
        QVERIFY(std::fabs(d.activity.col(2).mean()) < 1e-4f);
        const std::string path = dir.filePath("dataset.h5").toStdString();
        saveDataset(d, path);
        const Dataset back = loadDataset(path);
        QVERIFY(back.types.empty());
        QVERIFY(back.activity == d.activity && back.derivative == d.derivative);
        QCOMPARE(readDatasetSummary(path).types, std::int64_t(0));
    }
};

QTEST_GUILESS_MAIN(TestRecording)
#include "test_recording.moc"
