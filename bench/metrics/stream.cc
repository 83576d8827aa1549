#include "bench/metrics/stream.h"

#include <random>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace cs::bench {

using coachstream::v1::Event;

namespace {

void SetTime(google::protobuf::Timestamp* ts, int64_t s) { ts->set_seconds(s); }

}  // namespace

std::string RepId(int r) { return absl::StrCat("rep-", r); }
std::string ManagerId(int m) { return absl::StrCat("mgr-", m); }

// The org (teams of 12 under frontline managers, one director) and a
// stream of activity spread so that every rep has events in every month of
// the window: ~80% calls, 10% meetings, 8% deal stage moves, 2% sessions.
// Customer meetings name one of the rep's 40 accounts.
std::vector<Event> MakeStream(const StreamConfig& c, absl::CivilMonth first_month) {
  std::vector<Event> out;
  out.reserve(static_cast<size_t>(c.events) + static_cast<size_t>(c.reps) * (c.months + 2));
  const int managers = (c.reps + 11) / 12;
  auto person = [&](const std::string& id, const std::string& manager, coachstream::v1::Role role) {
    Event e;
    e.set_event_id("person/" + id);
    e.set_tenant_id(kTenant);
    e.set_rep_id(id);
    const int64_t updated = absl::ToUnixSeconds(absl::FromCivil(first_month - 1, absl::UTCTimeZone()));
    SetTime(e.mutable_occurred_at(), updated);
    auto* p = e.mutable_person()->mutable_person();
    p->set_tenant_id(kTenant);
    p->set_person_id(id);
    p->set_display_name("Name of " + id);
    p->set_manager_id(manager);
    p->set_role(role);
    p->set_segment(role == coachstream::v1::ROLE_SDR ? "smb" : "enterprise");
    p->set_active(true);
    SetTime(p->mutable_updated_at(), updated);
    out.push_back(std::move(e));
  };
  person("director", "", coachstream::v1::ROLE_DIRECTOR);
  for (int m = 0; m < managers; ++m) person(ManagerId(m), "director", coachstream::v1::ROLE_FRONTLINE_MANAGER);
  for (int r = 0; r < c.reps; ++r) {
    person(RepId(r), ManagerId(r / 12), r % 4 == 0 ? coachstream::v1::ROLE_SDR : coachstream::v1::ROLE_ACCOUNT_EXECUTIVE);
  }
  std::mt19937_64 rng(42);
  std::vector<int> deal_stage(static_cast<size_t>(c.reps) * 2, 1);
  std::vector<int64_t> deal_version(static_cast<size_t>(c.reps) * 2, 0);
  const int64_t month_start0 = absl::ToUnixSeconds(absl::FromCivil(first_month, absl::UTCTimeZone()));
  int64_t seq = 0;
  auto activity = [&](int rep, int64_t at) {
    const int64_t i = seq++;
    Event e;
    e.set_event_id(absl::StrCat("ev-", i));
    e.set_tenant_id(kTenant);
    e.set_rep_id(RepId(rep));
    SetTime(e.mutable_occurred_at(), at);
    const int kind = static_cast<int>(rng() % 100);
    const int deal = rep * 2 + static_cast<int>(rng() % 2);
    const std::string deal_id = absl::StrCat("deal-", deal);
    if (kind < 80) {
      auto* call = e.mutable_call();
      call->set_call_id(absl::StrCat("call-", i));
      call->set_direction(coachstream::v1::CALL_DIRECTION_OUTBOUND);
      call->set_connected(rng() % 3 == 0);
      call->set_duration_ms(static_cast<int64_t>(rng() % 600'000));
      if (call->connected()) {
        call->mutable_stats()->set_talk_ratio(0.3 + static_cast<double>(rng() % 40) / 100.0);
        call->mutable_stats()->set_longest_monologue_s(static_cast<int32_t>(rng() % 200));
        call->mutable_stats()->set_has_next_step(rng() % 2 == 0);
      }
      if (rng() % 4 == 0) call->set_deal_id(deal_id);
    } else if (kind < 90) {
      auto* m = e.mutable_meeting();
      m->set_meeting_id(absl::StrCat("m-", i));
      m->set_kind(rng() % 5 == 0 ? coachstream::v1::MEETING_KIND_ONE_ON_ONE : coachstream::v1::MEETING_KIND_CUSTOMER);
      // A customer meeting names its account, one of the rep's 40, as
      // ingest does (the first meeting with each is tracked per rep).
      if (m->kind() == coachstream::v1::MEETING_KIND_CUSTOMER) {
        m->set_account_domain(absl::StrCat("a", rep, "-", (i * 7919) % 40, ".example"));  // not from rng: the rest of the stream stays as it was
      }
      m->set_status(coachstream::v1::MEETING_STATUS_SCHEDULED);
      SetTime(m->mutable_start_at(), at + 3600);
      SetTime(m->mutable_end_at(), at + 3600 + 1800);
      SetTime(m->mutable_booked_at(), at);
    } else if (kind < 98) {
      auto* d = e.mutable_deal();
      d->set_deal_id(deal_id);
      d->set_owner_id(e.rep_id());
      int& stage = deal_stage[static_cast<size_t>(deal)];
      d->set_previous_stage(static_cast<coachstream::v1::DealStage>(stage));
      stage = stage >= 7 ? 1 : stage + 1;
      d->set_stage(static_cast<coachstream::v1::DealStage>(stage));
      d->set_is_closed(stage >= 6);
      d->set_is_won(stage == 6);
      d->set_change(coachstream::v1::CHANGE_KIND_UPDATED);
      d->mutable_amount()->set_amount_minor(100'000 + deal);
      d->set_source_version(++deal_version[static_cast<size_t>(deal)]);
      SetTime(d->mutable_created_at(), month_start0 - 86400 * 20);
    } else {
      auto* s = e.mutable_coaching_session();
      s->set_session_id(absl::StrCat("s-", i));
      s->set_kind(coachstream::v1::SESSION_KIND_MICRO_COACHING);
      s->set_duration_minutes(25);
      s->set_deal_id(deal_id);
      s->set_coach_id(ManagerId(rep / 12));
    }
    out.push_back(std::move(e));
  };
  // History: one event per rep and month, in time order, so that every rep
  // has state in every month of the window.
  for (int m = 0; m < c.months; ++m) {
    const int64_t start = absl::ToUnixSeconds(absl::FromCivil(first_month + m, absl::UTCTimeZone()));
    for (int r = 0; r < c.reps; ++r) activity(r, start + int64_t{r} * (27 * 86400) / c.reps);
  }
  // Recent activity at a realistic density: --events over the last
  // --recent_days (an SDR makes dozens of calls a day), in time order.
  const int64_t end = absl::ToUnixSeconds(absl::Now()) - 3600;
  const int64_t span = int64_t{c.recent_days} * 86400;
  for (int64_t i = 0; i < c.events; ++i) {
    activity(static_cast<int>(rng() % static_cast<uint64_t>(c.reps)), end - span + i * span / c.events);
  }
  return out;
}

}  // namespace cs::bench
