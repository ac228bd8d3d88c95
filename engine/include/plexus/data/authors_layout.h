#pragma once

#include "plexus/data/dataset.h"
#include "plexus/util/progress.h"

#include <cstdint>
#include <string>

namespace plexus {

/// Writes the authors' layout into `folder` (docs/method.md §A.1): x_list_0.npy (frames, N, 8) with columns
/// [id, x, y, u, external_input, plasticity = 1, type, calcium = 0], y_list_0.npy (frames, N, 1) holding du/dt,
/// and connectivity.npy (N, N). Every file is written atomically.
void exportAuthorsLayout(const Dataset& data, const std::string& folder, const Progress& progress = {});

/// How to read what the authors' files do not say.
struct AuthorsImportOptions
{
    std::string signalModel = "PDE_N2";
    std::string inputMode;            ///< empty: "none" when column 4 is all zero, else "multiplicative"
    std::int64_t inputNeurons = -1;   ///< receivers 0..M−1 of the external input; −1: all N when any input
    double deltaT = 0.01;
};

/// Reads x_list_0.npy, y_list_0.npy and (when present) connectivity.npy from `folder`.
/// Throws InputError naming the file and the expected shape.
Dataset importAuthorsLayout(const std::string& folder, const AuthorsImportOptions& options = {},
                            const Progress& progress = {});

} // namespace plexus
