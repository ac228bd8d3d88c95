#pragma once

#include "plexus/analysis/evaluation.h"

#include <string>

namespace plexus {

/// The evaluation as the plain-text table `plexus-cli evaluate` prints and the Studio's summary card shows and
/// exports: one labelled line per score (W, types, functions, roll-out, equations, the scores without truth,
/// stability, Ω*).
std::string evaluationText(const Evaluation& evaluation);

} // namespace plexus
