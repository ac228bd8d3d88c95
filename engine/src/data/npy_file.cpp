#include "plexus/data/npy_file.h"

#include "plexus/util/errors.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <regex>

namespace plexus {

std::int64_t NpyHeader::elementCount() const
{
    std::int64_t count = 1;
    for (auto d : shape)
        count *= d;
    return count;
}

std::int64_t NpyHeader::elementSize() const
{
    return descr.size() >= 3 ? std::stoll(descr.substr(2)) : 0;
}

NpyHeader readNpyHeader(std::istream& in, const std::string& path)
{
    char magic[8];
    if (!in.read(magic, 8) || std::memcmp(magic, "\x93NUMPY", 6) != 0)
        throw InputError(path + ": not a NumPy .npy file (bad magic bytes)");
    const int major = static_cast<unsigned char>(magic[6]);
    std::uint32_t length = 0;
    if (major == 1) {
        unsigned char b[2];
        in.read(reinterpret_cast<char*>(b), 2);
        length = b[0] | (b[1] << 8);
    } else if (major == 2 || major == 3) {
        unsigned char b[4];
        in.read(reinterpret_cast<char*>(b), 4);
        length = b[0] | (b[1] << 8) | (b[2] << 16) | (static_cast<std::uint32_t>(b[3]) << 24);
    } else {
        throw InputError(path + ": unsupported .npy format version " + std::to_string(major));
    }
    std::string dict(length, '\0');
    if (!in.read(dict.data(), length))
        throw InputError(path + ": truncated .npy header");
    NpyHeader header;
    header.dataOffset = (major == 1 ? 10 : 12) + length;
    std::smatch match;
    if (!std::regex_search(dict, match, std::regex(R"('descr'\s*:\s*'([^']+)')")))
        throw InputError(path + ": .npy header has no 'descr'");
    header.descr = match[1];
    header.fortranOrder = dict.find("'fortran_order': True") != std::string::npos;
    if (!std::regex_search(dict, match, std::regex(R"('shape'\s*:\s*\(([^)]*)\))")))
        throw InputError(path + ": .npy header has no 'shape'");
    std::string dims = match[1];
    std::regex number(R"(\d+)");
    for (auto it = std::sregex_iterator(dims.begin(), dims.end(), number); it != std::sregex_iterator(); ++it)
        header.shape.push_back(std::stoll(it->str()));
    static const char* kSupported[] = {"<f4", "<f8", "<i4", "<i8"};
    bool supported = false;
    for (const char* s : kSupported)
        supported = supported || header.descr == s;
    if (!supported)
        throw InputError(path + ": array type '" + header.descr +
                         "' not supported; expected little-endian float32/64 or int32/64");
    if (header.fortranOrder)
        throw InputError(path + ": Fortran-ordered arrays are not supported; save with C order");
    return header;
}

namespace {

std::string makeHeader(const std::vector<std::int64_t>& shape)
{
    std::string dims;
    for (std::size_t i = 0; i < shape.size(); ++i)
        dims += (i ? ", " : "") + std::to_string(shape[i]);
    if (shape.size() == 1)
        dims += ",";
    std::string dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims + "), }";
    // Pad so the data starts on a 64-byte boundary; the header ends with a newline.
    std::size_t total = 10 + dict.size() + 1;
    dict.append((64 - total % 64) % 64, ' ');
    dict += '\n';
    std::string header("\x93NUMPY\x01\x00", 8);
    header += static_cast<char>(dict.size() & 0xff);
    header += static_cast<char>((dict.size() >> 8) & 0xff);
    return header + dict;
}

} // namespace

NpyWriter::NpyWriter(const std::string& path, const std::vector<std::int64_t>& shape)
    : m_file(path), m_out(m_file.temporaryPath(), std::ios::binary)
{
    if (!m_out)
        throw InputError("cannot write " + path);
    m_expected = 1;
    for (auto d : shape)
        m_expected *= d;
    m_out << makeHeader(shape);
}

void NpyWriter::write(const float* values, std::int64_t count)
{
    m_out.write(reinterpret_cast<const char*>(values), count * static_cast<std::int64_t>(sizeof(float)));
    m_written += count;
}

void NpyWriter::commit()
{
    if (m_written != m_expected)
        throw std::logic_error(m_file.finalPath() + ": wrote " + std::to_string(m_written) + " values, declared " +
                               std::to_string(m_expected));
    m_out.flush();
    if (!m_out)
        throw InputError("cannot write " + m_file.finalPath() + " (disk full?)");
    m_out.close();
    m_file.commit();
}

void writeNpy(const std::string& path, const std::vector<std::int64_t>& shape, const float* values)
{
    NpyWriter writer(path, shape);
    std::int64_t count = 1;
    for (auto d : shape)
        count *= d;
    writer.write(values, count);
    writer.commit();
}

NpyReader::NpyReader(const std::string& path) : m_path(path), m_in(path, std::ios::binary)
{
    if (!m_in)
        throw InputError(path + ": cannot open");
    m_header = readNpyHeader(m_in, path);
}

namespace {

/// One little-endian value of `descr` at `p`, as float.
float valueAt(const char* p, const std::string& descr)
{
    if (descr == "<f8") {
        double v;
        std::memcpy(&v, p, 8);
        return static_cast<float>(v);
    }
    if (descr == "<i4") {
        std::int32_t v;
        std::memcpy(&v, p, 4);
        return static_cast<float>(v);
    }
    std::int64_t v;
    std::memcpy(&v, p, 8);
    return static_cast<float>(v);
}

} // namespace

void NpyReader::read(std::int64_t first, std::int64_t count, float* out)
{
    const std::int64_t size = m_header.elementSize();
    if (first < 0 || count < 0 || first + count > m_header.elementCount())
        throw std::logic_error(m_path + ": read past the array's end");
    m_in.clear();
    m_in.seekg(m_header.dataOffset + first * size);
    if (m_header.descr == "<f4") { // straight into place
        if (!m_in.read(reinterpret_cast<char*>(out), static_cast<std::streamsize>(count * 4)))
            throw InputError(m_path + ": truncated: expected " + std::to_string(m_header.elementCount()) + " values");
        return;
    }
    constexpr std::int64_t kBand = 1 << 20; // values converted per read
    for (std::int64_t done = 0; done < count; done += kBand) {
        const std::int64_t n = std::min(kBand, count - done);
        m_buffer.resize(static_cast<std::size_t>(n * size));
        if (!m_in.read(m_buffer.data(), static_cast<std::streamsize>(m_buffer.size())))
            throw InputError(m_path + ": truncated: expected " + std::to_string(m_header.elementCount()) + " values");
        for (std::int64_t i = 0; i < n; ++i)
            out[done + i] = valueAt(m_buffer.data() + i * size, m_header.descr);
    }
}

std::vector<float> readNpyAsFloat(const std::string& path, NpyHeader* headerOut)
{
    NpyReader reader(path);
    std::vector<float> values(static_cast<std::size_t>(reader.header().elementCount()));
    reader.read(0, reader.header().elementCount(), values.data());
    if (headerOut)
        *headerOut = reader.header();
    return values;
}

} // namespace plexus
