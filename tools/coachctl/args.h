#pragma once

// Command-line grammar of coachctl: "coachctl [global flags] <command>
// [subcommand] [args] [flags]", flags anywhere, "--flag=value" or "--flag
// value", "--" ends flags. Pure: no environment, no I/O (config.h resolves
// the environment). Every parse error is a usage error (exit status 2).

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace cs::coachctl {

struct OptionSpec {
  std::string name;          // without dashes: "manager"
  std::string value_name;    // "ID"; empty for a boolean switch
  std::string help;          // one line
  bool repeated = false;     // may be given several times
  bool required = false;
};

struct CommandSpec {
  std::string name;                       // "rep", "plan create"
  std::string summary;                    // one line for the command list
  std::vector<std::string> positionals;   // "<rep>"; required in order
  std::vector<OptionSpec> options;        // besides the global ones
  std::string details;                    // extra help paragraph (may be empty)
};

// The global flags (coaching, metrics, tenant, as, json, month, timeout, help).
const std::vector<OptionSpec>& GlobalOptions();
// Every command, in help order.
const std::vector<CommandSpec>& Commands();

struct Invocation {
  const CommandSpec* command = nullptr;   // nullptr: no command (general help)
  std::string group;                      // "plan" when only the group was named
  std::vector<std::string> positionals;
  std::map<std::string, std::vector<std::string>> options;  // boolean: {"true"}
  bool help = false;

  bool Has(std::string_view name) const { return options.count(std::string(name)) > 0; }
  // The last value given, or nullopt.
  std::optional<std::string> Get(std::string_view name) const;
  std::string GetOr(std::string_view name, std::string_view fallback) const;
  std::vector<std::string> All(std::string_view name) const;
};

// A parse error names what is wrong and, when known, the command it was for
// (for "coachctl: <command>: usage: <message>").
struct UsageError {
  std::string command;
  std::string message;
};

// Parses argv without the program name. On error returns the UsageError.
struct ParseResult {
  std::optional<Invocation> invocation;
  std::optional<UsageError> error;
};
ParseResult ParseArgs(const std::vector<std::string>& args);

// Help texts: the command list, one command's usage with its flags, or a
// group's subcommands ("plan").
std::string GeneralHelp();
std::string CommandHelp(const CommandSpec& command);
std::string GroupHelp(std::string_view group);

}  // namespace cs::coachctl
