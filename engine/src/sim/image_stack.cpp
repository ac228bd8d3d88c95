#include "plexus/sim/image_stack.h"

#include "plexus/sim/rng.h"
#include "plexus/util/atomic_file.h"
#include "plexus/util/errors.h"

#include <png.h>
#include <tiffio.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <memory>
#include <numbers>

namespace plexus {

namespace fs = std::filesystem;

ImageStack ImageStack::resampled(std::int64_t side) const
{
    if (height == side && width == side)
        return *this;
    ImageStack out{frames, side, side, std::vector<float>(static_cast<std::size_t>(frames * side * side))};
    for (std::int64_t f = 0; f < frames; ++f)
        for (std::int64_t r = 0; r < side; ++r)
            for (std::int64_t c = 0; c < side; ++c) {
                // Pixel centres aligned (as image resizing does).
                double y = std::clamp((r + 0.5) * height / static_cast<double>(side) - 0.5, 0.0, height - 1.0);
                double x = std::clamp((c + 0.5) * width / static_cast<double>(side) - 0.5, 0.0, width - 1.0);
                auto y0 = static_cast<std::int64_t>(y), x0 = static_cast<std::int64_t>(x);
                auto y1 = std::min(y0 + 1, height - 1), x1 = std::min(x0 + 1, width - 1);
                double fy = y - y0, fx = x - x0;
                double v = (1 - fy) * ((1 - fx) * at(f, y0, x0) + fx * at(f, y0, x1)) +
                           fy * ((1 - fx) * at(f, y1, x0) + fx * at(f, y1, x1));
                out.pixels[static_cast<std::size_t>((f * side + r) * side + c)] = static_cast<float>(v);
            }
    return out;
}

namespace {

struct TiffCloser
{
    void operator()(TIFF* t) const { TIFFClose(t); }
};

void silenceTiffWarnings()
{
    TIFFSetWarningHandler(nullptr);
    TIFFSetErrorHandler(nullptr);
}

float toFloat(const unsigned char* p, std::uint16_t bits, std::uint16_t format)
{
    if (format == SAMPLEFORMAT_IEEEFP && bits == 32)
        return *reinterpret_cast<const float*>(p);
    if (format == SAMPLEFORMAT_IEEEFP && bits == 64)
        return static_cast<float>(*reinterpret_cast<const double*>(p));
    if (bits == 8)
        return 0.5f + *p / 255.0f;
    return 0.5f + *reinterpret_cast<const std::uint16_t*>(p) / 65535.0f;
}

ImageStack loadTiff(const std::string& path)
{
    silenceTiffWarnings();
    std::unique_ptr<TIFF, TiffCloser> tif(TIFFOpen(path.c_str(), "r"));
    if (!tif)
        throw InputError(path + ": cannot open as a TIFF image stack");
    ImageStack stack;
    do {
        std::uint32_t w = 0, h = 0;
        std::uint16_t bits = 8, samples = 1, format = SAMPLEFORMAT_UINT;
        TIFFGetField(tif.get(), TIFFTAG_IMAGEWIDTH, &w);
        TIFFGetField(tif.get(), TIFFTAG_IMAGELENGTH, &h);
        TIFFGetFieldDefaulted(tif.get(), TIFFTAG_BITSPERSAMPLE, &bits);
        TIFFGetFieldDefaulted(tif.get(), TIFFTAG_SAMPLESPERPIXEL, &samples);
        TIFFGetFieldDefaulted(tif.get(), TIFFTAG_SAMPLEFORMAT, &format);
        bool supported = samples == 1 && (bits == 8 || bits == 16 || (format == SAMPLEFORMAT_IEEEFP && bits >= 32));
        if (!supported)
            throw InputError(path + ": page " + std::to_string(stack.frames) +
                             ": expected one grey channel of 8/16-bit integers or 32/64-bit floats, got " +
                             std::to_string(samples) + " channel(s) of " + std::to_string(bits) + " bits");
        if (stack.frames == 0) {
            stack.width = w;
            stack.height = h;
        } else if (w != stack.width || h != stack.height) {
            throw InputError(path + ": page " + std::to_string(stack.frames) + " is " + std::to_string(w) + "×" +
                             std::to_string(h) + ", expected " + std::to_string(stack.width) + "×" +
                             std::to_string(stack.height) + " like the first page");
        }
        std::vector<unsigned char> line(static_cast<std::size_t>(TIFFScanlineSize(tif.get())));
        for (std::uint32_t r = 0; r < h; ++r) {
            if (TIFFReadScanline(tif.get(), line.data(), r, 0) < 0)
                throw InputError(path + ": page " + std::to_string(stack.frames) + " row " + std::to_string(r) +
                                 " cannot be read (tiled or compressed in an unsupported way?)");
            for (std::uint32_t c = 0; c < w; ++c)
                stack.pixels.push_back(toFloat(line.data() + c * (bits / 8), bits, format));
        }
        ++stack.frames;
    } while (TIFFReadDirectory(tif.get()));
    return stack;
}

ImageStack loadPngFolder(const std::string& folder)
{
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(folder)) {
        std::string ext = entry.path().extension().string();
        std::transform(ext.begin(), ext.end(), ext.begin(), ::tolower);
        if (entry.is_regular_file() && ext == ".png")
            files.push_back(entry.path());
    }
    if (files.empty())
        throw InputError(folder + ": expected PNG frames in this folder, found none");
    std::sort(files.begin(), files.end());
    ImageStack stack;
    for (const auto& file : files) {
        png_image image{};
        image.version = PNG_IMAGE_VERSION;
        if (!png_image_begin_read_from_file(&image, file.c_str()))
            throw InputError(file.string() + ": cannot read as PNG (" + image.message + ")");
        image.format = PNG_FORMAT_GRAY;
        std::vector<unsigned char> grey(PNG_IMAGE_SIZE(image));
        if (!png_image_finish_read(&image, nullptr, grey.data(), 0, nullptr))
            throw InputError(file.string() + ": cannot decode PNG (" + image.message + ")");
        if (stack.frames == 0) {
            stack.width = image.width;
            stack.height = image.height;
        } else if (image.width != stack.width || image.height != stack.height) {
            throw InputError(file.string() + ": is " + std::to_string(image.width) + "×" +
                             std::to_string(image.height) + ", expected " + std::to_string(stack.width) + "×" +
                             std::to_string(stack.height) + " like " + files.front().filename().string());
        }
        for (unsigned char v : grey)
            stack.pixels.push_back(0.5f + v / 255.0f);
        ++stack.frames;
    }
    return stack;
}

} // namespace

ImageStack loadImageStack(const std::string& path)
{
    if (!fs::exists(path))
        throw InputError(path + ": movie not found");
    ImageStack stack = fs::is_directory(path) ? loadPngFolder(path) : loadTiff(path);
    if (stack.frames == 0 || stack.width == 0 || stack.height == 0)
        throw InputError(path + ": the movie holds no image");
    for (float v : stack.pixels)
        if (!std::isfinite(v))
            throw InputError(path + ": the movie holds NaN or infinite values");
    return stack;
}

ImageStack syntheticMovie(const std::string& kind, std::int64_t frames, std::int64_t side, std::uint64_t seed)
{
    if (kind != "blobs" && kind != "gratings")
        throw InputError("simulation.node_value_map: unknown built-in movie 'builtin:" + kind +
                         "'; expected builtin:blobs or builtin:gratings");
    Rng rng(seed);
    ImageStack movie{frames, side, side, std::vector<float>(static_cast<std::size_t>(frames * side * side))};
    constexpr int kBlobs = 4;
    double px[kBlobs], py[kBlobs], vx[kBlobs], vy[kBlobs], radius[kBlobs], sign[kBlobs];
    for (int b = 0; b < kBlobs; ++b) {
        px[b] = rng.uniform();
        py[b] = rng.uniform();
        double angle = rng.uniform(0.0, 2.0 * std::numbers::pi);
        vx[b] = 0.012 * std::cos(angle);
        vy[b] = 0.012 * std::sin(angle);
        radius[b] = rng.uniform(0.08, 0.18);
        sign[b] = b % 2 ? -1.0 : 1.0;
    }
    const double phase0 = rng.uniform(0.0, 2.0 * std::numbers::pi);
    for (std::int64_t f = 0; f < frames; ++f) {
        const double theta = phase0 + 2.0 * std::numbers::pi * f / std::max<std::int64_t>(frames, 1) * 0.5;
        for (std::int64_t r = 0; r < side; ++r)
            for (std::int64_t c = 0; c < side; ++c) {
                double x = (c + 0.5) / side, y = (r + 0.5) / side, v = 0.0;
                if (kind == "blobs") {
                    for (int b = 0; b < kBlobs; ++b) {
                        double d2 = (x - px[b]) * (x - px[b]) + (y - py[b]) * (y - py[b]);
                        v += sign[b] * 0.5 * std::exp(-d2 / (2.0 * radius[b] * radius[b]));
                    }
                } else {
                    double k = 2.0 * std::numbers::pi * 3.0;
                    v = 0.5 * std::sin(k * (x * std::cos(theta) + y * std::sin(theta)) - 0.15 * f);
                }
                movie.pixels[static_cast<std::size_t>((f * side + r) * side + c)] =
                    static_cast<float>(std::clamp(1.0 + v, 0.5, 1.5));
            }
        for (int b = 0; b < kBlobs; ++b) { // drift and bounce off the borders
            px[b] += vx[b];
            py[b] += vy[b];
            if (px[b] < 0.0 || px[b] > 1.0)
                vx[b] = -vx[b];
            if (py[b] < 0.0 || py[b] > 1.0)
                vy[b] = -vy[b];
        }
    }
    return movie;
}

void saveTiffStack(const ImageStack& stack, const std::string& path)
{
    silenceTiffWarnings();
    AtomicFile file(path);
    {
        std::unique_ptr<TIFF, TiffCloser> tif(TIFFOpen(file.temporaryPath().c_str(), "w"));
        if (!tif)
            throw InputError(path + ": cannot write");
        for (std::int64_t f = 0; f < stack.frames; ++f) {
            TIFFSetField(tif.get(), TIFFTAG_IMAGEWIDTH, static_cast<std::uint32_t>(stack.width));
            TIFFSetField(tif.get(), TIFFTAG_IMAGELENGTH, static_cast<std::uint32_t>(stack.height));
            TIFFSetField(tif.get(), TIFFTAG_BITSPERSAMPLE, 32);
            TIFFSetField(tif.get(), TIFFTAG_SAMPLESPERPIXEL, 1);
            TIFFSetField(tif.get(), TIFFTAG_SAMPLEFORMAT, SAMPLEFORMAT_IEEEFP);
            TIFFSetField(tif.get(), TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISBLACK);
            TIFFSetField(tif.get(), TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
            TIFFSetField(tif.get(), TIFFTAG_ROWSPERSTRIP, static_cast<std::uint32_t>(stack.height));
            for (std::int64_t r = 0; r < stack.height; ++r) {
                auto* row = const_cast<float*>(&stack.pixels[static_cast<std::size_t>((f * stack.height + r) * stack.width)]);
                if (TIFFWriteScanline(tif.get(), row, static_cast<std::uint32_t>(r), 0) < 0)
                    throw InputError(path + ": write failed");
            }
            TIFFWriteDirectory(tif.get());
        }
    }
    file.commit();
}

} // namespace plexus
