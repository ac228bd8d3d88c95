#include "plexus/data/authors_layout.h"

#include "plexus/data/npy_file.h"
#include "plexus/util/errors.h"

#include <filesystem>
#include <fstream>

namespace plexus {

namespace fs = std::filesystem;

namespace {

constexpr std::int64_t kColumns = 8;

void writeStateList(const Dataset& d, const std::string& path, const Progress& progress)
{
    const std::int64_t n = d.neurons(), t = d.frames();
    NpyWriter writer(path, {t, n, kColumns});
    std::vector<float> frame(static_cast<std::size_t>(n * kColumns));
    Eigen::VectorXf external(n);
    for (std::int64_t f = 0; f < t; ++f) {
        if (progress.shouldStop())
            throw CancelledError();
        d.externalColumn(f, external);
        for (std::int64_t i = 0; i < n; ++i) {
            float* row = &frame[static_cast<std::size_t>(i * kColumns)];
            row[0] = static_cast<float>(i);
            row[1] = d.positions(i, 0);
            row[2] = d.positions(i, 1);
            row[3] = d.activity(f, i);
            row[4] = external(i);
            row[5] = 1.0f;
            row[6] = static_cast<float>(d.types[static_cast<std::size_t>(i)]);
            row[7] = 0.0f;
        }
        writer.write(frame.data(), n * kColumns);
        if (f % 256 == 0)
            progress.update("exporting x_list_0.npy", f, t);
    }
    writer.commit();
}

std::ifstream openNpy(const std::string& path, NpyHeader& header)
{
    if (!fs::exists(path))
        throw InputError(path + ": not found (expected the authors' layout: x_list_0.npy, y_list_0.npy)");
    std::ifstream in(path, std::ios::binary);
    header = readNpyHeader(in, path);
    if (header.descr != "<f4")
        throw InputError(path + ": expected float32 ('<f4') values, got '" + header.descr + "'");
    return in;
}

void readStateList(Dataset& d, const std::string& path, const AuthorsImportOptions& options, const Progress& progress)
{
    NpyHeader header;
    std::ifstream in = openNpy(path, header);
    if (header.shape.size() != 3 || header.shape[2] != kColumns)
        throw InputError(path + ": expected shape (frames, N, 8), got rank " + std::to_string(header.shape.size()));
    const std::int64_t t = header.shape[0], n = header.shape[1];
    d.activity.resize(t, n);
    FrameMatrix external(t, n);
    std::vector<float> frame(static_cast<std::size_t>(n * kColumns));
    for (std::int64_t f = 0; f < t; ++f) {
        if (!in.read(reinterpret_cast<char*>(frame.data()), static_cast<std::streamsize>(frame.size() * 4)))
            throw InputError(path + ": truncated at frame " + std::to_string(f) + " of " + std::to_string(t));
        for (std::int64_t i = 0; i < n; ++i) {
            d.activity(f, i) = frame[static_cast<std::size_t>(i * kColumns + 3)];
            external(f, i) = frame[static_cast<std::size_t>(i * kColumns + 4)];
        }
        if (f == 0) {
            d.positions.resize(n, 2);
            d.types.resize(static_cast<std::size_t>(n));
            for (std::int64_t i = 0; i < n; ++i) {
                d.positions(i, 0) = frame[static_cast<std::size_t>(i * kColumns + 1)];
                d.positions(i, 1) = frame[static_cast<std::size_t>(i * kColumns + 2)];
                d.types[static_cast<std::size_t>(i)] = static_cast<std::int32_t>(frame[static_cast<std::size_t>(i * kColumns + 6)]);
            }
        }
        if (progress.shouldStop())
            throw CancelledError();
        if (f % 256 == 0)
            progress.update("importing x_list_0.npy", f, t);
    }
    const bool anyInput = (external.array() != 0.0f).any();
    d.inputMode = !options.inputMode.empty() ? options.inputMode : anyInput ? "multiplicative" : "none";
    d.inputType = d.inputMode == "none" ? "none" : "imported";
    const std::int64_t m = d.inputMode == "none" ? 0 : options.inputNeurons < 0 ? n : std::min(options.inputNeurons, n);
    d.stimulus = external.leftCols(m);
}

} // namespace

void exportAuthorsLayout(const Dataset& d, const std::string& folder, const Progress& progress)
{
    fs::create_directories(folder);
    writeStateList(d, (fs::path(folder) / "x_list_0.npy").string(), progress);
    writeNpy((fs::path(folder) / "y_list_0.npy").string(), {d.frames(), d.neurons(), 1}, d.derivative.data());
    FrameMatrix w = d.connectivity;
    writeNpy((fs::path(folder) / "connectivity.npy").string(), {w.rows(), w.cols()}, w.data());
}

Dataset importAuthorsLayout(const std::string& folder, const AuthorsImportOptions& options, const Progress& progress)
{
    if (!fs::is_directory(folder))
        throw InputError(folder + ": not a folder (expected one holding x_list_0.npy and y_list_0.npy)");
    Dataset d;
    d.signalModel = options.signalModel;
    d.deltaT = options.deltaT;
    readStateList(d, (fs::path(folder) / "x_list_0.npy").string(), options, progress);
    const std::string yPath = (fs::path(folder) / "y_list_0.npy").string();
    NpyHeader header;
    std::vector<float> y = readNpyAsFloat(yPath, &header);
    if (header.elementCount() != d.frames() * d.neurons())
        throw InputError(yPath + ": expected shape (" + std::to_string(d.frames()) + ", " +
                         std::to_string(d.neurons()) + ", 1) to match x_list_0.npy");
    d.derivative = Eigen::Map<FrameMatrix>(y.data(), d.frames(), d.neurons());
    const std::string wPath = (fs::path(folder) / "connectivity.npy").string();
    if (fs::exists(wPath)) {
        std::vector<float> w = readNpyAsFloat(wPath, &header);
        if (header.shape.size() != 2 || header.shape[0] != d.neurons() || header.shape[1] != d.neurons())
            throw InputError(wPath + ": expected shape (" + std::to_string(d.neurons()) + ", " +
                             std::to_string(d.neurons()) + ")");
        d.connectivity = Eigen::Map<FrameMatrix>(w.data(), d.neurons(), d.neurons());
    }
    d.checkConsistent(folder);
    return d;
}

} // namespace plexus
