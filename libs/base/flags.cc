#include "libs/base/flags.h"

#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/flags/parse.h"
#include "absl/flags/reflection.h"
#include "absl/flags/usage.h"
#include "absl/strings/ascii.h"

namespace cs {
namespace {
std::string g_program = "coachstream";
}

std::vector<std::string> ParseFlagsWithEnv(int argc, char** argv, const char* usage) {
  if (argc > 0) {
    std::string p = argv[0];
    g_program = p.substr(p.find_last_of('/') + 1);
  }
  absl::SetProgramUsageMessage(usage);
  // Environment values are inserted before the real arguments, so the command line wins.
  std::vector<std::string> env_args;
  for (const auto& [name, flag] : absl::GetAllFlags()) {
    std::string var = "COACHSTREAM_" + absl::AsciiStrToUpper(name);
    if (const char* value = std::getenv(var.c_str())) {
      env_args.push_back("--" + std::string(name) + "=" + value);
    }
  }
  std::vector<char*> args;
  args.push_back(argv[0]);
  for (auto& a : env_args) args.push_back(a.data());
  for (int i = 1; i < argc; ++i) args.push_back(argv[i]);
  std::vector<char*> rest = absl::ParseCommandLine(static_cast<int>(args.size()), args.data());
  return std::vector<std::string>(rest.begin(), rest.end());
}

void FatalConfig(const std::string& message) {
  std::fprintf(stderr, "%s: %s\n", g_program.c_str(), message.c_str());
  std::exit(2);
}

}  // namespace cs
