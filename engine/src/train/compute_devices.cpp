#include "plexus/train/compute_devices.h"

#include "dense_kernels.h"

#include <ATen/Version.h>
#include <torch/cuda.h>

#include <thread>

namespace plexus {

namespace {

/// Whether the LibTorch this build links was compiled with CUDA (not Debian's CPU build).
bool libTorchHasCuda()
{
    return at::show_config().find("USE_CUDA=ON") != std::string::npos;
}

} // namespace

std::vector<ComputeDevice> computeDevices()
{
    std::vector<ComputeDevice> devices;
    ComputeDevice cpu{"cpu", true, std::to_string(std::max(1u, std::thread::hardware_concurrency())) + " cores; step: "};
    cpu.detail += dense::available() ? "cpu kernels (AVX2 + FMA)" : "autograd (this CPU has no AVX2 + FMA)";
    devices.push_back(cpu);

    ComputeDevice cuda{"cuda", torch::cuda::is_available(), ""};
    const auto count = torch::cuda::device_count();
    if (cuda.available)
        cuda.detail = std::to_string(count) + (count == 1 ? " device" : " devices") + "; step: autograd";
    else if (!libTorchHasCuda())
        cuda.detail = "this build's LibTorch has no CUDA (README, \"Training on a GPU\": tools/build.sh --cuda)";
    else
        cuda.detail = "LibTorch has CUDA, but no GPU was found (driver, CUDA_VISIBLE_DEVICES)";
    devices.push_back(cuda);
    return devices;
}

} // namespace plexus
