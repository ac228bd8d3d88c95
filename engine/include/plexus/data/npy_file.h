#pragma once

#include "plexus/util/atomic_file.h"

#include <cstdint>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

namespace plexus {

/// The header of a NumPy .npy file (format versions 1–3).
struct NpyHeader
{
    std::string descr;               ///< e.g. "<f4"
    bool fortranOrder = false;
    std::vector<std::int64_t> shape;
    std::int64_t dataOffset = 0;     ///< bytes before the data

    std::int64_t elementCount() const;
    std::int64_t elementSize() const; ///< from descr
};

/// Reads and checks the header; throws InputError naming the file and what is wrong.
NpyHeader readNpyHeader(std::istream& in, const std::string& path);

/// Streams a C-order little-endian float32 array to a .npy file, atomically (renamed into place by commit()).
class NpyWriter
{
public:
    NpyWriter(const std::string& path, const std::vector<std::int64_t>& shape);
    void write(const float* values, std::int64_t count);
    /// Checks that exactly the declared number of values was written, then renames into place.
    void commit();

private:
    AtomicFile m_file;
    std::ofstream m_out;
    std::int64_t m_expected = 0;
    std::int64_t m_written = 0;
};

/// Writes a whole float32 array.
void writeNpy(const std::string& path, const std::vector<std::int64_t>& shape, const float* values);

/// Reads a numeric .npy (float32/64, int32/64, C order) as float32 a run of values at a time, so that a large
/// recording is converted and placed without a second copy of it in memory.
class NpyReader
{
public:
    explicit NpyReader(const std::string& path);
    const NpyHeader& header() const { return m_header; }
    /// Values `first` .. `first + count − 1` (in C order) into `out`; InputError when the file ends before them.
    void read(std::int64_t first, std::int64_t count, float* out);

private:
    std::string m_path;
    std::ifstream m_in;
    NpyHeader m_header;
    std::vector<char> m_buffer;
};

/// Reads a whole numeric .npy (float32/64, int32/64, C order) as float32. Throws InputError on anything else.
std::vector<float> readNpyAsFloat(const std::string& path, NpyHeader* header = nullptr);

} // namespace plexus
