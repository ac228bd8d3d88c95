#include "plexus/data/dataset.h"

#include "plexus/util/errors.h"

#include <algorithm>

namespace plexus {

std::int64_t Dataset::typeCount() const
{
    if (typeParameters.rows() > 0)
        return typeParameters.rows();
    return types.empty() ? 0 : *std::max_element(types.begin(), types.end()) + 1;
}

void Dataset::externalColumn(std::int64_t frame, Eigen::Ref<Eigen::VectorXf> out) const
{
    out.setConstant(neutralInput());
    if (stimulus.cols() > 0)
        out.head(stimulus.cols()) = stimulus.row(frame).transpose();
}

void Dataset::checkConsistent(const std::string& source) const
{
    const auto n = neurons();
    auto fail = [&](const std::string& what) { throw InputError(source + ": " + what); };
    if (frames() == 0 || n == 0)
        fail("no activity (expected frames × neurons values)");
    if (derivative.rows() != frames() || derivative.cols() != n)
        fail("derivative is " + std::to_string(derivative.rows()) + "×" + std::to_string(derivative.cols()) +
             ", expected " + std::to_string(frames()) + "×" + std::to_string(n) + " like the activity");
    if (stimulus.cols() > 0 && (stimulus.rows() != frames() || stimulus.cols() > n))
        fail("stimulus shape does not match the activity");
    if (!types.empty() && static_cast<std::int64_t>(types.size()) != n)
        fail("types hold " + std::to_string(types.size()) + " entries, expected " + std::to_string(n) +
             " (or none, for a recording without ground truth)");
    if (positions.rows() != n)
        fail("positions hold " + std::to_string(positions.rows()) + " rows, expected " + std::to_string(n));
    if (connectivity.size() > 0 && (connectivity.rows() != n || connectivity.cols() != n))
        fail("connectivity is not " + std::to_string(n) + "×" + std::to_string(n));
    if (!activity.allFinite())
        fail("activity holds NaN or infinite values");
    if (!derivative.allFinite())
        fail("derivative holds NaN or infinite values");
}

} // namespace plexus
