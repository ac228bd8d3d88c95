#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace plexus {

/// A grey-level movie: frames × height × width values, row 0 at the top (as the file stores it).
struct ImageStack
{
    std::int64_t frames = 0;
    std::int64_t height = 0;
    std::int64_t width = 0;
    std::vector<float> pixels; ///< [frames, height, width], row-major

    float at(std::int64_t frame, std::int64_t row, std::int64_t col) const
    {
        return pixels[static_cast<std::size_t>((frame * height + row) * width + col)];
    }
    /// Bilinear resampling of every frame to side × side (unchanged when already that size).
    ImageStack resampled(std::int64_t side) const;
};

/// Loads a movie: a multi-page TIFF (float pixels taken as they are; 8/16-bit integers mapped to [0.5, 1.5])
/// or a folder of PNG files in name order (grey level mapped to [0.5, 1.5]).
/// Throws InputError naming the file and what was expected.
ImageStack loadImageStack(const std::string& path);

/// Plexus' own stimulus movies (values in [0.5, 1.5]), so no file is needed:
/// "blobs" = a few Gaussian blobs drifting and bouncing; "gratings" = drifting sine gratings of slowly turning
/// orientation. Deterministic for a seed.
ImageStack syntheticMovie(const std::string& kind, std::int64_t frames, std::int64_t side, std::uint64_t seed);

/// Writes a float32 multi-page TIFF (used by tests and `plexus-cli export`).
void saveTiffStack(const ImageStack& stack, const std::string& path);

} // namespace plexus
