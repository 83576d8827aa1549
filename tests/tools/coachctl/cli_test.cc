// coachctl without a server: argument parsing, configuration from flags and
// environment, exit codes and error lines, tables and JSON.

#include <map>

#include <gtest/gtest.h>

#include "absl/strings/str_split.h"
#include "tools/coachctl/args.h"
#include "tools/coachctl/config.h"
#include "tools/coachctl/errors.h"
#include "tools/coachctl/format.h"
#include "tools/coachctl/views.h"

namespace cs::coachctl {
namespace {

namespace v1 = coachstream::v1;

Invocation Parse(const std::vector<std::string>& args) {
  ParseResult r = ParseArgs(args);
  EXPECT_FALSE(r.error.has_value()) << (r.error ? r.error->message : "");
  return r.invocation.value_or(Invocation{});
}

std::string ParseError(const std::vector<std::string>& args) {
  ParseResult r = ParseArgs(args);
  EXPECT_TRUE(r.error.has_value());
  return r.error ? r.error->command + ": " + r.error->message : "";
}

EnvLookup Env(std::map<std::string, std::string> vars) {
  return [vars](std::string_view name) -> std::optional<std::string> {
    auto it = vars.find(std::string(name));
    return it == vars.end() ? std::nullopt : std::optional<std::string>(it->second);
  };
}

const absl::Time kNow = absl::FromCivil(absl::CivilSecond(2024, 6, 20, 9, 0, 0), absl::UTCTimeZone());

TEST(ArgsTest, CommandsSubcommandsAndFlagsAnywhere) {
  Invocation inv = Parse({"--json", "plan", "create", "p_dana", "--competency=connecting", "--activity", "a b",
                          "--activity", "c", "--tenant", "acme"});
  ASSERT_NE(inv.command, nullptr);
  EXPECT_EQ(inv.command->name, "plan create");
  EXPECT_EQ(inv.positionals, std::vector<std::string>{"p_dana"});
  EXPECT_EQ(inv.GetOr("competency", ""), "connecting");
  EXPECT_EQ(inv.All("activity"), (std::vector<std::string>{"a b", "c"}));
  EXPECT_TRUE(inv.Has("json"));
  EXPECT_EQ(inv.GetOr("tenant", ""), "acme");

  inv = Parse({"pack", "p_dana", "-o", "/tmp/x.html", "--month", "2024-05", "--month", "2024-06"});
  EXPECT_EQ(inv.command->name, "pack");
  EXPECT_EQ(inv.GetOr("output", ""), "/tmp/x.html");
  EXPECT_EQ(inv.GetOr("month", ""), "2024-06") << "the last value wins";

  inv = Parse({"session", "log", "--rep", "r1", "--kind", "micro", "--minutes", "20"});
  ASSERT_NE(inv.command, nullptr);
  EXPECT_EQ(inv.command->name, "session log");
  inv = Parse({"rep", "--json", "--", "--odd-id"});
  ASSERT_NE(inv.command, nullptr);
  EXPECT_EQ(inv.positionals, std::vector<std::string>{"--odd-id"});
}

TEST(ArgsTest, UsageErrorsNameTheProblem) {
  EXPECT_EQ(ParseError({"rep"}), "rep: missing <rep>");
  EXPECT_EQ(ParseError({"rep", "a", "b"}), "rep: unexpected argument 'b'");
  EXPECT_EQ(ParseError({"frobnicate"}), ": unknown command 'frobnicate' (coachctl --help lists them)");
  EXPECT_EQ(ParseError({"team", "--bogus"}), "team: unknown flag --bogus");
  EXPECT_EQ(ParseError({"team", "--manager"}), ": flag --manager needs a value");
  EXPECT_EQ(ParseError({"team", "--json=yes"}), "team: flag --json takes no value");
  EXPECT_EQ(ParseError({"plan"}), "plan: expected one of: show, create, accept, review");
  EXPECT_EQ(ParseError({"plan", "delete", "x"}),
            "plan: unknown subcommand 'delete'; expected one of: show, create, accept, review");
  EXPECT_EQ(ParseError({"session", "log", "--rep", "r", "--kind", "micro"}), "session log: missing --minutes");
  EXPECT_EQ(ParseError({"resolve", "a1"}), "resolve: missing --note");
  EXPECT_EQ(ParseError({"rep", "x", "--watch"}), "rep: unknown flag --watch") << "flags are per command";
}

TEST(ArgsTest, HelpForEveryCommand) {
  for (const CommandSpec& c : Commands()) {
    std::vector<std::string> args = absl::StrSplit(c.name, ' ');
    args.push_back("--help");
    Invocation inv = Parse(args);
    ASSERT_EQ(inv.command, &c);
    EXPECT_TRUE(inv.help);
    const std::string help = CommandHelp(c);
    EXPECT_NE(help.find("usage: coachctl " + c.name), std::string::npos) << help;
    for (const auto& o : c.options) EXPECT_NE(help.find("--" + o.name), std::string::npos) << c.name;
    EXPECT_NE(help.find("--tenant"), std::string::npos);
    EXPECT_NE(GeneralHelp().find(c.name), std::string::npos);
  }
  Invocation inv = Parse({"plan", "-h"});
  EXPECT_EQ(inv.command, nullptr);
  EXPECT_EQ(inv.group, "plan");
  EXPECT_NE(GroupHelp("plan").find("coachctl plan accept <rep>"), std::string::npos);
  inv = Parse({"help", "sessions"});
  EXPECT_TRUE(inv.help);
  EXPECT_EQ(inv.command->name, "sessions");
}

TEST(ConfigTest, FlagsBeatEnvironmentBeatsDefaults) {
  Invocation inv = Parse({"team"});
  auto c = ResolveConfig(inv, Env({}), kNow);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->coaching_address, "127.0.0.1:50053");
  EXPECT_EQ(c->metrics_address, "127.0.0.1:50052");
  EXPECT_EQ(c->month, "2024-06");
  EXPECT_EQ(c->timeout, absl::Seconds(10));
  EXPECT_FALSE(c->timeout_explicit);
  EXPECT_TRUE(c->tenant.empty());

  auto env = Env({{"COACHCTL_COACHING", "c:1"}, {"COACHCTL_METRICS", "m:2"}, {"COACHCTL_TENANT", "acme"},
                  {"COACHCTL_AS", "p_mia"}, {"COACHCTL_TIMEOUT", "2.5"}});
  c = ResolveConfig(inv, env, kNow);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->coaching_address, "c:1");
  EXPECT_EQ(c->metrics_address, "m:2");
  EXPECT_EQ(c->tenant, "acme");
  EXPECT_EQ(c->person, "p_mia");
  EXPECT_EQ(c->timeout, absl::Milliseconds(2500));
  EXPECT_TRUE(c->timeout_explicit);

  inv = Parse({"team", "--coaching", "x:3", "--tenant=globex", "--as", "p_vp", "--timeout", "500ms", "--json",
               "--month", "2023-12"});
  c = ResolveConfig(inv, env, kNow);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->coaching_address, "x:3");
  EXPECT_EQ(c->metrics_address, "m:2");
  EXPECT_EQ(c->tenant, "globex");
  EXPECT_EQ(c->person, "p_vp");
  EXPECT_EQ(c->timeout, absl::Milliseconds(500));
  EXPECT_EQ(c->month, "2023-12");
  EXPECT_TRUE(c->json);
}

TEST(ConfigTest, BadValuesNameTheFlagOrVariable) {
  auto c = ResolveConfig(Parse({"team", "--month", "2024-6x"}), Env({}), kNow);
  EXPECT_EQ(c.status().message(), "--month: '2024-6x' is not a month (YYYY-MM)");
  c = ResolveConfig(Parse({"team", "--month", "2024-W23"}), Env({}), kNow);
  EXPECT_FALSE(c.ok()) << "a week is not a month";
  c = ResolveConfig(Parse({"team"}), Env({{"COACHCTL_TIMEOUT", "soon"}}), kNow);
  EXPECT_EQ(c.status().message(), "COACHCTL_TIMEOUT: 'soon' is not a duration (10s, 500ms, 1m)");
  c = ResolveConfig(Parse({"team", "--timeout", "-1s"}), Env({}), kNow);
  EXPECT_EQ(c.status().message(), "--timeout: must be positive");
  EXPECT_EQ(AddMonths("2024-02", -3), "2023-11");
  EXPECT_EQ(AddMonths("2024-12", 1), "2025-01");
}

TEST(ErrorsTest, ExitCodesAndOneLine) {
  EXPECT_EQ(ExitCodeFor(absl::OkStatus()), 0);
  EXPECT_EQ(ExitCodeFor(UsageStatus("x")), 2);
  EXPECT_EQ(ExitCodeFor(absl::NotFoundError("x")), 3);
  EXPECT_EQ(ExitCodeFor(absl::InvalidArgumentError("x")), 4);
  EXPECT_EQ(ExitCodeFor(absl::OutOfRangeError("x")), 4);
  EXPECT_EQ(ExitCodeFor(absl::UnavailableError("x")), 5);
  EXPECT_EQ(ExitCodeFor(absl::DeadlineExceededError("x")), 5);
  EXPECT_EQ(ExitCodeFor(absl::PermissionDeniedError("x")), 1);
  EXPECT_EQ(ExitCodeFor(absl::UnimplementedError("x")), 1);
  EXPECT_EQ(ErrorLine("rep", absl::NotFoundError("unknown rep \"x\"\nsecond line")),
            "coachctl: rep: NOT_FOUND: unknown rep \"x\" second line");
  EXPECT_EQ(ErrorLine("team", UsageStatus("missing --manager")), "coachctl: team: usage: missing --manager");
}

TEST(FormatTest, ValuesInTheirUnits) {
  EXPECT_EQ(FormatValue("connect_rate", "ratio", 0.1796), "18%");
  EXPECT_EQ(FormatValue("connect_rate", "ratio", 0.045), "4.5%");
  EXPECT_EQ(FormatValue("pipeline_coverage", "ratio", 2.345), "2.3x");
  EXPECT_EQ(FormatValue("opportunity_rate", "ratio", 0.5), "0.50");
  EXPECT_EQ(FormatValue("bookings", "minor_units", 4'212'345), "$42,123");
  EXPECT_EQ(FormatValue("avg_discount", "bps", 1250), "12.5%");
  EXPECT_EQ(FormatValue("median_cycle_days", "days", 83.4), "83 d");
  EXPECT_EQ(FormatValue("question_rate", "per_hour", 11.26), "11.3/h");
  EXPECT_EQ(FormatValue("calls_made", "count", 412), "412");
  EXPECT_EQ(FormatMoney(-150'000), "-$1,500");
  EXPECT_EQ(FormatMoney(123'456'789'00), "$123,456,789");
  EXPECT_EQ(Truncate("héllo wörld", 8), "héllo...");
  EXPECT_EQ(Truncate("short", 8), "short");
  EXPECT_EQ(Wrap("aaa bbb ccc ddd", 7, 2), "aaa bbb\n  ccc ddd");
}

TEST(FormatTest, TableAlignsAndRightAlignsNumbers) {
  Table t({"REP", "ATTAIN", "WHY"});
  t.AddRow({"p_dana", "42%", "connect rate\n18%"});
  t.AddRow({"p_ali", "105%", "-"});
  EXPECT_EQ(t.Render(),
            "REP     ATTAIN  WHY\n"
            "p_dana     42%  connect rate 18%\n"
            "p_ali     105%  -\n");
}

TEST(FormatTest, NumbersWithUnitsAreRightAlignedIdsAreNot) {
  Table t({"A", "B", "C"});
  t.AddRow({"$80,000", "18 d", "006A"});
  t.AddRow({"1.8x", "11.0/h", "12"});
  t.AddRow({"-", "-42%", "x"});
  EXPECT_EQ(t.Render(),
            "      A       B  C\n"
            "$80,000    18 d  006A\n"
            "   1.8x  11.0/h  12\n"
            "      -    -42%  x\n");
}

TEST(ViewsTest, ObjectivesInTheDriversUnit) {
  v1::Objective o;
  o.set_objective_id("obj-1");
  o.set_target_driver("connect_rate");
  o.set_current_value(0.104);
  o.set_target_value(0.21);
  o.set_deadline_period("2024-06");
  o.set_progress(v1::OBJECTIVE_PROGRESS_OFF_TRACK);
  EXPECT_EQ(ObjectiveText(o),
            "OBJECTIVE  DRIVER        NOW  TARGET  DEADLINE  PROGRESS   REVIEWED\n"
            "obj-1      connect_rate  10%     21%  2024-06   off track  -\n");
  EXPECT_EQ(DriverUnit("avg_discount"), "bps");
  EXPECT_EQ(DriverUnit("opportunity_rate"), "ratio");
  EXPECT_EQ(DriverUnit("something_new"), "count");
}

TEST(ViewsTest, BoardTableAndJson) {
  v1::GetTeamBoardResponse board;
  v1::BoardRow* r = board.add_rows();
  r->set_rep_id("p_dana");
  r->set_display_name("Dana Reyes");
  r->set_tier(v1::TIER_B);
  r->set_attainment(0.42);
  r->set_focus_competency_id("connecting");
  r->set_focus_rationale("Dana's connect rate is 18% vs 31% for peers (412 calls over Apr-Jun), which is the "
                         "largest gap in her funnel by a wide margin.");
  r->set_gain_minor(2'340'000);
  r->set_plan_status("accepted");
  r->set_recommended_coaching_minutes(240);
  r->set_open_alerts(2);
  const std::string text = BoardTable(board);
  EXPECT_NE(text.find("REP     NAME        TIER  ATTAIN  FOCUS       GAIN/MO  PLAN      COACH MIN  ALERTS  WHY"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("p_dana  Dana Reyes  b        42%  connecting  $23,400  accepted        240       2  "
                      "Dana's connect rate is 18% vs 31% for peers (412 calls over Apr-Jun..."),
            std::string::npos)
      << text;
  auto j = ToJson(board);
  EXPECT_EQ(j["rows"][0]["rep_id"], "p_dana");
  EXPECT_EQ(j["rows"][0]["tier"], "TIER_B");
  EXPECT_EQ(j["rows"][0]["open_alerts"], 2);
  EXPECT_EQ(j["rows"][0]["micro_coaching"].size(), 0u) << "every field is present";
  EXPECT_EQ(BoardTable(v1::GetTeamBoardResponse()), "no reps in this team\n");
}

TEST(ViewsTest, RepShowsDriversAgainstPeersWithSamples) {
  RepView view;
  view.month = "2024-06";
  view.rep.set_rep_id("p_dana");
  view.rep.set_display_name("Dana Reyes");
  view.rep.set_role(v1::ROLE_ACCOUNT_EXECUTIVE);
  auto* d = view.rep.add_drivers();
  d->set_driver("connect_rate");
  d->set_value(0.18);
  d->set_sample_size(412);
  d->set_unit("ratio");
  auto* t = view.rep.add_drivers();
  t->set_driver("talk_ratio");
  t->set_value(0.45);
  t->set_sample_size(48);
  t->set_unit("ratio");
  auto* none = view.rep.add_drivers();
  none->set_driver("stage_conversion_proposal");
  none->set_unit("ratio");
  v1::Benchmark b;
  b.set_driver("connect_rate");
  b.set_median(0.31);
  b.set_p75(0.35);
  b.set_peers(11);
  view.benchmarks.push_back(b);
  b.set_driver("talk_ratio");
  b.set_median(0.52);
  view.benchmarks.push_back(b);
  v1::RecommendFocusSkillResponse rec;
  rec.set_status(v1::RECOMMENDATION_STATUS_RECOMMENDED);
  rec.mutable_focus()->set_competency_id("connecting");
  rec.mutable_focus()->set_competency_name("Connecting");
  rec.mutable_focus()->set_bookings_gain_minor(2'340'000);
  rec.set_rationale("Dana's connect rate is 18% vs 31% for peers.");
  view.recommendation = rec;
  const std::string text = RepText(view);
  EXPECT_NE(text.find("Dana Reyes (p_dana) | account executive | 2024-06"), std::string::npos) << text;
  EXPECT_NE(text.find("connect_rate               18%          31%  35%     412     11  -42% worse"), std::string::npos) << text;
  EXPECT_NE(text.find("talk_ratio                 45%          52%  35%      48     11  -13% better"), std::string::npos)
      << "lower talk ratio is better\n" << text;
  EXPECT_NE(text.find("stage_conversion_proposal    -            -    -       0      0\n"), std::string::npos)
      << "no sample: no value, not 0%\n" << text;
  EXPECT_NE(text.find("Focus skill: Connecting [connecting] (recommended)"), std::string::npos) << text;
  EXPECT_NE(text.find("gain: $23,400 a month"), std::string::npos);
  EXPECT_NE(text.find("Plan: none for 2024-06 (coachctl plan create p_dana)"), std::string::npos);
  auto j = RepJson(view);
  EXPECT_EQ(j["rep"]["drivers"][0]["sample_size"], "412");
  EXPECT_EQ(j["recommendation"]["focus"]["competency_id"], "connecting");
  EXPECT_TRUE(j["plan"].is_null());
}

}  // namespace
}  // namespace cs::coachctl
