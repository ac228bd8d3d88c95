#pragma once

#include "plexus/data/dataset.h"
#include "plexus/util/progress.h"

#include <cstdint>

namespace plexus {

/// How far a dataset's stored derivative is from the docs/method.md §A.4 formula evaluated on its stored activity.
struct DerivativeCheck
{
    std::int64_t framesChecked = 0;
    double maxAbsoluteError = 0.0;
    double maxRelativeError = 0.0; ///< |stored − formula| / max(1, |formula|)
    std::int64_t worstFrame = 0;
    std::int64_t worstNeuron = 0;
};

/// Recomputes du/dt from the stored activity, stimulus, true W and parameter table at every frame, in double
/// precision and independently of the simulator's code, and compares it with the stored derivative.
/// Throws InputError when the dataset lacks W or the parameter table (e.g. an import).
DerivativeCheck checkDerivative(const Dataset& data, const Progress& progress = {});

} // namespace plexus
