#pragma once

#include "plexus/lab/perturbation.h"

#include <cstdint>
#include <string>
#include <vector>

namespace plexus {

/// What the Studio's Lab keeps in a run folder (lab.yaml, docs/formats.md): the edits, the roll-out length and the
/// neurons whose traces are shown. `plexus-cli perturb RUN --lab` runs the same.
struct LabState
{
    Perturbation perturbation;
    std::int64_t frames = 1000;
    std::vector<std::int64_t> shownNeurons;
};

/// The state as YAML text (read back by parseLabState).
std::string labStateToYaml(const LabState& state);

/// Parses lab.yaml text; InputError names `source`, the line and the key that is wrong and what was expected.
LabState parseLabState(const std::string& text, const std::string& source);

/// Writes `path` atomically / reads it (InputError naming the file).
void saveLabState(const std::string& path, const LabState& state);
LabState loadLabState(const std::string& path);

} // namespace plexus
