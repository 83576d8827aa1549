#include "tests/integration/metrics_stream.h"

#include <algorithm>
#include <cstdlib>
#include <random>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "libs/base/clock.h"
#include "libs/base/period.h"
#include "services/metrics/core/open_deals.h"

namespace cs::testing::metrics_stream {
namespace {

using coachstream::v1::DealStage;
using coachstream::v1::Event;

absl::TimeZone LoadZone(const std::string& name) {
  absl::TimeZone tz;
  if (!absl::LoadTimeZone(name.empty() ? kDefaultZone : name, &tz)) std::abort();
  return tz;
}

void SetTime(google::protobuf::Timestamp* ts, absl::Time t) { ts->set_seconds(absl::ToUnixSeconds(t)); }

std::string QuarterText(absl::CivilMonth m) { return absl::StrCat(m.year(), "-Q", (m.month() - 1) / 3 + 1); }

class Generator {
 public:
  explicit Generator(const StreamOptions& options) : o_(options), rng_(options.seed) {}

  Stream Run() {
    const absl::CivilMonth now = absl::CivilMonth(absl::ToCivilSecond(absl::Now(), absl::UTCTimeZone()));
    s_.first_month = now - 4;
    s_.marker_month = now - 6;
    s_.managers = {"mgr", "mgr2", "dir"};
    s_.reps = {
        {"r_la", "America/Los_Angeles", coachstream::v1::ROLE_ACCOUNT_EXECUTIVE, "smb", "mgr"},
        {"r_tokyo", "Asia/Tokyo", coachstream::v1::ROLE_ACCOUNT_EXECUTIVE, "smb", "mgr"},
        {"r_berlin", "Europe/Berlin", coachstream::v1::ROLE_ACCOUNT_EXECUTIVE, "enterprise", "mgr"},
        {"r_default", "", coachstream::v1::ROLE_ACCOUNT_EXECUTIVE, "smb", "mgr"},
        {"r_kolkata", "Asia/Kolkata", coachstream::v1::ROLE_SDR, "smb", "mgr"},
        {"r_utc", "UTC", coachstream::v1::ROLE_SDR, "enterprise", "mgr"},
        {"r_chicago", "America/Chicago", coachstream::v1::ROLE_ACCOUNT_EXECUTIVE, "smb", "mgr2"},
    };
    std::map<std::string, std::vector<Event>> wave1, wave2;
    Person("dir", "", coachstream::v1::ROLE_DIRECTOR, "", kDefaultZone, &wave1["dir"]);
    Person("mgr", "dir", coachstream::v1::ROLE_FRONTLINE_MANAGER, "smb", "America/Los_Angeles", &wave1["mgr"]);
    Person("mgr2", "dir", coachstream::v1::ROLE_FRONTLINE_MANAGER, "smb", "America/Chicago", &wave1["mgr2"]);
    for (const Rep& r : s_.reps) {
      std::vector<Event>& list = wave1[r.id];
      Person(r.id, r.manager, r.role, r.segment, r.zone, &list);
      const size_t head = list.size();
      std::vector<std::string> deals;
      if (r.role == coachstream::v1::ROLE_ACCOUNT_EXECUTIVE) {
        for (int k = 0; k < o_.deals_per_ae; ++k) Deal(r, k, &list, &deals);
      }
      Calls(r, deals, &list);
      Meetings(r, &list);
      Sessions(r, deals, &list);
      // Event-time order within the partition, then late arrivals and redeliveries.
      std::stable_sort(list.begin() + static_cast<std::ptrdiff_t>(head), list.end(),
                       [](const Event& a, const Event& b) { return a.occurred_at().seconds() < b.occurred_at().seconds(); });
      Disorder(head, &list);
    }
    if (o_.owner_change) Transfer(&wave1, &wave2);
    s_.waves.push_back(Interleave(wave1, 1));
    if (!wave2.empty()) s_.waves.push_back(Interleave(wave2, 2));
    return std::move(s_);
  }

 private:
  double Uniform() { return std::uniform_real_distribution<double>(0, 1)(rng_); }
  int64_t Int(int64_t lo, int64_t hi) { return std::uniform_int_distribution<int64_t>(lo, hi)(rng_); }
  absl::Time WindowStart(absl::TimeZone tz) const { return absl::FromCivil(s_.first_month, tz); }
  absl::Time WindowEnd(absl::TimeZone tz) const { return absl::FromCivil(s_.first_month + 3, tz); }
  absl::Time RandomTime(absl::TimeZone tz, int months = 3) {
    const absl::Time start = WindowStart(tz);
    const int64_t span = absl::ToInt64Seconds(absl::FromCivil(s_.first_month + months, tz) - start);
    return start + absl::Seconds(Int(0, span - 1));
  }

  Event Base(std::string event_id, const std::string& rep, absl::Time at) {
    Event e;
    e.set_event_id(std::move(event_id));
    e.set_tenant_id(kTenant);
    e.set_rep_id(rep);
    SetTime(e.mutable_occurred_at(), at);
    e.set_source_system(coachstream::v1::SOURCE_SYSTEM_UNSPECIFIED);
    return e;
  }

  void Person(const std::string& id, const std::string& manager, coachstream::v1::Role role,
              const std::string& segment, const std::string& zone, std::vector<Event>* out) {
    const absl::Time updated = absl::FromCivil(s_.first_month - 1, absl::UTCTimeZone());
    zones_[id] = zone;
    Event e = Base(absl::StrCat("person/", id, "/1"), id, updated);
    auto* p = e.mutable_person()->mutable_person();
    p->set_tenant_id(kTenant);
    p->set_person_id(id);
    p->set_display_name("Name of " + id);
    p->set_manager_id(manager);
    p->set_role(role);
    p->set_segment(segment);
    p->set_time_zone(zone);
    p->set_active(true);
    SetTime(p->mutable_updated_at(), updated);
    if (role == coachstream::v1::ROLE_ACCOUNT_EXECUTIVE) {
      if (id == "r_berlin") {  // a quarter quota only: months take a share by days
        auto* q = p->add_quotas();
        q->set_period(QuarterText(s_.first_month));
        q->mutable_amount()->set_amount_minor(15'000'000);
        q->mutable_amount()->set_currency_code("USD");
      } else {
        for (int m = 0; m < 3; ++m) {
          auto* q = p->add_quotas();
          q->set_period(absl::FormatCivilTime(s_.first_month + m));
          q->mutable_amount()->set_amount_minor(4'000'000 + Int(0, 20) * 100'000);
          q->mutable_amount()->set_currency_code("USD");
        }
      }
    }
    out->push_back(e);
    if (id == "r_tokyo") {  // a newer record, then the older one again (stale)
      Event newer = e;
      newer.set_event_id(absl::StrCat("person/", id, "/2"));
      newer.mutable_person()->mutable_person()->set_display_name("Renamed " + id);
      SetTime(newer.mutable_person()->mutable_person()->mutable_updated_at(), updated + absl::Hours(24));
      SetTime(newer.mutable_occurred_at(), updated + absl::Hours(24));
      out->push_back(newer);
      out->push_back(e);
    }
  }

  void CountCall(const std::string& id, const std::string& zone, absl::Time t) {
    const absl::TimeZone tz = LoadZone(zone);
    const absl::CivilMonth month(absl::ToCivilSecond(t, tz));
    for (const std::string& period :
         {absl::FormatTime("%Y-%m", t, tz), absl::FormatTime("%G-W%V", t, tz), QuarterText(month)}) {
      ++s_.calls_made[{id, period}];
    }
  }

  void Calls(const Rep& r, const std::vector<std::string>& deals, std::vector<Event>* out) {
    const absl::TimeZone tz = LoadZone(r.zone);
    std::vector<absl::Time> times;
    for (int i = 0; i < o_.calls_per_rep; ++i) times.push_back(RandomTime(tz));
    // Period boundaries in the rep's zone: each month start and its first
    // Monday (an ISO week start), the second before and the instant itself.
    for (int m = 0; m < 3; ++m) {
      absl::CivilDay first(s_.first_month + m);
      absl::CivilDay monday = first;
      while (absl::GetWeekday(monday) != absl::Weekday::monday) ++monday;
      for (absl::CivilDay d : {first, monday}) {
        times.push_back(absl::FromCivil(d, tz) - absl::Seconds(1));
        times.push_back(absl::FromCivil(d, tz));
      }
    }
    for (size_t i = 0; i < times.size(); ++i) {
      Event e = Base(absl::StrCat("call/", r.id, "/", i), r.id, times[i]);
      auto* c = e.mutable_call();
      c->set_call_id(absl::StrCat(r.id, "-c", i));
      const bool outbound = Uniform() < 0.85;
      c->set_direction(outbound ? coachstream::v1::CALL_DIRECTION_OUTBOUND : coachstream::v1::CALL_DIRECTION_INBOUND);
      c->set_connected(Uniform() < 0.35);
      c->set_duration_ms(Int(10, 900) * 1000);
      if (c->connected()) {
        c->mutable_stats()->set_talk_ratio(static_cast<double>(Int(25, 80)) / 100.0);
        c->mutable_stats()->set_longest_monologue_s(static_cast<int32_t>(Int(10, 240)));
        c->mutable_stats()->set_question_rate_per_hour(static_cast<double>(Int(2, 30)));
        c->mutable_stats()->set_has_next_step(Uniform() < 0.5);
        if (r.role == coachstream::v1::ROLE_SDR && Uniform() < 0.3) c->set_meeting_booked(true);
      }
      if (!deals.empty() && Uniform() < 0.2) c->set_deal_id(deals[static_cast<size_t>(Int(0, deals.size() - 1))]);
      if (outbound) CountCall(r.id, r.zone, times[i]);
      out->push_back(e);
      if (Uniform() < o_.resync_rate) {  // the vendor re-sends the call under a new id
        Event resync = e;
        resync.set_event_id(e.event_id() + "/resync");
        out->push_back(resync);
      }
    }
  }

  void Meetings(const Rep& r, std::vector<Event>* out) {
    const absl::TimeZone tz = LoadZone(r.zone);
    for (int i = 0; i < o_.meetings_per_rep; ++i) {
      const absl::Time booked = RandomTime(tz);
      const absl::Time start = absl::FromCivil(
          absl::CivilHour(absl::ToCivilSecond(booked + absl::Hours(Int(20, 24 * 7)), tz)), tz);
      const std::string id = absl::StrCat(r.id, "-m", i);
      Event e = Base(absl::StrCat("mtg/", id, "/1"), r.id, booked);
      auto* m = e.mutable_meeting();
      m->set_meeting_id(id);
      m->set_kind(coachstream::v1::MEETING_KIND_CUSTOMER);
      m->set_status(coachstream::v1::MEETING_STATUS_SCHEDULED);
      SetTime(m->mutable_start_at(), start);
      SetTime(m->mutable_end_at(), start + absl::Minutes(Uniform() < 0.5 ? 30 : 60));
      SetTime(m->mutable_booked_at(), booked);
      m->set_external_attendees(2);
      if (Uniform() >= 0.3) {
        out->push_back(e);
        continue;
      }
      // Rescheduled two days later or cancelled; sometimes the update
      // arrives first (the original is then an older snapshot: stale).
      Event update = e;
      update.set_event_id(absl::StrCat("mtg/", id, "/2"));
      SetTime(update.mutable_occurred_at(), booked + absl::Hours(Int(1, 19)));
      if (Uniform() < 0.5) {
        SetTime(update.mutable_meeting()->mutable_start_at(), start + absl::Hours(48));
        SetTime(update.mutable_meeting()->mutable_end_at(), start + absl::Hours(49));
      } else {
        update.mutable_meeting()->set_status(coachstream::v1::MEETING_STATUS_CANCELLED);
      }
      if (Uniform() < 0.3) std::swap(e, update);
      out->push_back(e);
      out->push_back(update);
    }
    for (int i = 0; i < 4; ++i) {  // calendar 1:1s with the manager
      const absl::Time start = absl::FromCivil(absl::CivilHour(absl::ToCivilSecond(RandomTime(tz), tz)), tz);
      const std::string id = absl::StrCat(r.id, "-o", i);
      Event e = Base(absl::StrCat("mtg/", id, "/1"), r.id, start - absl::Hours(72));
      auto* m = e.mutable_meeting();
      m->set_meeting_id(id);
      m->set_kind(coachstream::v1::MEETING_KIND_ONE_ON_ONE);
      m->set_status(coachstream::v1::MEETING_STATUS_SCHEDULED);
      SetTime(m->mutable_start_at(), start);
      SetTime(m->mutable_end_at(), start + absl::Minutes(i % 2 == 0 ? 30 : 45));
      SetTime(m->mutable_booked_at(), start - absl::Hours(72));
      m->set_counterpart_id(r.manager);
      out->push_back(e);
    }
  }

  void Sessions(const Rep& r, const std::vector<std::string>& deals, std::vector<Event>* out) {
    const absl::TimeZone tz = LoadZone(r.zone);
    for (int i = 0; i < o_.sessions_per_rep; ++i) {
      const absl::Time at = RandomTime(tz);
      const std::string id = absl::StrCat(r.id, "-s", i);
      Event e = Base(absl::StrCat("sess/", id, "/1"), r.id, at);
      auto* s = e.mutable_coaching_session();
      s->set_session_id(id);
      s->set_coach_id(r.manager);
      const bool micro = !deals.empty() && i % 2 == 1;
      s->set_kind(micro ? coachstream::v1::SESSION_KIND_MICRO_COACHING : coachstream::v1::SESSION_KIND_MONTHLY_ONE_ON_ONE);
      s->set_duration_minutes(micro ? 25 : 30);
      if (micro) s->set_deal_id(deals[static_cast<size_t>(i) % deals.size()]);
      if (i == 0) s->set_calendar_meeting_id(absl::StrCat(r.id, "-o0"));  // logged for a calendar 1:1
      out->push_back(e);
      if (i == 2 || i == 3) {  // edited, or withdrawn, later
        Event again = e;
        again.set_event_id(absl::StrCat("sess/", id, "/2"));
        SetTime(again.mutable_occurred_at(), at + absl::Hours(3));
        if (i == 2) again.mutable_coaching_session()->set_duration_minutes(45);
        if (i == 3) again.mutable_coaching_session()->set_deleted(true);
        out->push_back(again);
      }
    }
  }

  // One deal through its stages: full snapshots with increasing versions.
  void Deal(const Rep& r, int k, std::vector<Event>* out, std::vector<std::string>* ids) {
    const absl::TimeZone tz = LoadZone(r.zone);
    const std::string id = absl::StrCat(r.id, "-d", k);
    ids->push_back(id);
    absl::Time t = RandomTime(tz, 2);
    const absl::Time created = t;
    const absl::Time last = WindowEnd(tz) - absl::Hours(2);
    coachstream::v1::DealEvent d;
    d.set_deal_id(id);
    d.set_name("Deal " + id);
    d.set_owner_id(r.id);
    d.set_stage(coachstream::v1::DEAL_STAGE_PROSPECTING);
    d.mutable_amount()->set_amount_minor(Int(10, 500) * 10'000);
    d.mutable_amount()->set_currency_code("USD");
    absl::CivilDay close = absl::CivilDay(absl::ToCivilSecond(t, tz)) + 30;
    SetTime(d.mutable_created_at(), created);
    std::vector<Event> snaps;
    auto snap = [&](coachstream::v1::ChangeKind change, DealStage previous) {
      d.set_change(change);
      d.set_previous_stage(previous);
      d.set_source_version(static_cast<int64_t>(snaps.size()) + 1);
      d.mutable_close_date()->set_year(static_cast<int32_t>(close.year()));
      d.mutable_close_date()->set_month(close.month());
      d.mutable_close_date()->set_day(close.day());
      Event e = Base(absl::StrCat("deal/", id, "/v", snaps.size() + 1), r.id, t);
      *e.mutable_deal() = d;
      snaps.push_back(std::move(e));
    };
    snap(coachstream::v1::CHANGE_KIND_CREATED, coachstream::v1::DEAL_STAGE_UNSPECIFIED);
    const int advances = static_cast<int>(Int(0, 4));
    for (int a = 0; a < advances; ++a) {
      const absl::Time next = t + absl::Hours(Int(24, 24 * 20));  // gaps past 14 days stall
      if (next > last) break;
      t = next;
      const DealStage previous = d.stage();
      d.set_stage(static_cast<DealStage>(static_cast<int>(d.stage()) + 1));
      if (Uniform() < 0.3) close += 14;  // the close date slips
      snap(coachstream::v1::CHANGE_KIND_UPDATED, previous);
    }
    const double outcome = Uniform();
    const absl::Time close_at = t + absl::Hours(Int(24, 24 * 10));
    if (outcome < 0.75 && close_at <= last) {
      t = close_at;
      const DealStage previous = d.stage();
      const bool won = outcome < 0.5;
      d.set_stage(won ? coachstream::v1::DEAL_STAGE_CLOSED_WON : coachstream::v1::DEAL_STAGE_CLOSED_LOST);
      d.set_is_closed(true);
      d.set_is_won(won);
      if (won) d.set_discount_bps(static_cast<int32_t>(Int(0, 2500)));
      snap(coachstream::v1::CHANGE_KIND_UPDATED, previous);
      if (won && Uniform() < 0.3) {  // the won amount is corrected a day later
        t += absl::Hours(24);
        d.mutable_amount()->set_amount_minor(d.amount().amount_minor() + 50'000);
        snap(coachstream::v1::CHANGE_KIND_UPDATED, coachstream::v1::DEAL_STAGE_UNSPECIFIED);
      }
    } else if (k == 0 && t + absl::Hours(24) <= last) {  // deleted while open
      t += absl::Hours(24);
      snap(coachstream::v1::CHANGE_KIND_DELETED, coachstream::v1::DEAL_STAGE_UNSPECIFIED);
    }
    if (snaps.size() >= 3 && Uniform() < 0.25) std::swap(snaps[1], snaps[2]);  // out of order
    for (Event& e : snaps) out->push_back(std::move(e));
  }

  // A deal created by r_la in the first wave, handed to r_default in the
  // second (with the hand-off copy to r_la), then won by r_default.
  void Transfer(std::map<std::string, std::vector<Event>>* wave1, std::map<std::string, std::vector<Event>>* wave2) {
    const absl::TimeZone tz = LoadZone("America/Los_Angeles");
    const absl::Time created = WindowStart(tz) + absl::Hours(24 * 5 + 3);
    Event e = Base("deal/transfer/v1", "r_la", created);
    auto* d = e.mutable_deal();
    d->set_deal_id("transfer");
    d->set_name("Handed over");
    d->set_change(coachstream::v1::CHANGE_KIND_CREATED);
    d->set_owner_id("r_la");
    d->set_stage(coachstream::v1::DEAL_STAGE_PROPOSAL);
    d->mutable_amount()->set_amount_minor(2'500'000);
    d->mutable_amount()->set_currency_code("USD");
    SetTime(d->mutable_created_at(), created);
    d->set_source_version(1);
    auto& la = (*wave1)["r_la"];
    la.insert(la.begin() + 1, e);  // right after r_la's directory record
    Event moved = e;
    moved.set_event_id("deal/transfer/v2");
    moved.set_rep_id("r_default");
    SetTime(moved.mutable_occurred_at(), created + absl::Hours(24 * 30));
    moved.mutable_deal()->set_change(coachstream::v1::CHANGE_KIND_UPDATED);
    moved.mutable_deal()->set_owner_id("r_default");
    moved.mutable_deal()->set_previous_owner_id("r_la");
    moved.mutable_deal()->set_source_version(2);
    Event handoff = moved;
    handoff.set_event_id("deal/transfer/v2/handoff");
    handoff.set_rep_id("r_la");
    Event won = moved;
    won.set_event_id("deal/transfer/v3");
    SetTime(won.mutable_occurred_at(), created + absl::Hours(24 * 40));
    won.mutable_deal()->clear_previous_owner_id();
    won.mutable_deal()->set_previous_stage(coachstream::v1::DEAL_STAGE_PROPOSAL);
    won.mutable_deal()->set_stage(coachstream::v1::DEAL_STAGE_CLOSED_WON);
    won.mutable_deal()->set_is_closed(true);
    won.mutable_deal()->set_is_won(true);
    won.mutable_deal()->set_source_version(3);
    (*wave2)["r_default"] = {moved, won};
    (*wave2)["r_la"] = {handoff};
  }

  // Late arrivals (moved to the end) and exact redeliveries (a copy later on).
  void Disorder(size_t head, std::vector<Event>* list) {
    std::vector<Event> kept(list->begin(), list->begin() + static_cast<std::ptrdiff_t>(head)), late;
    for (size_t i = head; i < list->size(); ++i) {
      (Uniform() < o_.late_rate ? late : kept).push_back((*list)[i]);
    }
    for (Event& e : late) kept.push_back(std::move(e));
    std::vector<std::pair<double, Event>> placed;
    for (size_t i = 0; i < kept.size(); ++i) {
      placed.emplace_back(static_cast<double>(i), kept[i]);
      if (i >= head && Uniform() < o_.duplicate_rate) {
        placed.emplace_back(static_cast<double>(Int(static_cast<int64_t>(i) + 1, kept.size())) + 0.5, kept[i]);
      }
    }
    std::stable_sort(placed.begin(), placed.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    list->clear();
    for (auto& [pos, e] : placed) list->push_back(std::move(e));
  }

  // Merges the partitions' lists in a random interleaving (each list keeps
  // its order), each rep's ending with its marker call for `wave`.
  std::vector<Event> Interleave(std::map<std::string, std::vector<Event>>& lists, int wave) {
    for (const auto& [id, zone] : zones_) {
      const absl::Time at = absl::FromCivil(absl::CivilDay(s_.marker_month) + 14, LoadZone(zone)) + absl::Hours(12);
      Event e = Base(absl::StrCat("marker/", id, "/", wave), id, at);
      e.mutable_call()->set_call_id(e.event_id());
      e.mutable_call()->set_direction(coachstream::v1::CALL_DIRECTION_OUTBOUND);
      CountCall(id, zone, at);
      lists[id].push_back(e);
    }
    std::vector<std::pair<std::vector<Event>*, size_t>> cursors;
    for (auto& [key, list] : lists) cursors.push_back({&list, 0});
    std::vector<Event> out;
    while (!cursors.empty()) {
      const size_t pick = static_cast<size_t>(Int(0, cursors.size() - 1));
      auto& [list, next] = cursors[pick];
      out.push_back((*list)[next++]);
      if (next == list->size()) cursors.erase(cursors.begin() + static_cast<std::ptrdiff_t>(pick));
    }
    return out;
  }

  const StreamOptions o_;
  std::mt19937_64 rng_;
  Stream s_;
  std::map<std::string, std::string> zones_;  // every person (partition key) -> zone
};

}  // namespace

std::vector<std::string> Stream::Periods() const {
  std::vector<std::string> out;
  std::set<std::string> seen;
  auto add = [&](const std::string& p) {
    if (seen.insert(p).second) out.push_back(p);
  };
  for (int m = 0; m < 3; ++m) add(Month(m));
  for (int m = 0; m < 3; ++m) add(QuarterText(first_month + m));
  for (absl::CivilDay d(first_month); d < absl::CivilDay(first_month + 3); ++d) {
    add(FormatPeriod(PeriodOfDay(PeriodKind::kWeek, d)));
  }
  return out;
}

std::string Stream::Month(int i) const { return absl::FormatCivilTime(first_month + i); }

size_t Stream::records() const {
  size_t n = 0;
  for (const auto& w : waves) n += w.size();
  return n;
}

Stream Generate(const StreamOptions& options) { return Generator(options).Run(); }

kafka::OutRecord ToRecord(const Event& event) {
  kafka::OutRecord r;
  r.topic = "coaching.events.v1";
  r.key = event.tenant_id() + "/" + event.rep_id();  // as ingest keys it
  r.value = event.SerializeAsString();
  r.headers = {{"ce_type", "io.coachstream.event.v1"}, {"ce_id", event.event_id()}};
  return r;
}

metrics::MetricsCoreOptions OracleOptions() {
  metrics::MetricsCoreOptions options;
  options.default_time_zone = kDefaultZone;
  return options;
}

class Oracle::State final : public metrics::StateReader, public metrics::StateScanner {
 public:
  absl::StatusOr<std::optional<std::string>> Get(std::string_view key) const override {
    auto it = data_.find(key);
    if (it == data_.end()) return std::optional<std::string>();
    return std::optional<std::string>(it->second);
  }
  absl::Status Scan(std::string_view prefix,
                    absl::FunctionRef<bool(std::string_view, std::string_view)> fn) const override {
    for (auto it = data_.lower_bound(prefix); it != data_.end() && it->first.starts_with(prefix); ++it) {
      if (!fn(it->first, it->second)) break;
    }
    return absl::OkStatus();
  }
  void Write(metrics::MetricsCore& core) {
    core.TakeMutations([&](metrics::Mutation::Op op, std::string_view key, std::string_view value) {
      if (op == metrics::Mutation::Op::kPut) {
        data_[std::string(key)] = std::string(value);
      } else {
        data_.erase(std::string(key));
      }
    });
  }

 private:
  std::map<std::string, std::string, std::less<>> data_;
};

Oracle::Oracle() : state_(std::make_unique<State>()) {
  core_ = *metrics::MetricsCore::Create(OracleOptions(), *state_, SystemClock::Get());
  queries_ = std::make_unique<metrics::MetricsQueries>(*state_, *state_, SystemClock::Get(), OracleOptions());
}

Oracle::~Oracle() = default;

void Oracle::Apply(const std::vector<Event>& wave) {
  for (const Event& e : wave) {
    if (!applied_ids_.emplace(e.event_id(), true).second) continue;
    if (!core_->Apply(e).ok()) std::abort();
  }
  state_->Write(*core_);
}

absl::StatusOr<coachstream::v1::ListOpenDealsResponse> Oracle::ListOpenDeals(
    const coachstream::v1::ListOpenDealsRequest& request) const {
  return metrics::ListOpenDeals(*state_, *state_, request);
}

}  // namespace cs::testing::metrics_stream
