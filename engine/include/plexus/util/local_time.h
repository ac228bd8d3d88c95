#pragma once

#include <string>

namespace plexus {

/// The local time now, formatted with strftime's `format` (e.g. "%Y%m%d-%H%M%S" for folder names).
std::string localTimeText(const char* format);

} // namespace plexus
