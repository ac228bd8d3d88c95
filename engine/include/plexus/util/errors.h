#pragma once

#include <stdexcept>
#include <string>

namespace plexus {

/// Bad user input (a config key, a file, a shape): the message says what and where, and what was expected.
/// Front ends show it as it is (the CLI exits with code 2).
class InputError : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

/// Long work stopped on request (Ctrl-C, the Stop button). Nothing half-written is left behind.
class CancelledError : public std::runtime_error
{
public:
    CancelledError() : std::runtime_error("stopped on request") {}
};

} // namespace plexus
