#pragma once

#include "plexus/data/dataset.h"
#include "plexus/util/progress.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace plexus {

/// The Plexus dataset file format version written by saveDataset (docs/formats.md).
constexpr int kDatasetFormatVersion = 1;

/// Writes `data` as one HDF5 file (dataset.h5, layout in docs/formats.md), atomically: a temporary file in the
/// same folder renamed into place, so a stop or failure leaves any previous file untouched.
/// Throws InputError (unwritable path) or CancelledError (progress.shouldStop()).
void saveDataset(const Dataset& data, const std::string& path, const Progress& progress = {});

/// Rows `first` .. `first + count − 1` of a [frames, N] array, computed into `out` on demand.
using FrameBands = std::function<void(std::int64_t first, std::int64_t count, FrameMatrix& out)>;

/// saveDataset for a recording too large for a second copy in memory: du/dt is computed a band of frames at a time
/// by `derivative` (data.derivative is not read), and so is the activity written when `activity` is given
/// (data.activity then gives only the shape). The peak memory is data.activity and one band.
void saveDatasetInBands(const Dataset& data, const FrameBands& derivative, const FrameBands& activity,
                        const std::string& path, const Progress& progress = {});

/// Reads a dataset file back, bit-identical. Throws InputError naming the file and the missing or wrong part.
Dataset loadDataset(const std::string& path);

/// What `plexus-cli info` shows without loading the big arrays.
struct DatasetSummary
{
    std::int64_t frames = 0, neurons = 0, stimulusReceivers = 0, types = 0;
    std::vector<std::int64_t> neuronsPerType;
    std::string signalModel, inputType, inputMode;
    double deltaT = 0.0;
    std::int64_t startFrame = 0;
    int formatVersion = 0;
    std::int64_t fileBytes = 0;
    double connectivityNonZeroFraction = 0.0, connectivityMaxAbs = 0.0;
};
DatasetSummary readDatasetSummary(const std::string& path);

} // namespace plexus
