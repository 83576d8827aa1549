#include "tools/simulate/activity_model.h"

#include <algorithm>

#include "tools/simulate/activity_internal.h"
#include "tools/simulate/ids.h"
#include "tools/simulate/names.h"

namespace cs::simulate {
namespace internal {

bool IsWorkday(absl::CivilDay day) {
  absl::Weekday w = absl::GetWeekday(day);
  return w != absl::Weekday::saturday && w != absl::Weekday::sunday;
}

absl::CivilDay AddWorkdays(absl::CivilDay day, int n) {
  while (n > 0) {
    ++day;
    if (IsWorkday(day)) --n;
  }
  while (!IsWorkday(day)) ++day;
  return day;
}

absl::Time LocalTime(absl::CivilDay day, int minutes, absl::TimeZone tz) {
  return absl::FromCivil(absl::CivilSecond(day.year(), day.month(), day.day(), minutes / 60,
                                           minutes % 60, 0),
                         tz);
}

absl::Time BusinessSlot(absl::CivilDay day, absl::TimeZone tz, Rng& rng) {
  return LocalTime(day, 9 * 60 + 30 * static_cast<int>(rng.Int(0, 15)), tz);
}

absl::CivilDay WorkdayOf(absl::Time t, absl::TimeZone tz) {
  absl::CivilDay day = absl::ToCivilDay(t, tz);
  while (!IsWorkday(day)) ++day;
  return day;
}

std::string IdCounters::SfId(std::string_view prefix, uint64_t n) { return SalesforceId(prefix, n); }

std::string IdCounters::HubspotDeal() { return DecimalId(salt_ ^ 0x21, hs_deal_++, 11); }

std::string IdCounters::GongCall() { return DecimalId(salt_ ^ 0x22, gong_++, 19); }

std::string IdCounters::CalendarEvent(CalendarSystem system) {
  const uint64_t n = event_++;
  return system == CalendarSystem::kGoogle ? GoogleEventId(salt_ ^ 0x23, n)
                                           : GraphEventId(salt_ ^ 0x24, n);
}

absl::TimeZone Builder::Zone(const std::string& name) {
  auto it = zones_.find(name);
  if (it != zones_.end()) return it->second;
  absl::TimeZone tz;
  if (!absl::LoadTimeZone(name, &tz)) tz = absl::UTCTimeZone();  // names are ours: never happens
  zones_.emplace(name, tz);
  return tz;
}

namespace {

std::string Slug(std::string_view name) {
  std::string out;
  for (char c : name) {
    if (c >= 'A' && c <= 'Z') out.push_back(static_cast<char>(c - 'A' + 'a'));
    else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) out.push_back(c);
    else if (c == ' ' && !out.empty() && out.back() != '-') out.push_back('-');
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out;
}

constexpr std::string_view kTitles[] = {"VP Operations", "Head of Sales",  "CFO",
                                        "IT Director",   "Procurement Lead", "COO",
                                        "Product Manager", "Office Manager"};

}  // namespace

int Builder::NewAccount(const std::string& segment, Rng& rng) {
  const size_t n = world.accounts.size();
  const auto& pre = CompanyPrefixes();
  const auto& suf = CompanySuffixes();
  Account a;
  // Walk the prefix x suffix grid with a stride so neighbours differ.
  const size_t cell = (n * 37) % (pre.size() * suf.size());
  a.name = std::string(pre[cell % pre.size()]) + " " + std::string(suf[cell / pre.size()]);
  const size_t round = n / (pre.size() * suf.size());
  if (round > 0) a.name += " " + std::to_string(round + 1);
  a.domain = Slug(a.name) + ".example";
  a.sf_account_id = ids.SfAccount();
  const int contacts = static_cast<int>(rng.Int(1, segment == "enterprise" ? 3 : 2));
  for (int i = 0; i < contacts; ++i) {
    Contact c;
    c.first_name = std::string(rng.Pick(FirstNames()));
    c.last_name = std::string(rng.Pick(LastNames()));
    c.email = Slug(c.first_name) + "." + Slug(c.last_name) + "@" + a.domain;
    c.title = std::string(kTitles[rng.Int(0, 7)]);
    a.contacts.push_back(std::move(c));
  }
  world.accounts.push_back(std::move(a));
  return static_cast<int>(n);
}

int Builder::AddMeeting(Meeting m) {
  if (m.synced_at == absl::Time()) m.synced_at = m.created_at;
  if (!InWindow(m.synced_at)) return -1;
  if (m.id.empty()) m.id = ids.CalendarEvent(m.system);
  world.meetings.push_back(std::move(m));
  return static_cast<int>(world.meetings.size()) - 1;
}

namespace {

Conversation Record(const Meeting& m, const RepProfile& p, Builder& b, Rng& rng) {
  Conversation c;
  c.call_id = b.ids.GongCall();
  c.rep = m.organizer;
  c.started = m.start + absl::Seconds(rng.Int(20, 240));
  const double planned = absl::ToDoubleSeconds(m.end - m.start);
  c.duration_s = static_cast<int>(planned * rng.Uniform(0.75, 1.05));
  c.talk_ratio = Clamp(rng.Normal(p.talk_ratio, 0.05), 0.15, 0.95);
  c.longest_monologue_s =
      static_cast<int>(Clamp(rng.LogNormal(p.longest_monologue_s, 0.3), 15, c.duration_s * 0.6));
  c.longest_customer_story_s = static_cast<int>(rng.LogNormal(90 * (1.0 - c.talk_ratio) / 0.45, 0.3));
  c.question_rate_per_hour = std::max(0.0, rng.Normal(p.question_rate_per_hour, 2.0));
  c.interactivity = Clamp(rng.Normal(p.interactivity, 0.8), 0, 10);
  c.patience_s = Clamp(rng.Normal(p.patience_s, 0.15), 0.1, 3);
  c.action_items = rng.Chance(m.deal >= 0 ? 0.8 : 0.6) ? static_cast<int>(rng.Int(1, 3)) : 0;
  c.analysed_at = c.started + absl::Seconds(c.duration_s) + absl::Minutes(rng.Int(20, 150));
  return c;
}

}  // namespace

void GenerateConversations(Builder& b) {
  std::map<int, RepProfile> profiles;
  for (size_t i = 0; i < b.world.meetings.size(); ++i) {
    const Meeting& m = b.world.meetings[i];
    if (m.kind != MeetingKind::kCustomer || m.cancelled) continue;
    if (m.start < b.org.window.start) continue;
    auto it = profiles.find(m.organizer);
    if (it == profiles.end()) {
      it = profiles.emplace(m.organizer, ProfileFor(b.org.people[m.organizer], b.org.options.seed)).first;
    }
    Rng rng = Rng::Derive(b.org.options.seed, "conversation", i);
    Conversation c = Record(m, it->second, b, rng);
    c.meeting = static_cast<int>(i);
    if (c.analysed_at < b.org.window.end) b.world.conversations.push_back(std::move(c));
  }
}

}  // namespace internal

World BuildWorld(const Org& org) {
  World world;
  internal::Builder b(org, world);
  for (Role role : {Role::kSdr, Role::kAccountExecutive}) {  // SDRs book for AEs
    for (int rep : org.Reps()) {
      if (org.people[rep].role == role) internal::GenerateRep(b, rep);
    }
  }
  internal::GenerateCoaching(b);
  internal::GenerateConversations(b);
  return world;
}

}  // namespace cs::simulate
