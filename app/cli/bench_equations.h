#pragma once

#include "cli_args.h"

namespace plexus::cli {

/// `plexus-cli bench equations`: the expression search on 24 curves of forms the generator never uses, from noisy
/// samples; one JSON line per curve and a summary (docs/equations.md).
void benchEquations(const CliArgs& args);

} // namespace plexus::cli
