#include "recording_readers.h"

#include "plexus/data/npy_file.h"
#include "plexus/util/errors.h"

#include <H5Cpp.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace plexus {

namespace fs = std::filesystem;

std::string shapeText(std::int64_t rows, std::int64_t cols)
{
    return std::to_string(rows) + " × " + std::to_string(cols);
}

MatrixLayout resolveLayout(std::int64_t rows, std::int64_t cols, MatrixLayout layout, std::string* text)
{
    if (layout == MatrixLayout::Guess) {
        layout = rows >= cols ? MatrixLayout::TimeByNeurons : MatrixLayout::NeuronsByTime;
        *text = std::string(layout == MatrixLayout::TimeByNeurons ? "time-by-neurons" : "neurons-by-time") +
                " (guessed: the longer axis is time; --layout says otherwise)";
    } else {
        *text = layout == MatrixLayout::TimeByNeurons ? "time-by-neurons" : "neurons-by-time";
    }
    return layout;
}

namespace {

constexpr std::int64_t kBandValues = 1 << 20; // 4 MB of float32 per band read

/// Calls `use(k0, band)` for the rows listed in `keep` (all rows when null), a band at a time: `band` holds rows
/// keep[k0 ..] of the matrix, one per row.
void forEachNeuronBand(const MatrixRows& m, const std::vector<std::int64_t>* keep,
                       const std::function<void(Eigen::Index, const FrameMatrix&)>& use)
{
    std::vector<std::int64_t> all;
    if (!keep) {
        all.resize(static_cast<std::size_t>(m.rows));
        for (std::int64_t r = 0; r < m.rows; ++r)
            all[static_cast<std::size_t>(r)] = r;
        keep = &all;
    }
    const std::int64_t bandRows = std::max<std::int64_t>(1, kBandValues / std::max<std::int64_t>(m.cols, 1));
    FrameMatrix read, band;
    std::size_t next = 0; // the next entry of keep to place
    for (std::int64_t first = 0; first < m.rows && next < keep->size(); first += bandRows) {
        const std::int64_t count = std::min(bandRows, m.rows - first);
        if ((*keep)[next] >= first + count)
            continue; // no kept row in this band
        read.resize(count, m.cols);
        m.read(first, count, read.data());
        std::size_t end = next;
        while (end < keep->size() && (*keep)[end] >= first && (*keep)[end] < first + count)
            ++end;
        band.resize(static_cast<Eigen::Index>(end - next), m.cols);
        for (std::size_t k = next; k < end; ++k)
            band.row(static_cast<Eigen::Index>(k - next)) = read.row((*keep)[k] - first);
        use(static_cast<Eigen::Index>(next), band);
        next = end;
    }
}

} // namespace

FrameMatrix readFrames(const MatrixRows& m, MatrixLayout layout, const std::vector<std::int64_t>* keep)
{
    if (layout == MatrixLayout::TimeByNeurons) {
        FrameMatrix u(m.rows, m.cols);
        m.read(0, m.rows, u.data());
        return u;
    }
    FrameMatrix u(m.cols, keep ? static_cast<Eigen::Index>(keep->size()) : m.rows);
    forEachNeuronBand(m, keep, [&](Eigen::Index k0, const FrameMatrix& band) {
        u.middleCols(k0, band.rows()) = band.transpose();
    });
    return u;
}

void subtractNeuronRows(const MatrixRows& m, const std::vector<std::int64_t>& keep, float factor, FrameMatrix& u)
{
    forEachNeuronBand(m, &keep, [&](Eigen::Index k0, const FrameMatrix& band) {
        u.middleCols(k0, band.rows()) -= factor * band.transpose();
    });
}

MatrixRows memoryRows(const RawMatrix& matrix)
{
    MatrixRows rows;
    rows.rows = matrix.rows;
    rows.cols = matrix.cols;
    rows.read = [&matrix](std::int64_t first, std::int64_t count, float* out) {
        std::copy_n(matrix.values.data() + first * matrix.cols, count * matrix.cols, out);
    };
    return rows;
}

namespace {

/// One CSV cell as a number (empty, nan, NA: NaN); `ok` false when it is not a number.
float parseCell(const std::string& cell, bool* ok)
{
    std::string text = cell;
    text.erase(0, text.find_first_not_of(" \t\r"));
    text.erase(text.find_last_not_of(" \t\r") + 1);
    if (text.empty() || text == "nan" || text == "NaN" || text == "NA") {
        *ok = true;
        return std::nanf("");
    }
    char* end = nullptr;
    const float value = std::strtof(text.c_str(), &end);
    *ok = end && *end == '\0';
    return value;
}

RawMatrix readCsv(const std::string& path)
{
    std::ifstream in(path);
    if (!in)
        throw InputError(path + ": cannot open");
    RawMatrix m;
    std::string line;
    std::int64_t lineNumber = 0;
    while (std::getline(in, line)) {
        ++lineNumber;
        if (line.empty() || line[0] == '#')
            continue;
        std::vector<float> row;
        std::stringstream cells(line);
        std::string cell;
        bool numeric = true;
        while (std::getline(cells, cell, ',')) {
            bool ok = false;
            row.push_back(parseCell(cell, &ok));
            numeric = numeric && ok;
        }
        if (!numeric) {
            if (m.rows == 0 && m.header.empty()) { // a header line
                std::stringstream names(line);
                std::string name;
                while (std::getline(names, name, ','))
                    m.header.push_back(name);
                continue;
            }
            throw InputError(path + ":" + std::to_string(lineNumber) + ": expected numbers separated by commas");
        }
        if (m.rows > 0 && static_cast<std::int64_t>(row.size()) != m.cols)
            throw InputError(path + ":" + std::to_string(lineNumber) + ": " + std::to_string(row.size()) +
                             " values, expected " + std::to_string(m.cols) + " like the first row");
        m.cols = static_cast<std::int64_t>(row.size());
        m.values.insert(m.values.end(), row.begin(), row.end());
        ++m.rows;
    }
    if (m.rows == 0)
        throw InputError(path + ": no rows of numbers");
    return m;
}

/// A 2-D NPY file, read a band of rows at a time.
MatrixRows npyRows(const std::string& path)
{
    auto reader = std::make_shared<NpyReader>(path);
    const NpyHeader& header = reader->header();
    if (header.shape.size() != 2)
        throw InputError(path + ": expected a 2-D array (neurons and frames), got " + std::to_string(header.shape.size()) +
                         " dimensions");
    MatrixRows rows;
    rows.rows = header.shape[0];
    rows.cols = header.shape[1];
    rows.read = [reader, cols = rows.cols](std::int64_t first, std::int64_t count, float* out) {
        reader->read(first * cols, count * cols, out);
    };
    return rows;
}

RawMatrix readNpyMatrix(const std::string& path)
{
    const MatrixRows rows = npyRows(path);
    RawMatrix m;
    m.rows = rows.rows;
    m.cols = rows.cols;
    m.values.resize(static_cast<std::size_t>(m.rows * m.cols));
    rows.read(0, m.rows, m.values.data());
    return m;
}

/// A 2-D HDF5 dataset, read a band of rows at a time (converted to float32 by the library).
MatrixRows hdf5Rows(const H5::H5File& file, const std::string& name, const std::string& path)
{
    if (!file.nameExists(name))
        throw InputError(path + ": no dataset '" + name + "'");
    H5::DataSet set = file.openDataSet(name);
    H5::DataSpace space = set.getSpace();
    if (space.getSimpleExtentNdims() != 2)
        throw InputError(path + ": '" + name + "' has " + std::to_string(space.getSimpleExtentNdims()) +
                         " dimensions, expected 2");
    hsize_t dims[2];
    space.getSimpleExtentDims(dims);
    MatrixRows rows;
    rows.rows = static_cast<std::int64_t>(dims[0]);
    rows.cols = static_cast<std::int64_t>(dims[1]);
    rows.read = [set, cols = dims[1]](std::int64_t first, std::int64_t count, float* out) {
        hsize_t offset[2] = {static_cast<hsize_t>(first), 0}, extent[2] = {static_cast<hsize_t>(count), cols};
        H5::DataSpace fileSpace = set.getSpace();
        fileSpace.selectHyperslab(H5S_SELECT_SET, extent, offset);
        H5::DataSpace memorySpace(2, extent);
        set.read(out, H5::PredType::NATIVE_FLOAT, memorySpace, fileSpace);
    };
    return rows;
}

/// The 2-D datasets of an HDF5 file, by path.
void listMatrices(const H5::Group& group, const std::string& prefix, std::vector<std::string>& out)
{
    for (hsize_t i = 0; i < group.getNumObjs(); ++i) {
        const std::string name = group.getObjnameByIdx(i);
        const std::string path = prefix + "/" + name;
        const H5G_obj_t type = group.getObjTypeByIdx(i);
        if (type == H5G_GROUP)
            listMatrices(group.openGroup(name), path, out);
        else if (type == H5G_DATASET && group.openDataSet(name).getSpace().getSimpleExtentNdims() == 2)
            out.push_back(path);
    }
}

H5::H5File openHdf5(const std::string& path)
{
    H5::Exception::dontPrint();
    if (!fs::exists(path))
        throw InputError(path + ": no such file");
    if (!H5::H5File::isHdf5(path))
        throw InputError(path + ": not an HDF5 file");
    return H5::H5File(path, H5F_ACC_RDONLY);
}

std::string lowercase(std::string text)
{
    text.erase(0, text.find_first_not_of(" \t\r\""));
    text.erase(text.find_last_not_of(" \t\r\"") + 1);
    for (char& c : text)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

/// 1 / the median step of `times`; InputError when a step departs from it by more than 1 % (the model needs a
/// regular sampling).
double regularRate(const std::vector<double>& times, const std::string& path, const std::string& what)
{
    if (times.size() < 2)
        return 0.0;
    std::vector<double> steps(times.size() - 1);
    for (std::size_t i = 1; i < times.size(); ++i)
        steps[i - 1] = times[i] - times[i - 1];
    std::vector<double> sorted = steps;
    std::nth_element(sorted.begin(), sorted.begin() + static_cast<long>(sorted.size() / 2), sorted.end());
    const double median = sorted[sorted.size() / 2];
    for (std::size_t i = 0; i < steps.size(); ++i)
        if (!(median > 0) || std::fabs(steps[i] - median) > 0.01 * median)
            throw InputError(path + ": " + what + " is irregular: frame " + std::to_string(i + 1) + " comes " +
                             std::to_string(steps[i]) + " after the previous one, the median step is " +
                             std::to_string(median) + " (the model needs a regular sampling)");
    return 1.0 / median;
}

/// A CSV's columns named frame, index, time, t or timestamp are not neurons: dropped (the time column gives the rate).
RawMatrix withoutIndexColumns(const RawMatrix& m, std::vector<double>* times, std::vector<std::string>* notes)
{
    std::vector<std::int64_t> keep;
    for (std::int64_t c = 0; c < m.cols; ++c) {
        const std::string name = c < static_cast<std::int64_t>(m.header.size()) ? lowercase(m.header[c]) : "";
        if (name == "frame" || name == "index") {
            notes->push_back("column '" + m.header[c] + "' is a frame index, not a neuron");
            continue;
        }
        if (name == "time" || name == "t" || name == "timestamp" || name == "time_s" || name == "seconds") {
            for (std::int64_t r = 0; r < m.rows; ++r)
                times->push_back(m.at(r, c));
            notes->push_back("column '" + m.header[c] + "' holds the times of the frames");
            continue;
        }
        keep.push_back(c);
    }
    RawMatrix out;
    out.rows = m.rows;
    out.cols = static_cast<std::int64_t>(keep.size());
    out.header = {"named"};
    out.values.reserve(static_cast<std::size_t>(out.rows * out.cols));
    for (std::int64_t r = 0; r < m.rows; ++r)
        for (std::int64_t c : keep)
            out.values.push_back(m.at(r, c));
    return out;
}

/// The one 2-D dataset of an HDF5 file, or the one --dataset names.
std::string hdf5MatrixName(const H5::H5File& file, const std::string& path, const std::string& wanted)
{
    if (!wanted.empty())
        return wanted;
    std::vector<std::string> matrices;
    listMatrices(file.openGroup("/"), "", matrices);
    if (matrices.size() != 1) {
        std::string list;
        for (const auto& s : matrices)
            list += (list.empty() ? "" : ", ") + s;
        throw InputError(path + ": " + std::to_string(matrices.size()) + " 2-D datasets; say which with --dataset" +
                         (list.empty() ? "" : " (" + list + ")"));
    }
    return matrices.front();
}

ReadRecording readCsvRecording(const std::string& path, const RecordingOptions& o)
{
    RawMatrix m = readCsv(path);
    ReadRecording r;
    MatrixLayout layout = MatrixLayout::TimeByNeurons;
    std::vector<double> times;
    if (!m.header.empty()) {
        m = withoutIndexColumns(m, &times, &r.notes);
        r.layout = "time-by-neurons (a CSV with named columns)";
    } else {
        layout = resolveLayout(m.rows, m.cols, o.layout, &r.layout);
    }
    r.activity = readFrames(memoryRows(m), layout);
    r.neuronsRead = r.activity.cols();
    if (!times.empty()) {
        r.rate = regularRate(times, path, "the time column");
        r.rateSource = "the time column";
    }
    return r;
}

ReadRecording readMatrixFile(const std::string& path, const RecordingOptions& o)
{
    if (o.format == "csv")
        return readCsvRecording(path, o);
    ReadRecording r;
    MatrixRows rows;
    if (o.format == "npy") {
        rows = npyRows(path);
    } else {
        const H5::H5File file = openHdf5(path);
        rows = hdf5Rows(file, hdf5MatrixName(file, path, o.dataset), path);
    }
    r.activity = readFrames(rows, resolveLayout(rows.rows, rows.cols, o.layout, &r.layout));
    r.neuronsRead = r.activity.cols();
    return r;
}

/// A pickled Python float or int after the key `key` in a suite2p ops.npy (pickle protocols 2–5).
double pickledNumberAfter(const std::string& bytes, const std::string& key)
{
    const std::string patterns[] = {std::string("\x8c") + static_cast<char>(key.size()) + key,        // SHORT_BINUNICODE
                                    std::string("X") + static_cast<char>(key.size()) + std::string(3, '\0') + key,
                                    std::string("U") + static_cast<char>(key.size()) + key};      // SHORT_BINSTRING
    for (const std::string& pattern : patterns) {
        for (std::size_t at = bytes.find(pattern); at != std::string::npos; at = bytes.find(pattern, at + 1)) {
            std::size_t p = at + pattern.size();
            // The key may be remembered first: MEMOIZE (protocol 4+), BINPUT or LONG_BINPUT (protocol 2–3).
            if (p < bytes.size() && static_cast<unsigned char>(bytes[p]) == 0x94)
                p += 1;
            else if (p < bytes.size() && bytes[p] == 'q')
                p += 2;
            else if (p < bytes.size() && bytes[p] == 'r')
                p += 5;
            if (p + 9 <= bytes.size() && bytes[p] == 'G') { // BINFLOAT, big-endian double
                unsigned char b[8];
                for (int i = 0; i < 8; ++i)
                    b[i] = static_cast<unsigned char>(bytes[p + 1 + static_cast<std::size_t>(7 - i)]);
                double value;
                std::memcpy(&value, b, 8);
                return value;
            }
            if (p + 2 <= bytes.size() && bytes[p] == 'K') // BININT1
                return static_cast<unsigned char>(bytes[p + 1]);
            if (p + 3 <= bytes.size() && bytes[p] == 'M') // BININT2
                return static_cast<unsigned char>(bytes[p + 1]) | (static_cast<unsigned char>(bytes[p + 2]) << 8);
            if (p + 5 <= bytes.size() && bytes[p] == 'J') { // BININT
                std::int32_t value;
                std::memcpy(&value, bytes.data() + p + 1, 4);
                return value;
            }
        }
    }
    return 0.0;
}

ReadRecording readSuite2p(const std::string& folder, const RecordingOptions& o)
{
    const fs::path dir(folder);
    if (!fs::is_directory(dir))
        throw InputError(folder + ": expected a suite2p output folder (with F.npy)");
    const std::string fPath = (dir / "F.npy").string();
    if (!fs::exists(fPath))
        throw InputError(folder + ": no F.npy here; point at suite2p's plane folder (suite2p/plane0)");
    const MatrixRows f = npyRows(fPath); // [rois, frames]
    ReadRecording r;
    r.neuronsRead = f.rows;
    std::vector<std::int64_t> keep;
    const std::string cellsPath = (dir / "iscell.npy").string();
    if (!o.keepAllRois && fs::exists(cellsPath)) {
        const RawMatrix cells = readNpyMatrix(cellsPath); // [rois, 2]: is a cell, probability
        if (cells.rows != f.rows)
            throw InputError(cellsPath + ": " + std::to_string(cells.rows) + " ROIs, F.npy has " + std::to_string(f.rows));
        for (std::int64_t roi = 0; roi < f.rows; ++roi)
            if (cells.at(roi, 0) > 0.5f)
                keep.push_back(roi);
        r.notes.push_back("iscell.npy: kept " + std::to_string(keep.size()) + " of " + std::to_string(f.rows) + " ROIs");
    } else {
        for (std::int64_t roi = 0; roi < f.rows; ++roi)
            keep.push_back(roi);
    }
    if (keep.empty())
        throw InputError(cellsPath + ": no ROI is classified as a cell (--all-rois keeps them all)");
    r.activity = readFrames(f, MatrixLayout::NeuronsByTime, &keep);
    const std::string neuropilPath = (dir / "Fneu.npy").string();
    if (o.subtractNeuropil && fs::exists(neuropilPath)) {
        const MatrixRows neuropil = npyRows(neuropilPath);
        if (neuropil.rows != f.rows || neuropil.cols != f.cols)
            throw InputError(neuropilPath + ": " + shapeText(neuropil.rows, neuropil.cols) + ", expected " +
                             shapeText(f.rows, f.cols) + " like F.npy");
        subtractNeuronRows(neuropil, keep, static_cast<float>(o.neuropilFactor), r.activity);
        r.notes.push_back("neuropil subtracted: F − " + std::to_string(o.neuropilFactor).substr(0, 4) + " · Fneu");
    }
    r.layout = "suite2p F.npy (ROIs by frames)";
    const std::string opsPath = (dir / "ops.npy").string();
    if (fs::exists(opsPath)) {
        r.rate = suite2pFrameRate(opsPath);
        if (r.rate > 0)
            r.rateSource = "ops.npy";
        else
            r.notes.push_back("ops.npy holds no frame rate Plexus can read");
    }
    return r;
}

/// The RoiResponseSeries of an NWB file: the given path, or the first under processing/ophys (DfOverF first).
std::string findNwbSeries(const H5::H5File& file, const std::string& path, const std::string& wanted)
{
    if (!wanted.empty()) {
        std::string name = wanted[0] == '/' ? wanted : "/" + wanted;
        if (name.size() > 5 && name.substr(name.size() - 5) == "/data")
            name = name.substr(0, name.size() - 5);
        if (!file.nameExists(name) || !file.nameExists(name + "/data"))
            throw InputError(path + ": no series '" + wanted + "' with a data array");
        return name;
    }
    const std::string ophys = "/processing/ophys";
    if (!file.nameExists(ophys))
        throw InputError(path + ": no processing/ophys module (an NWB file with optical physiology is expected)");
    H5::Group module = file.openGroup(ophys);
    for (const char* kind : {"DfOverF", "Fluorescence"}) {
        for (hsize_t i = 0; i < module.getNumObjs(); ++i) {
            const std::string interfaceName = module.getObjnameByIdx(i);
            if (module.getObjTypeByIdx(i) != H5G_GROUP)
                continue;
            H5::Group interface = module.openGroup(interfaceName);
            std::string neurodataType;
            if (interface.attrExists("neurodata_type")) {
                H5::Attribute a = interface.openAttribute("neurodata_type");
                a.read(a.getStrType(), neurodataType);
            }
            if (neurodataType != kind && interfaceName != kind)
                continue;
            for (hsize_t j = 0; j < interface.getNumObjs(); ++j)
                if (interface.getObjTypeByIdx(j) == H5G_GROUP) {
                    const std::string series = ophys + "/" + interfaceName + "/" + interface.getObjnameByIdx(j);
                    if (file.nameExists(series + "/data"))
                        return series;
                }
        }
    }
    throw InputError(path + ": no DfOverF or Fluorescence series under processing/ophys; name one with --dataset");
}

ReadRecording readNwb(const std::string& path, const RecordingOptions& o)
{
    H5::H5File file = openHdf5(path);
    const std::string series = findNwbSeries(file, path, o.dataset);
    ReadRecording r;
    r.activity = readFrames(hdf5Rows(file, series + "/data", path), MatrixLayout::TimeByNeurons); // [time, ROIs]
    r.neuronsRead = r.activity.cols();
    r.layout = "NWB " + series + "/data (frames by ROIs)";
    if (file.nameExists(series + "/starting_time")) {
        H5::DataSet start = file.openDataSet(series + "/starting_time");
        if (start.attrExists("rate")) {
            start.openAttribute("rate").read(H5::PredType::NATIVE_DOUBLE, &r.rate);
            r.rateSource = "NWB rate";
        }
    } else if (file.nameExists(series + "/timestamps")) {
        H5::DataSet stamps = file.openDataSet(series + "/timestamps");
        hsize_t count = 0;
        stamps.getSpace().getSimpleExtentDims(&count);
        std::vector<double> t(count);
        stamps.read(t.data(), H5::PredType::NATIVE_DOUBLE);
        if (static_cast<Eigen::Index>(count) != r.activity.rows())
            throw InputError(path + ": " + series + "/timestamps holds " + std::to_string(count) + " times for " +
                             std::to_string(r.activity.rows()) + " frames");
        if (count >= 2) {
            r.rate = regularRate(t, path, series + "/timestamps");
            r.rateSource = "NWB timestamps";
        }
    }
    return r;
}

} // namespace

RawMatrix readTable(const std::string& path)
{
    return fs::path(path).extension() == ".npy" ? readNpyMatrix(path) : readCsv(path);
}

ReadRecording readRecordingFile(const std::string& path, const RecordingOptions& o)
{
    try {
        if (o.format == "suite2p")
            return readSuite2p(path, o);
        if (o.format == "nwb")
            return readNwb(path, o);
        if (o.format == "csv" || o.format == "npy" || o.format == "hdf5")
            return readMatrixFile(path, o);
    } catch (const H5::Exception& e) {
        throw InputError(path + ": cannot read (" + e.getDetailMsg() + ")");
    }
    throw InputError("--format: expected suite2p, nwb, csv, npy, hdf5 or authors, got '" + o.format + "'");
}

double suite2pFrameRate(const std::string& opsPath)
{
    std::ifstream in(opsPath, std::ios::binary);
    if (!in)
        throw InputError(opsPath + ": cannot open");
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return pickledNumberAfter(bytes, "fs");
}

} // namespace plexus
