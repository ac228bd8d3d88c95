#include "plexus/util/thread_waiting.h"

#include <cstdlib>
#include <unistd.h>

namespace plexus {

void ensurePassiveThreadWaiting(char** argv)
{
    if (std::getenv("OMP_WAIT_POLICY") != nullptr)
        return; // set by the user, or by the first run of this program
    if (setenv("OMP_WAIT_POLICY", "passive", 1) != 0)
        return;
    execv("/proc/self/exe", argv); // returns only on failure: then go on with the default policy
}

} // namespace plexus
