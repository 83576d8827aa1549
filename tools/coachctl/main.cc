// coachctl: the command-line client for people (managers, directors, sales
// ops). "coachctl --help" lists the commands; commands.h has the contract.

#include <cstdlib>
#include <iostream>

#include "tools/coachctl/commands.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  cs::coachctl::RunOptions options;
  options.env = [](std::string_view name) -> std::optional<std::string> {
    const char* v = std::getenv(std::string(name).c_str());
    return v ? std::optional<std::string>(v) : std::nullopt;
  };
  return cs::coachctl::Run(args, options, std::cout, std::cerr);
}
