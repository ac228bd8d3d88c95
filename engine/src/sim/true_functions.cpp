#include "plexus/sim/true_functions.h"

#include <cmath>

namespace plexus {

Eigen::ArrayXd trueUpdateFunction(const std::string& model, const Eigen::RowVectorXd& p, const Eigen::ArrayXd& u)
{
    if (model == "PDE_N2")
        return -p(2) * u + p(1) * u.tanh();
    return -p(0) * u + p(1) + p(3) * u.tanh();
}

Eigen::ArrayXd trueTransferFunction(const std::string& model, const Eigen::RowVectorXd& p, const Eigen::ArrayXd& u)
{
    if (model == "PDE_N2")
        return u.tanh();
    Eigen::ArrayXd psi = ((u - p(5)) / p(4)).tanh();
    if (model == "PDE_N5")
        psi -= u * std::log(p(4)) / 50.0;
    return psi;
}

} // namespace plexus
