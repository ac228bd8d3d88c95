#pragma once

#include "plexus/config/experiment_config.h"
#include "plexus/data/dataset.h"
#include "plexus/data/derivative_estimate.h"
#include "plexus/util/progress.h"

#include <cstdint>
#include <string>
#include <vector>

namespace plexus {

/// How a matrix file lays out its values.
enum class MatrixLayout {
    Guess,         ///< the longer axis is time (said so in the summary)
    NeuronsByTime, ///< rows are neurons (suite2p's F.npy)
    TimeByNeurons, ///< rows are frames (NWB's data, most CSV exports)
};

/// "neurons-by-time" | "time-by-neurons"; InputError otherwise.
MatrixLayout parseMatrixLayout(const std::string& name);

/// How to read a recording (docs/recordings.md).
struct RecordingOptions
{
    std::string format;        ///< suite2p | nwb | csv | npy | hdf5
    double rate = 0.0;         ///< frames per second; 0: from the file (suite2p ops.npy, NWB rate or timestamps)
    MatrixLayout layout = MatrixLayout::Guess; ///< csv, npy, hdf5
    std::string dataset;       ///< hdf5: the dataset's path; nwb: the series (its group or its data) when not the first
    bool subtractNeuropil = true;  ///< suite2p: F − factor · Fneu when Fneu.npy is there
    double neuropilFactor = 0.7;
    bool keepAllRois = false;  ///< suite2p: keep the ROIs iscell.npy rejects
    std::int64_t firstFrame = 0; ///< keep frames firstFrame .. lastFrame of the recording, inclusive (one half, say)
    std::int64_t lastFrame = -1; ///< −1: to the recording's end
    std::int64_t maxGap = 0;   ///< runs of NaN frames up to this long are interpolated linearly; longer ones refused
    std::string positions;     ///< optional CSV/NPY [N, 2] of neuron positions (display only)
    std::string input;         ///< optional CSV/NPY external input [frames, M] (time by neurons)
    std::string inputMode = "additive"; ///< how that input enters (additive or multiplicative)
    std::string normalise = "none";     ///< none | zscore (per neuron) | scale (all neurons by one std)
    DerivativeOptions derivative;
    std::string signalModel = "PDE_N2";
};

/// What an import read, for the user to check.
struct RecordingSummary
{
    std::int64_t neuronsRead = 0, neuronsKept = 0, frames = 0;
    double rate = 0.0;
    std::string rateSource;        ///< "--rate", "ops.npy", "NWB rate", "NWB timestamps"
    std::string layout;            ///< how the matrix was read, and whether that was guessed
    float minimum = 0.0f, maximum = 0.0f;
    std::int64_t interpolatedFrames = 0;
    std::vector<std::string> notes;
};

/// Reads a recording into a Dataset without ground truth (no true W, types or parameters): activity as read
/// (after neuropil subtraction, gap filling and normalisation), du/dt estimated from it, Δt = 1 / rate. InputError
/// names the file and what is wrong (NaN gaps, irregular timestamps, too few frames, mismatched shapes, no rate).
Dataset importRecording(const std::string& path, const RecordingOptions& options, RecordingSummary* summary = nullptr,
                        const Progress& progress = {});

/// importRecording written straight to the dataset file `target` (docs/formats.md), du/dt computed and written a
/// band of frames at a time so that the peak memory is one copy of the activity; returns the run's config
/// (recordingExperiment with `preset`). The file is written atomically: a failure leaves nothing behind.
ExperimentConfig importRecordingTo(const std::string& path, const RecordingOptions& options, const std::string& target,
                                   const std::string& preset, RecordingSummary* summary = nullptr,
                                   const Progress& progress = {});

/// The config of a run on a recording: `preset`'s model and training settings, the recording's size, time step and
/// input, and training.held_out_fraction 0.1 (the last tenth scores the model on frames it never saw).
ExperimentConfig recordingExperiment(const Dataset& recording, const std::string& preset, const std::string& source);

/// The frame rate a suite2p ops.npy holds ("fs"), read from its pickle without Python; 0 when not found.
double suite2pFrameRate(const std::string& opsPath);

} // namespace plexus
