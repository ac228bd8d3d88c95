#pragma once

namespace plexus {

/// Makes OpenMP's idle threads sleep instead of spinning (OMP_WAIT_POLICY=passive), unless the user set the policy:
/// spinning threads keep their cores busy, so next to any other busy process a 2-thread training ran 6× slower than
/// alone (docs/benchmarks.md, "Under CPU contention"). The OpenMP runtime reads the policy once, when it loads —
/// before main — so the program runs itself again with it set. Call first thing in main; returns in the process
/// that has the policy (or when running again failed, with the runtime's default).
void ensurePassiveThreadWaiting(char** argv);

} // namespace plexus
