#pragma once

// Private to the engine: the file readers behind importRecording (docs/recordings.md).
#include "plexus/data/recording_import.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace plexus {

/// A matrix as read: rows × cols, row-major, before it is known which axis is time.
struct RawMatrix
{
    std::int64_t rows = 0, cols = 0;
    std::vector<float> values;
    std::vector<std::string> header; ///< CSV: the column names, when the first line holds names
    float at(std::int64_t r, std::int64_t c) const { return values[static_cast<std::size_t>(r * cols + c)]; }
};

/// A 2-D matrix in a file read a band of rows at a time as float32 (an NPY file, an HDF5 dataset, or a table
/// already in memory), so a large recording is placed without a second copy of it.
struct MatrixRows
{
    std::int64_t rows = 0, cols = 0;
    /// Rows `first` .. `first + count − 1`, row-major, into `out`.
    std::function<void(std::int64_t first, std::int64_t count, float* out)> read;
};

/// One recording read from its file, [frames, neurons], with what the file said of its timing.
struct ReadRecording
{
    FrameMatrix activity;
    double rate = 0.0;
    std::string rateSource;
    std::string layout;
    std::int64_t neuronsRead = 0;
    std::vector<std::string> notes;
};

/// "rows × cols".
std::string shapeText(std::int64_t rows, std::int64_t cols);

/// A CSV or (by its extension) NPY matrix, as it is in the file.
RawMatrix readTable(const std::string& path);

/// The layout given, or the longer axis as time when it is Guess (`text` says which, and whether it was guessed).
MatrixLayout resolveLayout(std::int64_t rows, std::int64_t cols, MatrixLayout layout, std::string* text);

/// The matrix as [frames, neurons]: rows as frames (TimeByNeurons) read straight into place, or rows as neurons
/// gathered into columns a band at a time, only those listed in `keep` (in that order) when it is given.
FrameMatrix readFrames(const MatrixRows& matrix, MatrixLayout layout, const std::vector<std::int64_t>* keep = nullptr);

/// u[:, k] −= factor · matrix[keep[k], :] for a neurons-by-frames matrix (suite2p's neuropil), a band at a time.
void subtractNeuronRows(const MatrixRows& matrix, const std::vector<std::int64_t>& keep, float factor, FrameMatrix& u);

/// A table in memory as MatrixRows (it must outlive them).
MatrixRows memoryRows(const RawMatrix& matrix);

/// The recording in `path` read in `options.format` (suite2p, nwb, csv, npy, hdf5), [frames, neurons], with the
/// rate the file gives (0 when none). InputError names the file and what is wrong.
ReadRecording readRecordingFile(const std::string& path, const RecordingOptions& options);

} // namespace plexus
