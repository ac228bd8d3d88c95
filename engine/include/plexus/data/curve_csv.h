#pragma once

#include <Eigen/Core>

#include <string>

namespace plexus {

/// A curve y(x) read from a two-column CSV file.
struct Curve
{
    Eigen::ArrayXd x;
    Eigen::ArrayXd y;
};

/// Reads `x,y` rows (comma, semicolon, tab or spaces between; an optional header line of names; blank lines and
/// lines starting with # skipped). Throws InputError naming the file and line for anything else: a missing or
/// extra column, a value that is not a finite number, fewer than 3 points.
Curve readCurveCsv(const std::string& path);

} // namespace plexus
