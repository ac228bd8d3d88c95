#include "plexus/train/metrics_file.h"

#include "plexus/util/errors.h"

#include <fstream>
#include <sstream>

namespace plexus {

namespace {

constexpr const char* kFixedColumns =
    "iteration,epoch,wall_seconds,loss,prediction,update_at_zero,monotonicity,sparsity,w_r2,w_slope,clusters";
constexpr std::size_t kFixedCount = 11;

std::vector<std::string> splitCsv(const std::string& line)
{
    std::vector<std::string> fields;
    std::stringstream in(line);
    std::string field;
    while (std::getline(in, field, ','))
        fields.push_back(field.empty() || field.back() != '\r' ? field : field.substr(0, field.size() - 1));
    return fields;
}

std::vector<double> parseRow(const std::string& line, std::size_t columns, const std::string& path, int lineNumber)
{
    std::vector<double> values;
    for (const std::string& field : splitCsv(line)) {
        try {
            std::size_t used = 0;
            values.push_back(std::stod(field, &used));
            if (used != field.size() && field.find_first_not_of(" \r", used) != std::string::npos)
                throw std::invalid_argument(field);
        } catch (const std::exception&) {
            throw InputError(path + ":" + std::to_string(lineNumber) + ": '" + field + "' is not a number");
        }
    }
    if (values.size() < columns)
        throw InputError(path + ":" + std::to_string(lineNumber) + ": expected " + std::to_string(columns) +
                         " columns, found " + std::to_string(values.size()));
    return values;
}

} // namespace

std::string metricsHeader(const TrainingMetrics& m)
{
    std::string header = kFixedColumns;
    for (const auto& [group, rate] : m.learningRates)
        header += ",lr_" + group;
    return header;
}

std::string metricsRow(const TrainingMetrics& m)
{
    std::ostringstream out;
    out << m.iteration << ',' << m.epoch << ',' << m.wallSeconds << ',' << m.loss.total << ',' << m.loss.prediction
        << ',' << m.loss.updateAtZero << ',' << m.loss.monotonicity << ',' << m.loss.sparsity << ','
        << m.connectivityR2 << ',' << m.connectivitySlope << ',' << m.clusters;
    for (const auto& [group, rate] : m.learningRates)
        out << ',' << rate;
    return out.str();
}

std::vector<TrainingMetrics> readMetricsFile(const std::string& path)
{
    std::vector<TrainingMetrics> rows;
    std::ifstream in(path);
    if (!in)
        return rows;
    std::string line;
    int lineNumber = 0;
    std::vector<std::string> rateGroups;
    while (std::getline(in, line)) {
        ++lineNumber;
        if (line.empty() || line == "\r")
            continue;
        if (lineNumber == 1) {
            const auto names = splitCsv(line);
            for (std::size_t k = kFixedCount; k < names.size(); ++k)
                if (names[k].rfind("lr_", 0) == 0)
                    rateGroups.push_back(names[k].substr(3));
            continue;
        }
        const std::vector<double> v = parseRow(line, kFixedCount + rateGroups.size(), path, lineNumber);
        TrainingMetrics m;
        m.iteration = static_cast<std::int64_t>(v[0]);
        m.epoch = static_cast<std::int64_t>(v[1]);
        m.wallSeconds = v[2];
        m.loss = {v[3], v[4], v[5], v[6], v[7]};
        m.connectivityR2 = v[8];
        m.connectivitySlope = v[9];
        m.clusters = static_cast<int>(v[10]);
        for (std::size_t g = 0; g < rateGroups.size(); ++g)
            m.learningRates.emplace_back(rateGroups[g], v[kFixedCount + g]);
        rows.push_back(m);
    }
    return rows;
}

} // namespace plexus
