#include "plexus/data/csv_export.h"

#include "plexus/util/atomic_file.h"
#include "plexus/util/errors.h"

#include <charconv>
#include <fstream>
#include <sstream>

namespace plexus {

namespace {

/// Shortest text that reads back to the same float.
void appendFloat(std::string& line, float v)
{
    char buffer[32];
    auto result = std::to_chars(buffer, buffer + sizeof buffer, v);
    line.append(buffer, result.ptr);
}

std::int64_t parseIndex(const std::string& text, const std::string& whole)
{
    std::int64_t value = 0;
    auto result = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || result.ec != std::errc() || result.ptr != text.data() + text.size())
        throw InputError("neuron list '" + whole + "': '" + text + "' is not a neuron index");
    return value;
}

class CsvFile
{
public:
    explicit CsvFile(const std::string& path) : m_file(path), m_out(m_file.temporaryPath())
    {
        if (!m_out)
            throw InputError("cannot write " + path);
    }
    std::ofstream& out() { return m_out; }
    void commit()
    {
        m_out.flush();
        if (!m_out)
            throw InputError("cannot write " + m_file.finalPath() + " (disk full?)");
        m_out.close();
        m_file.commit();
    }

private:
    AtomicFile m_file;
    std::ofstream m_out;
};

} // namespace

std::pair<std::int64_t, std::int64_t> parseFrameRange(const std::string& text)
{
    const auto colon = text.find(':');
    try {
        if (colon == std::string::npos)
            throw std::invalid_argument(text);
        const std::int64_t first = colon == 0 ? 0 : std::stoll(text.substr(0, colon));
        const std::int64_t last = colon + 1 == text.size() ? -1 : std::stoll(text.substr(colon + 1));
        if (first < 0 || last < -1)
            throw std::invalid_argument(text);
        return {first, last};
    } catch (const std::logic_error&) {
        throw InputError("--frames: expected FIRST:LAST, inclusive (e.g. 0:999, or 1000: to the end), got '" + text + "'");
    }
}

std::vector<std::int64_t> parseIndexList(const std::string& text, std::int64_t n)
{
    std::vector<std::int64_t> indices;
    std::stringstream parts(text);
    std::string part;
    while (std::getline(parts, part, ',')) {
        auto dash = part.find('-');
        std::int64_t first = parseIndex(part.substr(0, dash), text);
        std::int64_t last = dash == std::string::npos ? first : parseIndex(part.substr(dash + 1), text);
        if (first > last)
            throw InputError("neuron list '" + text + "': '" + part + "' is reversed; write it as " +
                             std::to_string(last) + "-" + std::to_string(first));
        if (last >= n)
            throw InputError("neuron list '" + text + "': '" + part + "' is outside 0.." + std::to_string(n - 1));
        for (std::int64_t i = first; i <= last; ++i)
            indices.push_back(i);
    }
    if (indices.empty())
        throw InputError("neuron list '" + text + "' selects no neuron");
    return indices;
}

void exportTracesCsv(const Dataset& data, const FrameMatrix& values, const std::string& prefix,
                     const std::string& path, const CsvSelection& selection, const Progress& progress)
{
    std::vector<std::int64_t> neurons = selection.neurons;
    if (neurons.empty())
        for (std::int64_t i = 0; i < data.neurons(); ++i)
            neurons.push_back(i);
    const std::int64_t last = selection.lastFrame < 0 ? data.frames() - 1 : selection.lastFrame;
    if (selection.firstFrame > last && last < data.frames())
        throw InputError("frame range " + std::to_string(selection.firstFrame) + ":" + std::to_string(last) +
                         " is reversed; write it as " + std::to_string(last) + ":" + std::to_string(selection.firstFrame));
    if (selection.firstFrame < 0 || last >= data.frames())
        throw InputError("frame range " + std::to_string(selection.firstFrame) + ":" + std::to_string(last) +
                         " is outside 0:" + std::to_string(data.frames() - 1));
    CsvFile file(path);
    std::string line = "frame,time";
    for (auto i : neurons)
        line += "," + prefix + std::to_string(i);
    file.out() << line << '\n';
    for (std::int64_t f = selection.firstFrame; f <= last; ++f) {
        line = std::to_string(f) + ",";
        appendFloat(line, static_cast<float>(static_cast<double>(f) * data.deltaT));
        for (auto i : neurons) {
            line += ',';
            appendFloat(line, values(f, i));
        }
        file.out() << line << '\n';
        if (f % 1024 == 0) {
            if (progress.shouldStop())
                throw CancelledError();
            progress.update("writing " + path, f - selection.firstFrame, last - selection.firstFrame + 1);
        }
    }
    file.commit();
}

void exportNeuronsCsv(const Dataset& data, const std::string& path)
{
    CsvFile file(path);
    file.out() << "id,type,x,y\n";
    for (std::int64_t i = 0; i < data.neurons(); ++i) {
        std::string line = std::to_string(i) + "," + std::to_string(data.types[static_cast<std::size_t>(i)]) + ",";
        appendFloat(line, data.positions(i, 0));
        line += ',';
        appendFloat(line, data.positions(i, 1));
        file.out() << line << '\n';
    }
    file.commit();
}

void exportMatrixCsv(const Eigen::MatrixXf& matrix, const std::string& path)
{
    CsvFile file(path);
    std::string line;
    for (Eigen::Index r = 0; r < matrix.rows(); ++r) {
        line.clear();
        for (Eigen::Index c = 0; c < matrix.cols(); ++c) {
            if (c)
                line += ',';
            appendFloat(line, matrix(r, c));
        }
        file.out() << line << '\n';
    }
    file.commit();
}

} // namespace plexus
