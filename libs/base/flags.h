#pragma once

// Command-line flags (Abseil) with environment overrides: every flag --foo_bar
// can also be set as COACHSTREAM_FOO_BAR. A flag given on the command line
// wins over the environment.

#include <string>
#include <vector>

namespace cs {

// Parses flags from env and argv; exits with a one-line message on an unknown
// flag or bad value. Returns the positional arguments (argv[0] first).
std::vector<std::string> ParseFlagsWithEnv(int argc, char** argv, const char* usage);

// Exits the process with status 2 after printing "<program>: <message>".
[[noreturn]] void FatalConfig(const std::string& message);

}  // namespace cs
