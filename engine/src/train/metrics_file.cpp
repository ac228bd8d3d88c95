#include "plexus/train/metrics_file.h"

#include "plexus/util/errors.h"

#include <fstream>
#include <sstream>

namespace plexus {

namespace {

std::vector<double> parseRow(const std::string& line, const std::string& path, int lineNumber)
{
    std::vector<double> values;
    std::stringstream fields(line);
    std::string field;
    while (std::getline(fields, field, ',')) {
        try {
            std::size_t used = 0;
            values.push_back(std::stod(field, &used));
            if (used != field.size() && field.find_first_not_of(" \r", used) != std::string::npos)
                throw std::invalid_argument(field);
        } catch (const std::exception&) {
            throw InputError(path + ":" + std::to_string(lineNumber) + ": '" + field + "' is not a number");
        }
    }
    if (values.size() < 11)
        throw InputError(path + ":" + std::to_string(lineNumber) + ": expected 11 columns, found " +
                         std::to_string(values.size()));
    return values;
}

} // namespace

std::vector<TrainingMetrics> readMetricsFile(const std::string& path)
{
    std::vector<TrainingMetrics> rows;
    std::ifstream in(path);
    if (!in)
        return rows;
    std::string line;
    int lineNumber = 0;
    while (std::getline(in, line)) {
        ++lineNumber;
        if (lineNumber == 1 || line.empty() || line == "\r")
            continue;
        const std::vector<double> v = parseRow(line, path, lineNumber);
        TrainingMetrics m;
        m.iteration = static_cast<std::int64_t>(v[0]);
        m.epoch = static_cast<std::int64_t>(v[1]);
        m.wallSeconds = v[2];
        m.loss = {v[3], v[4], v[5], v[6], v[7]};
        m.connectivityR2 = v[8];
        m.connectivitySlope = v[9];
        m.clusters = static_cast<int>(v[10]);
        rows.push_back(m);
    }
    return rows;
}

} // namespace plexus
