#pragma once

#include <atomic>
#include <string>
#include <vector>

namespace plexus::cli {

/// Set by Ctrl-C; long work checks it between steps and stops without leaving a half-written file.
extern std::atomic<bool> g_stopRequested;

using Args = std::vector<std::string>;

int runSimulate(const Args& args);
int runInfo(const Args& args);
int runExport(const Args& args);
int runImport(const Args& args);
int runPresets(const Args& args);
int runBench(const Args& args);
int runKeys(const Args& args);
int runVerify(const Args& args);
int runTrain(const Args& args);
int runEvaluate(const Args& args);
int runReproduce(const Args& args);
int runEquations(const Args& args);
int runPerturb(const Args& args);

} // namespace plexus::cli
