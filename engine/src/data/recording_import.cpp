#include "plexus/data/recording_import.h"

#include "recording_readers.h"

#include "plexus/config/presets.h"
#include "plexus/sim/neuron_layout.h"
#include "plexus/sim/rng.h"
#include "plexus/util/errors.h"

#include <algorithm>
#include <cmath>
#include <filesystem>

namespace plexus {

namespace fs = std::filesystem;

namespace {

/// Fills runs of NaN up to `maxGap` frames by linear interpolation; refuses longer ones, naming the first.
std::int64_t fillGaps(FrameMatrix& u, std::int64_t maxGap, const std::string& path)
{
    std::int64_t filled = 0;
    const Eigen::Index frames = u.rows();
    for (Eigen::Index n = 0; n < u.cols(); ++n) {
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
        for (Eigen::Index n = 0; n < u.cols(); ++n) {
            const double mean = u.col(n).cast<double>().mean();
            const double sd = std::sqrt((u.col(n).cast<double>().array() - mean).square().mean());
            u.col(n) = ((u.col(n).cast<double>().array() - mean) / (sd > 0 ? sd : 1.0)).cast<float>().matrix();
        }
        return;
    }
    if (how == "scale") {
        const Eigen::ArrayXd all = Eigen::Map<const Eigen::ArrayXf>(u.data(), u.size()).cast<double>();
        const double sd = std::sqrt((all - all.mean()).square().mean());
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

FrameMatrix readInput(const std::string& path, std::int64_t frames, std::int64_t neurons)
{
    const RawMatrix m = readTable(path);
    if (m.rows != frames || m.cols > neurons)
        throw InputError(path + ": the input is " + shapeText(m.rows, m.cols) + ", expected " + std::to_string(frames) +
                         " frames × at most " + std::to_string(neurons) + " receiving neurons (time by neurons)");
    std::string unused;
    return orient(m, MatrixLayout::TimeByNeurons, &unused);
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

Dataset importRecording(const std::string& path, const RecordingOptions& o, RecordingSummary* summary,
                        const Progress& progress)
{
    progress.update("reading", 0, 3);
    ReadRecording r = readRecordingFile(path, o);
    if (o.rate > 0) {
        r.rate = o.rate;
        r.rateSource = "--rate";
    }
    if (!(r.rate > 0))
        throw InputError(path + ": the frame rate is not in the file; give it with --rate HZ");
    if (r.activity.rows() < 8)
        throw InputError(path + ": " + std::to_string(r.activity.rows()) + " frames; training needs at least 8");
    if (r.activity.cols() < 2)
        throw InputError(path + ": " + std::to_string(r.activity.cols()) + " neuron; a network needs at least 2");
    const std::int64_t interpolated = fillGaps(r.activity, o.maxGap, path);
    normalise(r.activity, o.normalise);
    progress.update("derivative", 1, 3);
    Dataset d;
    d.activity = std::move(r.activity);
    d.deltaT = 1.0 / r.rate;
    d.derivative = estimateDerivative(d.activity, d.deltaT, o.derivative);
    if (o.derivative.smoothActivity)
        d.activity = smoothActivity(d.activity, o.derivative);
    d.signalModel = o.signalModel;
    const std::int64_t n = d.neurons();
    if (!o.positions.empty()) {
        d.positions = readPositions(o.positions, n);
    } else {
        Rng rng(1);
        d.positions = sunflowerPositions(n, rng);
    }
    if (!o.input.empty()) {
        d.stimulus = readInput(o.input, d.frames(), n);
        d.inputType = "signal";
        d.inputMode = o.inputMode;
    }
    d.checkConsistent(path);
    progress.update("derivative", 3, 3);
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

} // namespace plexus
