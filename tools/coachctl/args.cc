#include "tools/coachctl/args.h"
#include "tools/coachctl/format.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace cs::coachctl {
namespace {

std::vector<CommandSpec> MakeCommands() {
  return {
      {"team", "the team board: tier, focus skill and why, gain, plan, open alerts", {},
       {{"manager", "ID", "whose team (default: --as)"}},
       "Reps are ordered as the coaching service ranks them (B players first: they move most)."},
      {"rep", "one rep: drivers vs peer benchmark, focus skill and why, plan progress", {"<rep>"}, {}, ""},
      {"plan show", "the rep's coaching plan for the month with objective progress", {"<rep>"}, {}, ""},
      {"plan create", "create (or replace) the month's plan; default: the recommended template", {"<rep>"},
       {{"competency", "ID", "focus competency (default: the recommended one)"},
        {"activity", "TEXT", "an activity of the plan (repeat; default: the template's)", true},
        {"target-driver", "NAME", "objective driver (default: the template's)"},
        {"target-value", "N", "objective target in the driver's unit (ratio 0..1, minor units, ...)"},
        {"deadline", "YYYY-MM", "objective deadline (default: --month)"}},
       "Creating a plan also accepts its competency as the month's focus skill."},
      {"plan accept", "accept the month's focus skill (default: the recommended one)", {"<rep>"},
       {{"competency", "ID", "accept this competency instead"}}, ""},
      {"plan review", "recompute one objective's progress and record the review", {"<rep>", "<objective>"},
       {}, ""},
      {"session log", "log a coaching session (monthly 1:1 or micro-coaching on one deal)", {},
       {{"rep", "ID", "the rep coached", false, true},
        {"kind", "one_on_one|micro", "monthly 1:1 or micro-coaching (<= 30 min, needs --deal)", false, true},
        {"minutes", "N", "duration in minutes", false, true},
        {"deal", "ID", "the opportunity (required for micro)"},
        {"competency", "ID", "the focus skill worked on"},
        {"calendar-meeting", "ID", "the calendar 1:1 this session took place in (counted once)"},
        {"at", "TIME", "when, RFC 3339 (default: now)"}},
       "The coach is the --as identity."},
      {"sessions", "coaching sessions of a rep in the month", {"<rep>"}, {}, ""},
      {"alerts", "accountability alerts (open and acknowledged by default)", {},
       {{"recipient", "ID", "alerts sent to this person (default: --as; --watch: their subtree)"},
        {"state", "open|acknowledged|resolved", "filter by state (repeat or comma-separate)", true},
        {"rule", "ID", "filter by rule"},
        {"subtree", "", "every alert about or sent to anyone in the recipient's subtree"},
        {"watch", "", "stream alerts as they open, escalate or change (Ctrl-C to stop)"}},
       "--watch ignores --timeout unless it is given (flag or COACHCTL_TIMEOUT)."},
      {"ack", "acknowledge an alert", {"<alert>"}, {{"note", "TEXT", "what you will do"}}, ""},
      {"resolve", "resolve an alert", {"<alert>"}, {{"note", "TEXT", "what was done", false, true}}, ""},
      {"rollup", "are managers coaching? coaching hours, coverage and alerts per manager, top-down", {},
       {{"person", "ID", "whose organisation (default: --as)"}},
       "One row per director and manager in the person's subtree, for --month."},
      {"impact", "did coaching work? the coached driver's change vs comparable uncoached peers", {},
       {{"skill", "ID", "competency id", false, true},
        {"from", "YYYY-MM", "first month (default: two months before --month)"},
        {"to", "YYYY-MM", "last month (default: --month)"}},
       ""},
      {"pack", "the monthly 1:1 pack: one self-contained HTML page for the manager", {"<rep>"},
       {{"output", "FILE", "where to write it (-o; default: stdout)"},
        {"history", "N", "months of focus-driver trend (default 6)"}},
       "Charts are inline SVG; the page loads nothing from the network and prints on A4."},
  };
}

std::vector<OptionSpec> MakeGlobals() {
  return {
      {"coaching", "HOST:PORT", "CoachingService address (env COACHCTL_COACHING; default 127.0.0.1:50053)"},
      {"metrics", "HOST:PORT", "MetricsService address (env COACHCTL_METRICS; default 127.0.0.1:50052)"},
      {"tenant", "ID", "tenant id (env COACHCTL_TENANT; required)"},
      {"as", "PERSON", "your person id, sent as x-coachstream-person (env COACHCTL_AS)"},
      {"month", "YYYY-MM", "the month (default: the current month, UTC)"},
      {"timeout", "DURATION", "deadline per call, e.g. 10s, 500ms (env COACHCTL_TIMEOUT; default 10s)"},
      {"json", "", "print JSON for scripts instead of tables"},
      {"help", "", "show help"},
  };
}

const OptionSpec* FindOption(const std::vector<OptionSpec>& specs, std::string_view name) {
  for (const auto& s : specs) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

// Whether --name takes a value, across every command (names are consistent).
bool TakesValue(std::string_view name) {
  if (const OptionSpec* g = FindOption(GlobalOptions(), name)) return !g->value_name.empty();
  for (const auto& c : Commands()) {
    if (const OptionSpec* o = FindOption(c.options, name)) return !o->value_name.empty();
  }
  return false;  // unknown: reported as such once the command is known
}

bool IsGroup(std::string_view word) {
  for (const auto& c : Commands()) {
    if (absl::StartsWith(c.name, absl::StrCat(Av(word), " "))) return true;
  }
  return false;
}

const CommandSpec* FindCommand(std::string_view name) {
  for (const auto& c : Commands()) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

struct Token {
  std::string name;  // option name, empty for a word
  std::string value;
  bool has_value = false;
};

// Splits args into words and options; a value-taking option consumes the next arg.
std::optional<UsageError> Tokenize(const std::vector<std::string>& args, std::vector<Token>* tokens) {
  bool words_only = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (words_only || a == "-" || !absl::StartsWith(a, "-")) {
      tokens->push_back({"", a, true});
      continue;
    }
    if (a == "--") {
      words_only = true;
      continue;
    }
    std::string body = a.substr(absl::StartsWith(a, "--") ? 2 : 1);
    if (body == "o") body = "output";
    if (body == "h") body = "help";
    Token t;
    if (size_t eq = body.find('='); eq != std::string::npos) {
      t.name = body.substr(0, eq);
      t.value = body.substr(eq + 1);
      t.has_value = true;
    } else {
      t.name = body;
      if (TakesValue(t.name)) {
        if (i + 1 >= args.size()) return UsageError{"", absl::StrCat("flag --", t.name, " needs a value")};
        t.value = args[++i];
        t.has_value = true;
      }
    }
    tokens->push_back(std::move(t));
  }
  return std::nullopt;
}

// Resolves the command from the leading words; the rest are positionals.
std::optional<UsageError> ResolveCommand(std::vector<std::string> words, bool help, Invocation* inv) {
  if (!words.empty() && words[0] == "help") {
    words.erase(words.begin());
    inv->help = true;
    help = true;
  }
  if (words.empty()) return std::nullopt;
  size_t used = 1;
  if (IsGroup(words[0])) {
    const CommandSpec* c = words.size() > 1 ? FindCommand(absl::StrCat(words[0], " ", words[1])) : nullptr;
    if (c == nullptr) {
      inv->group = words[0];
      if (help) return std::nullopt;
      std::vector<std::string> subs;
      for (const auto& cmd : Commands()) {
        if (absl::StartsWith(cmd.name, words[0] + " ")) subs.push_back(cmd.name.substr(words[0].size() + 1));
      }
      return UsageError{words[0], absl::StrCat(words.size() > 1 ? "unknown subcommand '" + words[1] + "'; "
                                                                 : "",
                                               "expected one of: ", absl::StrJoin(subs, ", "))};
    }
    inv->command = c;
    used = 2;
  } else {
    inv->command = FindCommand(words[0]);
    if (inv->command == nullptr) {
      return UsageError{"", absl::StrCat("unknown command '", words[0], "' (coachctl --help lists them)")};
    }
  }
  inv->positionals.assign(words.begin() + used, words.end());
  return std::nullopt;
}

std::optional<UsageError> Validate(const Invocation& inv) {
  const CommandSpec& c = *inv.command;
  if (inv.positionals.size() < c.positionals.size()) {
    return UsageError{c.name, absl::StrCat("missing ", c.positionals[inv.positionals.size()])};
  }
  if (inv.positionals.size() > c.positionals.size()) {
    return UsageError{c.name, absl::StrCat("unexpected argument '", inv.positionals[c.positionals.size()], "'")};
  }
  for (const auto& o : c.options) {
    if (o.required && !inv.Has(o.name)) return UsageError{c.name, absl::StrCat("missing --", o.name)};
  }
  return std::nullopt;
}

std::string OptionLine(const OptionSpec& o) {
  std::string flag = absl::StrCat("--", o.name, o.value_name.empty() ? "" : " " + o.value_name);
  if (o.name == "output") flag = absl::StrCat("-o, ", flag);
  if (o.name == "help") flag = "-h, --help";
  if (flag.size() < 30) flag.resize(30, ' ');
  return absl::StrCat("  ", flag, " ", o.help, o.required ? " (required)" : "", "\n");
}

std::string Synopsis(const CommandSpec& c) {
  std::string s = absl::StrCat("coachctl ", c.name);
  for (const auto& p : c.positionals) absl::StrAppend(&s, " ", p);
  for (const auto& o : c.options) {
    std::string f = absl::StrCat("--", o.name, o.value_name.empty() ? "" : " " + o.value_name);
    absl::StrAppend(&s, " ", o.required ? f : absl::StrCat("[", f, "]"));
  }
  return s;
}

}  // namespace

const std::vector<OptionSpec>& GlobalOptions() {
  static const auto* globals = new std::vector<OptionSpec>(MakeGlobals());
  return *globals;
}

const std::vector<CommandSpec>& Commands() {
  static const auto* commands = new std::vector<CommandSpec>(MakeCommands());
  return *commands;
}

std::optional<std::string> Invocation::Get(std::string_view name) const {
  auto it = options.find(std::string(name));
  if (it == options.end() || it->second.empty()) return std::nullopt;
  return it->second.back();
}

std::string Invocation::GetOr(std::string_view name, std::string_view fallback) const {
  auto v = Get(name);
  return v ? *v : std::string(fallback);
}

std::vector<std::string> Invocation::All(std::string_view name) const {
  auto it = options.find(std::string(name));
  return it == options.end() ? std::vector<std::string>{} : it->second;
}

ParseResult ParseArgs(const std::vector<std::string>& args) {
  std::vector<Token> tokens;
  if (auto err = Tokenize(args, &tokens)) return {std::nullopt, err};
  Invocation inv;
  std::vector<std::string> words;
  for (const Token& t : tokens) {
    if (t.name.empty()) words.push_back(t.value);
    if (t.name == "help") inv.help = true;
  }
  if (auto err = ResolveCommand(words, inv.help, &inv)) return {std::nullopt, err};
  const std::string cmd_name = inv.command ? inv.command->name : inv.group;
  for (const Token& t : tokens) {
    if (t.name.empty()) continue;
    const OptionSpec* spec = FindOption(GlobalOptions(), t.name);
    if (spec == nullptr && inv.command != nullptr) spec = FindOption(inv.command->options, t.name);
    if (spec == nullptr) return {std::nullopt, UsageError{cmd_name, absl::StrCat("unknown flag --", t.name)}};
    std::string value = t.value;
    if (spec->value_name.empty()) {
      if (t.has_value && value != "true" && value != "false") {
        return {std::nullopt, UsageError{cmd_name, absl::StrCat("flag --", t.name, " takes no value")}};
      }
      if (value == "false") {
        inv.options.erase(t.name);
        continue;
      }
      value = "true";
    }
    auto& values = inv.options[t.name];
    if (!spec->repeated) values.clear();  // the last one wins, as with most CLIs
    values.push_back(value);
  }
  if (inv.command != nullptr && !inv.help) {
    if (auto err = Validate(inv)) return {std::nullopt, err};
  }
  return {std::move(inv), std::nullopt};
}

std::string GeneralHelp() {
  std::string s =
      "coachctl: metrics-driven coaching from the command line.\n\n"
      "usage: coachctl [global flags] <command> [args] [flags]\n\ncommands:\n";
  for (const auto& c : Commands()) {
    std::string name = c.name;
    if (name.size() < 14) name.resize(14, ' ');
    absl::StrAppend(&s, "  ", name, " ", c.summary, "\n");
  }
  absl::StrAppend(&s, "\nglobal flags:\n");
  for (const auto& o : GlobalOptions()) absl::StrAppend(&s, OptionLine(o));
  absl::StrAppend(&s,
                  "\nexit status: 0 ok, 1 other error, 2 usage error, 3 not found, 4 invalid argument,\n"
                  "5 unavailable or timed out. \"coachctl <command> --help\" shows a command's flags.\n");
  return s;
}

std::string CommandHelp(const CommandSpec& c) {
  std::string s = absl::StrCat("coachctl ", c.name, ": ", c.summary, "\n\nusage: ", Synopsis(c), "\n");
  if (!c.details.empty()) absl::StrAppend(&s, "\n", c.details, "\n");
  if (!c.options.empty()) {
    absl::StrAppend(&s, "\nflags:\n");
    for (const auto& o : c.options) absl::StrAppend(&s, OptionLine(o));
  }
  absl::StrAppend(&s, "\nglobal flags:\n");
  for (const auto& o : GlobalOptions()) absl::StrAppend(&s, OptionLine(o));
  return s;
}

std::string GroupHelp(std::string_view group) {
  std::string s = absl::StrCat("coachctl ", Av(group), ": subcommands\n\n");
  for (const auto& c : Commands()) {
    if (absl::StartsWith(c.name, absl::StrCat(Av(group), " "))) {
      absl::StrAppend(&s, "  ", Synopsis(c), "\n      ", c.summary, "\n");
    }
  }
  return s;
}

}  // namespace cs::coachctl
