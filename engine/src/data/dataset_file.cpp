#include "plexus/data/dataset_file.h"

#include "plexus/util/atomic_file.h"
#include "plexus/util/errors.h"

#include <H5Cpp.h>

#include <algorithm>
#include <filesystem>
#include <functional>

namespace plexus {

namespace fs = std::filesystem;

namespace {

constexpr const char* kFormatName = "plexus-dataset";

// ---------- writing ----------

void writeStringAttribute(H5::H5Object& object, const std::string& name, const std::string& value)
{
    H5::StrType type(H5::PredType::C_S1, H5T_VARIABLE);
    H5::Attribute attribute = object.createAttribute(name, type, H5::DataSpace(H5S_SCALAR));
    attribute.write(type, value);
}

template <class T>
void writeScalarAttribute(H5::H5Object& object, const std::string& name, const H5::PredType& type, T value)
{
    H5::Attribute attribute = object.createAttribute(name, type, H5::DataSpace(H5S_SCALAR));
    attribute.write(type, &value);
}

/// Rows start .. start + count − 1 of a row-major float32 array, valid until the next call.
using RowSlab = std::function<const float*(hsize_t start, hsize_t count)>;

/// Writes a row-major [rows, cols] float32 array in slabs of rows so long writes can report progress and stop.
void writeRows(H5::H5File& file, const std::string& name, const RowSlab& slabAt, hsize_t rows, hsize_t cols,
               const Progress& progress, std::int64_t& done, std::int64_t total)
{
    const auto& type = H5::PredType::NATIVE_FLOAT;
    hsize_t dims[2] = {rows, cols};
    H5::DataSpace space(2, dims);
    H5::DSetCreatPropList properties;
    if (rows > 0 && cols > 0) {
        hsize_t chunk[2] = {std::clamp<hsize_t>(262144 / std::max<hsize_t>(cols, 1), 1, rows), cols};
        properties.setChunk(2, chunk);
    }
    H5::DataSet dataset = file.createDataSet(name, type, space, properties);
    const hsize_t slab = std::max<hsize_t>(1, (1 << 24) / std::max<hsize_t>(cols * 4, 1));
    for (hsize_t start = 0; start < rows; start += slab) {
        if (progress.shouldStop())
            throw CancelledError();
        hsize_t count[2] = {std::min(slab, rows - start), cols};
        hsize_t offset[2] = {start, 0};
        H5::DataSpace fileSpace = dataset.getSpace();
        fileSpace.selectHyperslab(H5S_SELECT_SET, count, offset);
        H5::DataSpace memorySpace(2, count);
        dataset.write(slabAt(start, count[0]), type, memorySpace, fileSpace);
        done += static_cast<std::int64_t>(count[0] * cols * 4);
        progress.update("saving", done, total);
    }
}

/// The slabs of a matrix in memory.
RowSlab slabsOf(const FrameMatrix& m)
{
    return [&m](hsize_t start, hsize_t) { return m.data() + start * static_cast<hsize_t>(m.cols()); };
}

/// The slabs computed by `bands` into a buffer.
RowSlab slabsOf(const FrameBands& bands, FrameMatrix& buffer)
{
    return [&bands, &buffer](hsize_t start, hsize_t count) {
        bands(static_cast<std::int64_t>(start), static_cast<std::int64_t>(count), buffer);
        return static_cast<const float*>(buffer.data());
    };
}

/// A small array written at once; `rank` 1 ([rows]) or 2 ([rows, cols], possibly empty).
void writeSmall(H5::H5File& file, const std::string& name, const H5::PredType& type, const void* data, int rank,
                hsize_t rows, hsize_t cols = 0)
{
    hsize_t dims[2] = {rows, cols};
    H5::DataSpace space(rank, dims);
    H5::DataSet dataset = file.createDataSet(name, type, space);
    if (rows > 0 && (rank == 1 || cols > 0))
        dataset.write(data, type);
}

// ---------- reading ----------

std::vector<hsize_t> shapeOf(const H5::DataSet& dataset)
{
    H5::DataSpace space = dataset.getSpace();
    std::vector<hsize_t> dims(static_cast<std::size_t>(space.getSimpleExtentNdims()));
    space.getSimpleExtentDims(dims.data());
    return dims;
}

H5::DataSet openDataSet(const H5::H5File& file, const std::string& name, const std::string& path)
{
    if (!file.nameExists(name))
        throw InputError(path + ": not a Plexus dataset file: the '" + name + "' array is missing");
    return file.openDataSet(name);
}

template <class Matrix>
void readMatrix(const H5::H5File& file, const std::string& name, const H5::PredType& type, Matrix& out,
                const std::string& path)
{
    H5::DataSet dataset = openDataSet(file, name, path);
    auto dims = shapeOf(dataset);
    if (dims.size() != 2)
        throw InputError(path + ": '" + name + "' has " + std::to_string(dims.size()) + " dimensions, expected 2");
    Eigen::Matrix<typename Matrix::Scalar, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> rowMajor(dims[0], dims[1]);
    if (rowMajor.size() > 0)
        dataset.read(rowMajor.data(), type);
    out = rowMajor;
}

std::string readStringAttribute(const H5::H5Object& object, const std::string& name, const std::string& path)
{
    if (!object.attrExists(name))
        throw InputError(path + ": attribute '" + name + "' is missing");
    H5::Attribute attribute = object.openAttribute(name);
    std::string value;
    attribute.read(attribute.getStrType(), value);
    return value;
}

template <class T>
T readScalarAttribute(const H5::H5Object& object, const std::string& name, const H5::PredType& type,
                      const std::string& path)
{
    if (!object.attrExists(name))
        throw InputError(path + ": attribute '" + name + "' is missing");
    T value{};
    object.openAttribute(name).read(type, &value);
    return value;
}

H5::H5File openForReading(const std::string& path)
{
    if (!fs::exists(path))
        throw InputError(path + ": dataset file not found");
    if (!H5::H5File::isHdf5(path))
        throw InputError(path + ": not an HDF5 file (expected a Plexus dataset.h5)");
    H5::H5File file(path, H5F_ACC_RDONLY);
    std::string format = file.attrExists("format") ? readStringAttribute(file, "format", path) : "";
    if (format != kFormatName)
        throw InputError(path + ": an HDF5 file, but not a Plexus dataset (attribute format = '" + format +
                         "', expected '" + kFormatName + "')");
    int version = readScalarAttribute<int>(file, "format_version", H5::PredType::NATIVE_INT, path);
    if (version > kDatasetFormatVersion)
        throw InputError(path + ": written by a newer Plexus (format version " + std::to_string(version) +
                         ", this version reads up to " + std::to_string(kDatasetFormatVersion) + ")");
    return file;
}

/// Writes `d`, its activity and derivative from `activity` and `derivative` ([frames, N] each).
void writeAll(const Dataset& d, const RowSlab& activity, const RowSlab& derivative, H5::H5File& file,
              const Progress& progress)
{
    writeStringAttribute(file, "format", kFormatName);
    writeScalarAttribute(file, "format_version", H5::PredType::NATIVE_INT, kDatasetFormatVersion);
    writeStringAttribute(file, "signal_model_name", d.signalModel);
    writeStringAttribute(file, "external_input_type", d.inputType);
    writeStringAttribute(file, "external_input_mode", d.inputMode);
    writeScalarAttribute(file, "delta_t", H5::PredType::NATIVE_DOUBLE, d.deltaT);
    writeScalarAttribute(file, "start_frame", H5::PredType::NATIVE_INT64, d.startFrame);
    writeStringAttribute(file, "config", d.configYaml);

    const auto n = static_cast<hsize_t>(d.neurons()), t = static_cast<hsize_t>(d.frames());
    const auto m = static_cast<hsize_t>(d.stimulus.cols());
    const std::int64_t total = static_cast<std::int64_t>((2 * n + m) * t * 4);
    std::int64_t done = 0;
    const auto& f32 = H5::PredType::NATIVE_FLOAT;
    writeRows(file, "activity", activity, t, n, progress, done, total);
    writeRows(file, "derivative", derivative, t, n, progress, done, total);
    writeRows(file, "stimulus", slabsOf(d.stimulus), m > 0 ? t : 0, m, progress, done, total);
    writeSmall(file, "types", H5::PredType::NATIVE_INT32, d.types.data(), 1, static_cast<hsize_t>(d.types.size()));
    FrameMatrix positions = d.positions;
    writeSmall(file, "positions", f32, positions.data(), 2, n, 2);
    FrameMatrix w = d.connectivity;
    writeSmall(file, "connectivity", f32, w.data(), 2, static_cast<hsize_t>(w.rows()), static_cast<hsize_t>(w.cols()));
    Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> params = d.typeParameters;
    writeSmall(file, "type_parameters", H5::PredType::NATIVE_DOUBLE, params.data(), 2,
               static_cast<hsize_t>(params.rows()), static_cast<hsize_t>(params.cols()));
}

/// Writes through a temporary file renamed into place.
void writeAtomically(const std::string& path, const std::function<void(H5::H5File&)>& write)
{
    H5::Exception::dontPrint();
    AtomicFile file(path);
    try {
        H5::H5File h5(file.temporaryPath(), H5F_ACC_TRUNC);
        write(h5);
        h5.close();
    } catch (const H5::Exception& e) {
        throw InputError(path + ": cannot write the dataset (" + e.getDetailMsg() + ")");
    }
    file.commit();
}

} // namespace

void saveDataset(const Dataset& data, const std::string& path, const Progress& progress)
{
    writeAtomically(path, [&](H5::H5File& h5) {
        writeAll(data, slabsOf(data.activity), slabsOf(data.derivative), h5, progress);
    });
}

void saveDatasetInBands(const Dataset& data, const FrameBands& derivative, const FrameBands& activity,
                        const std::string& path, const Progress& progress)
{
    FrameMatrix derivativeBuffer, activityBuffer;
    writeAtomically(path, [&](H5::H5File& h5) {
        writeAll(data, activity ? slabsOf(activity, activityBuffer) : slabsOf(data.activity),
                 slabsOf(derivative, derivativeBuffer), h5, progress);
    });
}

Dataset loadDataset(const std::string& path)
{
    H5::Exception::dontPrint();
    try {
        H5::H5File file = openForReading(path);
        Dataset d;
        d.signalModel = readStringAttribute(file, "signal_model_name", path);
        d.inputType = readStringAttribute(file, "external_input_type", path);
        d.inputMode = readStringAttribute(file, "external_input_mode", path);
        d.deltaT = readScalarAttribute<double>(file, "delta_t", H5::PredType::NATIVE_DOUBLE, path);
        d.startFrame = readScalarAttribute<std::int64_t>(file, "start_frame", H5::PredType::NATIVE_INT64, path);
        d.configYaml = readStringAttribute(file, "config", path);
        const auto& f32 = H5::PredType::NATIVE_FLOAT;
        readMatrix(file, "activity", f32, d.activity, path);
        readMatrix(file, "derivative", f32, d.derivative, path);
        readMatrix(file, "stimulus", f32, d.stimulus, path);
        if (d.stimulus.cols() == 0)
            d.stimulus.resize(0, 0);
        H5::DataSet types = openDataSet(file, "types", path);
        d.types.resize(static_cast<std::size_t>(shapeOf(types).at(0)));
        if (!d.types.empty())
            types.read(d.types.data(), H5::PredType::NATIVE_INT32);
        Eigen::MatrixXf positions;
        readMatrix(file, "positions", f32, positions, path);
        d.positions = positions;
        readMatrix(file, "connectivity", f32, d.connectivity, path);
        readMatrix(file, "type_parameters", H5::PredType::NATIVE_DOUBLE, d.typeParameters, path);
        d.checkConsistent(path);
        return d;
    } catch (const H5::Exception& e) {
        throw InputError(path + ": cannot read the dataset (" + e.getDetailMsg() + ")");
    }
}

DatasetSummary readDatasetSummary(const std::string& path)
{
    H5::Exception::dontPrint();
    try {
        H5::H5File file = openForReading(path);
        DatasetSummary s;
        s.formatVersion = readScalarAttribute<int>(file, "format_version", H5::PredType::NATIVE_INT, path);
        s.signalModel = readStringAttribute(file, "signal_model_name", path);
        s.inputType = readStringAttribute(file, "external_input_type", path);
        s.inputMode = readStringAttribute(file, "external_input_mode", path);
        s.deltaT = readScalarAttribute<double>(file, "delta_t", H5::PredType::NATIVE_DOUBLE, path);
        s.startFrame = readScalarAttribute<std::int64_t>(file, "start_frame", H5::PredType::NATIVE_INT64, path);
        auto activity = shapeOf(openDataSet(file, "activity", path));
        s.frames = static_cast<std::int64_t>(activity.at(0));
        s.neurons = static_cast<std::int64_t>(activity.at(1));
        auto stimulus = shapeOf(openDataSet(file, "stimulus", path));
        s.stimulusReceivers = stimulus.size() == 2 ? static_cast<std::int64_t>(stimulus[1]) : 0;
        H5::DataSet typeSet = openDataSet(file, "types", path);
        std::vector<std::int32_t> types(static_cast<std::size_t>(shapeOf(typeSet).at(0)));
        if (!types.empty())
            typeSet.read(types.data(), H5::PredType::NATIVE_INT32);
        s.types = types.empty() ? 0 : *std::max_element(types.begin(), types.end()) + 1;
        s.neuronsPerType.assign(static_cast<std::size_t>(s.types), 0);
        for (auto t : types)
            ++s.neuronsPerType[static_cast<std::size_t>(t)];
        Eigen::MatrixXf w;
        readMatrix(file, "connectivity", H5::PredType::NATIVE_FLOAT, w, path);
        if (w.size() > 0) {
            s.connectivityNonZeroFraction = static_cast<double>((w.array() != 0.0f).count()) / static_cast<double>(w.size());
            s.connectivityMaxAbs = w.cwiseAbs().maxCoeff();
        }
        s.fileBytes = static_cast<std::int64_t>(fs::file_size(path));
        return s;
    } catch (const H5::Exception& e) {
        throw InputError(path + ": cannot read the dataset (" + e.getDetailMsg() + ")");
    }
}

} // namespace plexus
