#pragma once

// Private to the engine: the file readers behind importRecording (docs/recordings.md).
#include "plexus/data/recording_import.h"

#include <cstdint>
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

/// Rows or columns as time: the layout given, or the longer axis (`text` says which, and whether it was guessed).
FrameMatrix orient(const RawMatrix& matrix, MatrixLayout layout, std::string* text);

/// The recording in `path` read in `options.format` (suite2p, nwb, csv, npy, hdf5), [frames, neurons], with the
/// rate the file gives (0 when none). InputError names the file and what is wrong.
ReadRecording readRecordingFile(const std::string& path, const RecordingOptions& options);

} // namespace plexus
