#include "plexus/data/curve_csv.h"

#include "plexus/util/errors.h"

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <vector>

namespace plexus {

namespace {

std::vector<std::string> fields(const std::string& line)
{
    std::vector<std::string> out;
    std::string current;
    bool separated = true;
    for (char c : line) {
        const bool comma = c == ',' || c == ';';
        const bool space = c == ' ' || c == '\t' || c == '\r';
        if (comma) {
            out.push_back(current);
            current.clear();
            separated = true;
        } else if (space) {
            if (!current.empty() && !separated) {
                out.push_back(current);
                current.clear();
                separated = true;
            }
        } else {
            current += c;
            separated = false;
        }
    }
    if (!current.empty() || !separated)
        out.push_back(current);
    return out;
}

bool parseNumber(const std::string& text, double& value)
{
    if (text.empty())
        return false;
    char* end = nullptr;
    value = std::strtod(text.c_str(), &end);
    return end == text.c_str() + text.size() && std::isfinite(value);
}

} // namespace

Curve readCurveCsv(const std::string& path)
{
    std::ifstream in(path);
    if (!in)
        throw InputError(path + ": cannot open the file");
    std::vector<double> xs, ys;
    std::string line;
    int lineNumber = 0;
    bool firstRow = true;
    while (std::getline(in, line)) {
        ++lineNumber;
        const std::vector<std::string> f = fields(line);
        if (f.empty() || line.find_first_not_of(" \t\r") == std::string::npos || line[line.find_first_not_of(" \t")] == '#')
            continue;
        double x = 0.0, y = 0.0;
        const bool numeric = f.size() == 2 && parseNumber(f[0], x) && parseNumber(f[1], y);
        if (!numeric && firstRow && f.size() == 2 && !parseNumber(f[0], x)) {
            firstRow = false; // a header line of column names
            continue;
        }
        firstRow = false;
        if (f.size() != 2)
            throw InputError(path + ", line " + std::to_string(lineNumber) + ": expected two columns x,y, found " +
                             std::to_string(f.size()));
        if (!numeric)
            throw InputError(path + ", line " + std::to_string(lineNumber) + ": expected two finite numbers, found \"" +
                             line + "\"");
        xs.push_back(x);
        ys.push_back(y);
    }
    if (xs.size() < 3)
        throw InputError(path + ": expected at least 3 points x,y, found " + std::to_string(xs.size()));
    Curve curve;
    curve.x = Eigen::Map<const Eigen::ArrayXd>(xs.data(), static_cast<Eigen::Index>(xs.size()));
    curve.y = Eigen::Map<const Eigen::ArrayXd>(ys.data(), static_cast<Eigen::Index>(ys.size()));
    return curve;
}

} // namespace plexus
