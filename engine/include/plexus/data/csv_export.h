#pragma once

#include "plexus/data/dataset.h"
#include "plexus/util/progress.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace plexus {

/// Which part of a dataset to write as CSV.
struct CsvSelection
{
    std::vector<std::int64_t> neurons; ///< empty: all
    std::int64_t firstFrame = 0;
    std::int64_t lastFrame = -1;       ///< −1: the last frame
};

/// Parses "0-9,15,20-22" into neuron indices, each < n. Throws InputError on bad syntax or range.
std::vector<std::int64_t> parseIndexList(const std::string& text, std::int64_t n);

/// Parses a `--frames` range "FIRST:LAST", inclusive, either side optional ("25000:" to the end): {first, last},
/// last −1 for the end. Throws InputError naming the option on bad syntax.
std::pair<std::int64_t, std::int64_t> parseFrameRange(const std::string& text);

/// Traces as CSV: a header `frame,time,<prefix>0,…` then one row per frame (time = frame·Δt).
/// `values` is the activity or the derivative. Written atomically.
void exportTracesCsv(const Dataset& data, const FrameMatrix& values, const std::string& prefix,
                     const std::string& path, const CsvSelection& selection, const Progress& progress = {});

/// neurons.csv: id, type, x, y.
void exportNeuronsCsv(const Dataset& data, const std::string& path);

/// A matrix as CSV (no header), e.g. W with row = postsynaptic neuron.
void exportMatrixCsv(const Eigen::MatrixXf& matrix, const std::string& path);

} // namespace plexus
