#include "plexus/data/recording_import.h"

#include "recording_readers.h"

#include "plexus/config/presets.h"
#include "plexus/data/dataset_file.h"
#include "plexus/sim/neuron_layout.h"
#include "plexus/sim/rng.h"
#include "plexus/util/errors.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>

namespace plexus {

namespace fs = std::filesystem;

namespace {

/// Fills runs of NaN up to `maxGap` frames by linear interpolation; refuses longer ones, naming the first.
std::int64_t fillGaps(FrameMatrix& u, std::int64_t maxGap, const std::string& path)
{
    std::int64_t filled = 0;
    const Eigen::Index frames = u.rows();
    std::vector<bool> gappy(static_cast<std::size_t>(u.cols()), false); // found frame by frame (row-major)
    for (Eigen::Index t = 0; t < frames; ++t)
        if (!u.row(t).allFinite())
            for (Eigen::Index n = 0; n < u.cols(); ++n)
                if (!std::isfinite(u(t, n)))
                    gappy[static_cast<std::size_t>(n)] = true;
    for (Eigen::Index n = 0; n < u.cols(); ++n) {
        if (!gappy[static_cast<std::size_t>(n)])
            continue;
        for (Eigen::Index t = 0; t < frames;) {
            if (std::isfinite(u(t, n))) {
                ++t;
                continue;
            }
            Eigen::Index end = t;
            while (end < frames && !std::isfinite(u(end, n)))
                ++end;
            const std::int64_t length = end - t;
            if (length > maxGap || t == 0 || end == frames)
                throw InputError(path + ": neuron " + std::to_string(n) + " has " + std::to_string(length) +
                                 " missing (NaN) frame" + (length > 1 ? "s" : "") + " from frame " + std::to_string(t) +
                                 (t == 0 || end == frames ? " at the recording's edge (cut it off)"
                                                          : " (--max-gap " + std::to_string(maxGap) +
                                                                " interpolates shorter gaps)"));
            const float before = u(t - 1, n), after = u(end, n);
            for (Eigen::Index k = t; k < end; ++k)
                u(k, n) = before + (after - before) * static_cast<float>(k - t + 1) / static_cast<float>(length + 1);
            filled += length;
            t = end;
        }
    }
    return filled;
}

void normalise(FrameMatrix& u, const std::string& how)
{
    if (how == "none")
        return;
    if (how == "zscore") {
        Eigen::ArrayXd sum = Eigen::ArrayXd::Zero(u.cols()), squares = Eigen::ArrayXd::Zero(u.cols());
        for (Eigen::Index t = 0; t < u.rows(); ++t) { // frame by frame: the recording is row-major
            const Eigen::ArrayXd frame = u.row(t).transpose().cast<double>().array();
            sum += frame;
            squares += frame.square();
        }
        const Eigen::ArrayXd mean = sum / static_cast<double>(u.rows());
        const Eigen::ArrayXd sd = (squares / static_cast<double>(u.rows()) - mean.square()).max(0.0).sqrt();
        const Eigen::RowVectorXf shift = mean.cast<float>().transpose().matrix();
        const Eigen::RowVectorXf scale = (sd > 0).select(1.0 / sd, 1.0).cast<float>().transpose().matrix();
        for (Eigen::Index t = 0; t < u.rows(); ++t)
            u.row(t) = (u.row(t) - shift).cwiseProduct(scale);
        return;
    }
    if (how == "scale") {
        double sum = 0.0, squares = 0.0; // one pass in double, no copy of the recording
        for (Eigen::Index t = 0; t < u.rows(); ++t) {
            sum += u.row(t).cast<double>().sum();
            squares += u.row(t).cast<double>().squaredNorm();
        }
        const double count = static_cast<double>(u.size()), mean = sum / count;
        const double sd = std::sqrt(std::max(0.0, squares / count - mean * mean));
        if (sd > 0)
            u /= static_cast<float>(sd);
        return;
    }
    throw InputError("--normalise: expected none, zscore or scale, got '" + how + "'");
}

Eigen::MatrixX2f readPositions(const std::string& path, std::int64_t neurons)
{
    const RawMatrix m = readTable(path);
    if (m.rows != neurons || m.cols < 2)
        throw InputError(path + ": positions are " + shapeText(m.rows, m.cols) + ", expected " +
                         shapeText(neurons, 2) + " (x, y per neuron)");
    Eigen::MatrixX2f p(neurons, 2);
    for (std::int64_t n = 0; n < neurons; ++n)
        p.row(n) << m.at(n, 0), m.at(n, 1);
    return p;
}

/// The external input [frames, M]: as long as the recording as read (then cut like it) or as the frames kept.
FrameMatrix readInput(const std::string& path, std::int64_t recorded, std::int64_t first, std::int64_t frames,
                      std::int64_t neurons)
{
    const RawMatrix m = readTable(path);
    if ((m.rows != recorded && m.rows != frames) || m.cols > neurons)
        throw InputError(path + ": the input is " + shapeText(m.rows, m.cols) + ", expected " + std::to_string(recorded) +
                         " frames × at most " + std::to_string(neurons) + " receiving neurons (time by neurons)");
    FrameMatrix input = readFrames(memoryRows(m), MatrixLayout::TimeByNeurons);
    if (m.rows != frames)
        input = input.middleRows(first, frames).eval();
    return input;
}

/// Keeps frames first .. last of `u` (inclusive; last −1: to the end), in place; InputError for a range outside it.
void keepFrames(FrameMatrix& u, std::int64_t first, std::int64_t last, const std::string& path)
{
    const std::int64_t frames = u.rows();
    if (last < 0)
        last = frames - 1;
    if (first < 0 || first > last || last >= frames)
        throw InputError(path + ": --frames " + std::to_string(first) + ":" + std::to_string(last) +
                         " is outside the recording's " + std::to_string(frames) + " frames (expected 0 ≤ FIRST ≤ LAST ≤ " +
                         std::to_string(frames - 1) + ")");
    const std::int64_t kept = last - first + 1;
    if (kept == frames)
        return;
    std::memmove(u.data(), u.data() + first * u.cols(), static_cast<std::size_t>(kept * u.cols()) * sizeof(float));
    u.conservativeResize(kept, Eigen::NoChange); // row-major: the prefix stays where it is
}

} // namespace

MatrixLayout parseMatrixLayout(const std::string& name)
{
    if (name == "neurons-by-time")
        return MatrixLayout::NeuronsByTime;
    if (name == "time-by-neurons")
        return MatrixLayout::TimeByNeurons;
    throw InputError("--layout: expected neurons-by-time or time-by-neurons, got '" + name + "'");
}

ExperimentConfig recordingExperiment(const Dataset& d, const std::string& preset, const std::string& source)
{
    ExperimentConfig c = loadPreset(preset).config;
    c.description = "Imported recording " + source + " (simulation settings unused but for its size and time step)";
    c.dataset = "recording";
    c.graphModel.signalModelName = d.signalModel;
    c.simulation.nNeurons = d.neurons();
    c.simulation.nFrames = d.frames() - 1;
    c.simulation.deltaT = d.deltaT;
    c.simulation.startFrame = 0;
    c.simulation.externalInputType = d.stimulus.cols() > 0 ? "signal" : "none";
    c.simulation.externalInputMode = d.stimulus.cols() > 0 ? d.inputMode : "none";
    c.training.heldOutFraction = 0.1;
    return c;
}

namespace {

/// The recording read, gaps filled and normalised, with its positions, input and time step; no derivative yet.
Dataset readActivity(const std::string& path, const RecordingOptions& o, RecordingSummary* summary)
{
    ReadRecording r = readRecordingFile(path, o);
    if (o.rate > 0) {
        r.rate = o.rate;
        r.rateSource = "--rate";
    }
    if (!(r.rate > 0))
        throw InputError(path + ": the frame rate is not in the file; give it with --rate HZ");
    const std::int64_t recorded = r.activity.rows();
    keepFrames(r.activity, o.firstFrame, o.lastFrame, path);
    if (r.activity.rows() < 8)
        throw InputError(path + ": " + std::to_string(r.activity.rows()) + " frames; training needs at least 8");
    if (r.activity.cols() < 2)
        throw InputError(path + ": " + std::to_string(r.activity.cols()) + " neuron; a network needs at least 2");
    const std::int64_t interpolated = fillGaps(r.activity, o.maxGap, path);
    normalise(r.activity, o.normalise);
    Dataset d;
    d.activity = std::move(r.activity);
    d.deltaT = 1.0 / r.rate;
    d.signalModel = o.signalModel;
    const std::int64_t n = d.neurons();
    if (!o.positions.empty()) {
        d.positions = readPositions(o.positions, n);
    } else {
        Rng rng(1);
        d.positions = sunflowerPositions(n, rng);
    }
    if (!o.input.empty()) {
        d.stimulus = readInput(o.input, recorded, o.firstFrame, d.frames(), n);
        d.inputType = "signal";
        d.inputMode = o.inputMode;
    }
    if (summary) {
        summary->neuronsRead = r.neuronsRead;
        summary->neuronsKept = n;
        summary->frames = d.frames();
        summary->rate = r.rate;
        summary->rateSource = r.rateSource;
        summary->layout = r.layout;
        summary->minimum = d.activity.minCoeff();
        summary->maximum = d.activity.maxCoeff();
        summary->interpolatedFrames = interpolated;
        summary->notes = r.notes;
    }
    return d;
}

} // namespace

Dataset importRecording(const std::string& path, const RecordingOptions& o, RecordingSummary* summary,
                        const Progress& progress)
{
    progress.update("reading", 0, 2);
    Dataset d = readActivity(path, o, summary);
    progress.update("derivative", 1, 2);
    d.derivative = estimateDerivative(d.activity, d.deltaT, o.derivative);
    if (o.derivative.smoothActivity)
        d.activity = smoothActivity(d.activity, o.derivative);
    d.checkConsistent(path);
    progress.update("derivative", 2, 2);
    return d;
}

ExperimentConfig importRecordingTo(const std::string& path, const RecordingOptions& o, const std::string& target,
                                   const std::string& preset, RecordingSummary* summary, const Progress& progress)
{
    progress.update("reading", 0, 1);
    const Dataset d = readActivity(path, o, summary);
    ExperimentConfig config = recordingExperiment(d, preset, path);
    estimateDerivativeRows(d.activity, d.deltaT, o.derivative, 0, 0); // a bad window or order fails before writing
    const FrameBands derivative = [&](std::int64_t first, std::int64_t count, FrameMatrix& out) {
        out = estimateDerivativeRows(d.activity, d.deltaT, o.derivative, first, count);
    };
    FrameBands smoothed;
    if (o.derivative.smoothActivity)
        smoothed = [&](std::int64_t first, std::int64_t count, FrameMatrix& out) {
            out = smoothActivityRows(d.activity, o.derivative, first, count);
        };
    saveDatasetInBands(d, derivative, smoothed, target, progress);
    return config;
}

} // namespace plexus
