// Recordings: derivative estimation from sampled activity on analytic signals (exact for polynomials up to the
// order, the documented bias on a sine), the errors of bad windows; every import format read from small files
// written here (suite2p-like .npy with a pickled ops.npy, an NWB-structured HDF5 file, a plain HDF5 matrix,
// CSV and NPY in both layouts), gaps, and each error path; a recording's dataset round-trips without ground truth.
#include "plexus/analysis/evaluation.h"
#include "plexus/analysis/evaluation_text.h"
#include "plexus/analysis/model_agreement.h"
#include "plexus/analysis/recording_score.h"
#include "plexus/config/config_loader.h"
#include "plexus/config/presets.h"
#include "plexus/data/dataset_file.h"
#include "plexus/sim/dynamics.h"
#include "plexus/sim/true_functions.h"
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

/// The ground truth of a simulation as a "trained" model: the true W, functions and dynamics, latents that place
/// each type at its own corner. Scores that need no truth must rate it as perfect.
class TruthAsModel : public LearnedModel
{
public:
    explicit TruthAsModel(const Dataset& d)
        : m_data(d), m_dynamics(parseDynamicsModel(d.signalModel), parseInputMode(d.inputMode), d.connectivity, d.types,
                                d.typeParameters)
    {
    }
    std::int64_t neurons() const override { return m_data.neurons(); }
    std::string signalModel() const override { return m_data.signalModel; }
    Eigen::MatrixXf latents() const override
    {
        Eigen::MatrixXf a = Eigen::MatrixXf::Zero(neurons(), 2);
        for (std::int64_t n = 0; n < neurons(); ++n)
            a.row(n) << static_cast<float>(m_data.types[n] % 2), static_cast<float>(m_data.types[n] / 2);
        return a;
    }
    Eigen::MatrixXf connectivity() const override { return m_data.connectivity; }
    Eigen::MatrixXf updateCurves(const Eigen::VectorXf& r, const std::vector<std::int64_t>& = {}) const override
    {
        return curves(r, true);
    }
    Eigen::MatrixXf transferCurves(const Eigen::VectorXf& r, const std::vector<std::int64_t>& = {}) const override
    {
        return curves(r, false);
    }
    Eigen::VectorXf derivative(const Eigen::VectorXf& u, const Eigen::VectorXf& external) const override
    {
        Eigen::VectorXf out(u.size());
        m_dynamics.derivative(u, external, out);
        return out;
    }
    std::unique_ptr<LearnedModel> restructured(const Eigen::MatrixXf&, const Eigen::MatrixXf&) const override
    {
        return nullptr;
    }

private:
    Eigen::MatrixXf curves(const Eigen::VectorXf& r, bool update) const
    {
        Eigen::MatrixXf out(neurons(), r.size());
        const Eigen::ArrayXd rd = r.cast<double>().array();
        for (std::int64_t n = 0; n < neurons(); ++n) {
            const Eigen::RowVectorXd p = m_data.typeParameters.row(m_data.types[n]);
            out.row(n) = (update ? trueUpdateFunction(m_data.signalModel, p, rd) : trueTransferFunction(m_data.signalModel, p, rd))
                             .cast<float>()
                             .matrix()
                             .transpose();
        }
        return out;
    }
    const Dataset& m_data;
    mutable Dynamics m_dynamics;
};

/// A small noise-free demo network (300 neurons, 4 types) and its config, `seed` drawing its W.
std::pair<ExperimentConfig, Dataset> smallDemo(int seed)
{
    ExperimentConfig c = loadPreset("demo").config;
    applyConfigOverride(c, "simulation.n_frames=600", "");
    applyConfigOverride(c, "simulation.noise_model_level=0", "");
    applyConfigOverride(c, "simulation.seed=" + std::to_string(seed), "");
    applyConfigOverride(c, "training.held_out_fraction=0.1", "");
    return {c, simulate(c)};
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

    void derivativeBandsMatchTheWhole()
    {
        FrameMatrix u(50, 3);
        for (int f = 0; f < 50; ++f)
            for (int n = 0; n < 3; ++n)
                u(f, n) = signal(n, f) + 0.01f * static_cast<float>((f * 7 + n) % 5);
        for (const DerivativeOptions& o : {DerivativeOptions{DerivativeMethod::SavitzkyGolay, 9, 3, true},
                                           DerivativeOptions{DerivativeMethod::Central, 0, 0}}) {
            const FrameMatrix whole = estimateDerivative(u, 0.1, o), smooth = smoothActivity(u, o);
            for (const auto& [first, count] : {std::pair{0, 3}, std::pair{2, 17}, std::pair{45, 5}, std::pair{49, 1}}) {
                QCOMPARE(estimateDerivativeRows(u, 0.1, o, first, count), FrameMatrix(whole.middleRows(first, count)));
                QCOMPARE(smoothActivityRows(u, o, first, count), FrameMatrix(smooth.middleRows(first, count)));
            }
        }
    }

    void largeSuite2pIsReadInBandsAndWrittenStraightToTheFile()
    {
        // 12 ROIs × 100 000 frames: F.npy is read a few ROIs at a time (bands of 2^20 values), iscell keeps ROIs
        // from several bands, the neuropil is subtracted band by band; float64 as np.save writes by default.
        QTemporaryDir dir;
        const std::string folder = dir.path().toStdString();
        constexpr int rois = 12, frames = 100000;
        const auto value = [](int r, int t) { return static_cast<double>(r) + 1e-4 * (t % 1000); };
        {
            NpyHeader unused;
            std::vector<double> f(rois * frames), neuropil(rois * frames);
            for (int r = 0; r < rois; ++r)
                for (int t = 0; t < frames; ++t) {
                    neuropil[r * frames + t] = 0.5 * r;
                    f[r * frames + t] = value(r, t) + 0.7 * neuropil[r * frames + t];
                }
            const auto writeF8 = [](const std::string& path, const std::vector<double>& v) {
                std::string header = "{'descr': '<f8', 'fortran_order': False, 'shape': (12, 100000), }";
                header.append(117 - header.size(), ' ');
                header += '\n';
                std::ofstream out(path, std::ios::binary);
                out << std::string("\x93NUMPY\x01\x00", 8) << static_cast<char>(header.size()) << '\0' << header;
                out.write(reinterpret_cast<const char*>(v.data()), static_cast<std::streamsize>(v.size() * 8));
            };
            writeF8(folder + "/F.npy", f);
            writeF8(folder + "/Fneu.npy", neuropil);
        }
        std::vector<float> cells(rois * 2, 0.0f);
        const std::vector<int> kept = {0, 3, 4, 9, 10, 11};
        for (int r : kept)
            cells[static_cast<std::size_t>(r * 2)] = 1.0f;
        writeNpy(folder + "/iscell.npy", {rois, 2}, cells.data());
        RecordingOptions o = as("suite2p", 30.0);
        o.derivative.smoothActivity = true;
        const Dataset inMemory = importRecording(folder, o);
        QCOMPARE(inMemory.neurons(), Eigen::Index(kept.size()));
        for (std::size_t k = 0; k < kept.size(); ++k)
            for (int t : {0, 777, 54321, frames - 1})
                QVERIFY2(std::fabs(inMemory.activity(t, static_cast<Eigen::Index>(k)) - value(kept[k], t)) < 1e-4,
                         qPrintable(QString("ROI %1, frame %2").arg(kept[k]).arg(t)));
        // Written straight to the file, band by band: the same dataset.
        const std::string target = dir.filePath("dataset.h5").toStdString();
        RecordingSummary summary;
        const ExperimentConfig config = importRecordingTo(folder, o, target, "demo", &summary);
        QCOMPARE(config.simulation.nNeurons, std::int64_t(kept.size()));
        QCOMPARE(summary.neuronsKept, std::int64_t(kept.size()));
        const Dataset fromFile = loadDataset(target);
        QCOMPARE(fromFile.activity, inMemory.activity);
        QCOMPARE(fromFile.derivative, inMemory.derivative);
        QVERIFY(fromFile.types.empty());
        // A bad window fails before anything is written.
        o.derivative.order = 9;
        const std::string other = dir.filePath("other.h5").toStdString();
        PLEXUS_VERIFY_THROWS_WITH(importRecordingTo(folder, o, other, "demo"), InputError, "order");
        QVERIFY(!std::filesystem::exists(other));
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

    void scoresWithoutTruthRateTheTruthAsPerfect()
    {
        const auto [config, data] = smallDemo(1);
        const TruthAsModel truth(data);
        const double xnorm = activityScale(data);
        const std::vector<std::int32_t> clusters = recoverTypes(truth, config, xnorm);
        const RecordingScore s = scoreWithoutTruth(truth, data, config, clusters, 50);
        QVERIFY(s.heldOut);
        QCOMPARE(s.firstScoredFrame, data.frames() - data.frames() / 10);
        QVERIFY2(s.oneStepR2 > 0.9999, qPrintable(QString::number(s.oneStepR2)));
        QVERIFY(std::fabs(s.oneStepFit.slope - 1.0) < 1e-3);
        QVERIFY2(s.rollout.at400.r2 > 0.999 || s.rollout.frames < 400, qPrintable(QString::number(s.rollout.frames)));
        QVERIFY(s.rollout.meanNeuronCorrelation > 0.99);
        QCOMPARE(s.clusters, 4);
        QVERIFY(s.silhouette > 0.9); // the latents sit on four points
        Evaluation e;
        e.withoutTruth = s;
        QVERIFY(evaluationText(e).find("process noise") == std::string::npos);
        // Noise-driven data: the report says why the roll-out against them cannot match.
        ExperimentConfig noisy = config;
        noisy.simulation.noiseModelLevel = 1.0;
        e.withoutTruth = scoreWithoutTruth(truth, data, noisy, clusters, 0);
        QVERIFY(evaluationText(e).find("process noise σ = 1,") != std::string::npos);
    }

    void stabilityComparesTwoModelsOfTheSameNeurons()
    {
        const auto [config, data] = smallDemo(1);
        const auto [otherConfig, other] = smallDemo(2); // the same types, another W
        const TruthAsModel first(data), second(other);
        const double xnorm = activityScale(data);
        const ModelAgreement same = compareModels({first, config, xnorm}, {first, config, xnorm});
        QCOMPARE(same.neurons, data.neurons());
        QVERIFY(same.connectivity.r2 > 0.9999 && std::fabs(same.connectivity.slope - 1.0) < 1e-4);
        QCOMPARE(same.clustersFirst, 4);
        QVERIFY(std::fabs(same.clusterAdjustedRand - 1.0) < 1e-9);
        QVERIFY(same.updateR2 > 0.9999 && same.transferR2 > 0.9999);
        const ModelAgreement apart =
            compareModels({first, config, xnorm}, {second, otherConfig, activityScale(other)});
        QVERIFY2(apart.connectivity.r2 < 0.05, qPrintable(QString::number(apart.connectivity.r2)));
        const std::string json = modelAgreementToJson(apart, "runs/b");
        QVERIFY(json.find("\"other_run\": \"runs/b\"") != std::string::npos);
        QVERIFY(json.find("\"clusters_adjusted_rand\"") != std::string::npos);
        Dataset fewer = data;
        fewer.activity.conservativeResize(Eigen::NoChange, 10);
        fewer.connectivity = data.connectivity.topLeftCorner(10, 10);
        fewer.types.resize(10);
        const TruthAsModel small(fewer);
        PLEXUS_VERIFY_THROWS_WITH(compareModels({first, config, xnorm}, {small, config, xnorm}), InputError,
                                  "300 and 10 neurons");
    }

    void framesCanBeKeptAsARange()
    {
        QTemporaryDir dir;
        const std::string npy = dir.filePath("m.npy").toStdString();
        writeNpy(npy, {kFrames, kRois}, table(kFrames, kRois, [](int t, int r) { return signal(r, t); }).data());
        const std::string input = dir.filePath("input.csv").toStdString();
        std::string text;
        for (int t = 0; t < kFrames; ++t)
            text += std::to_string(t) + "\n";
        writeText(input, text);
        RecordingOptions o = as("npy", 20.0);
        o.firstFrame = 30;
        o.lastFrame = 49;
        o.input = input;
        const Dataset d = importRecording(npy, o);
        QCOMPARE(d.frames(), Eigen::Index(20));
        QVERIFY(std::fabs(d.activity(0, 2) - signal(2, 30)) < 1e-6f);
        QVERIFY(std::fabs(d.activity(19, 4) - signal(4, 49)) < 1e-6f);
        QCOMPARE(d.stimulus(0, 0), 30.0f); // the input is cut like the recording
        o.lastFrame = -1;
        QCOMPARE(importRecording(npy, o).frames(), Eigen::Index(kFrames - 30));
        o.firstFrame = 55; // fewer than 8 frames left
        PLEXUS_VERIFY_THROWS_WITH(importRecording(npy, o), InputError, "5 frames");
        o.firstFrame = 70;
        PLEXUS_VERIFY_THROWS_WITH(importRecording(npy, o), InputError, "--frames 70:59", "outside");
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
