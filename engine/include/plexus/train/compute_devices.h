#pragma once

#include <string>
#include <vector>

namespace plexus {

/// A device training can run on, as `plexus-cli info --devices` lists it.
struct ComputeDevice
{
    std::string name;        ///< "cpu" or "cuda" (what training.device and --device take)
    bool available = false;
    std::string detail;      ///< cores and the training step (cpu); device count, or why not (cuda)
};

/// The CPU and CUDA, each with whether training can use it here (docs/training.md, "Devices").
std::vector<ComputeDevice> computeDevices();

} // namespace plexus
