#include "tests/services/metrics/test_support.h"

#include <gtest/gtest.h>

#include <set>

namespace cs::metrics::testing {

using coachstream::v1::Event;

absl::StatusOr<std::optional<std::string>> MemoryStore::Get(std::string_view key) const {
  ++gets_;
  auto it = data_.find(key);
  if (it == data_.end()) return std::optional<std::string>();
  return std::optional<std::string>(it->second);
}

absl::Status MemoryStore::Scan(std::string_view prefix,
                               absl::FunctionRef<bool(std::string_view, std::string_view)> fn) const {
  for (auto it = data_.lower_bound(prefix); it != data_.end(); ++it) {
    if (std::string_view(it->first).substr(0, prefix.size()) != prefix) break;
    if (!fn(it->first, it->second)) break;
  }
  return absl::OkStatus();
}

void MemoryStore::Write(const std::vector<Mutation>& batch) {
  std::set<std::string> keys;
  for (const Mutation& m : batch) {
    EXPECT_TRUE(keys.insert(m.key).second) << "key written twice in one batch: " << m.key;
    if (m.op == Mutation::Op::kPut) {
      data_[m.key] = m.value;
    } else {
      data_.erase(m.key);
    }
  }
}

absl::TimeZone Zone(std::string_view name) {
  absl::TimeZone zone;
  EXPECT_TRUE(absl::LoadTimeZone(std::string(name), &zone)) << name;
  return zone;
}

absl::Time At(std::string_view civil_second, std::string_view zone) {
  absl::CivilSecond cs;
  EXPECT_TRUE(absl::ParseCivilTime(std::string(civil_second), &cs)) << civil_second;
  return absl::FromCivil(cs, Zone(zone));
}

namespace {

void SetTime(google::protobuf::Timestamp* ts, absl::Time t) {
  const int64_t ns = absl::ToUnixNanos(t);
  ts->set_seconds(absl::ToUnixSeconds(t));
  ts->set_nanos(static_cast<int32_t>(ns - absl::ToUnixSeconds(t) * 1000000000LL));
}

}  // namespace

Event Envelope(std::string_view event_id, std::string_view rep, absl::Time occurred_at, std::string_view tenant) {
  Event e;
  e.set_event_id(std::string(event_id));
  e.set_tenant_id(std::string(tenant));
  e.set_rep_id(std::string(rep));
  SetTime(e.mutable_occurred_at(), occurred_at);
  return e;
}

Event Call(std::string_view event_id, std::string_view rep, absl::Time at, bool connected, std::string_view deal_id) {
  Event e = Envelope(event_id, rep, at);
  auto* c = e.mutable_call();
  c->set_call_id(std::string("call-") + std::string(event_id));
  c->set_direction(coachstream::v1::CALL_DIRECTION_OUTBOUND);
  c->set_connected(connected);
  c->set_deal_id(std::string(deal_id));
  return e;
}

Event Person(std::string_view person_id, std::string_view manager_id, coachstream::v1::Role role,
             std::string_view segment, std::string_view time_zone, absl::Time updated_at) {
  Event e = Envelope(std::string("person-") + std::string(person_id), person_id, updated_at);
  auto* p = e.mutable_person()->mutable_person();
  p->set_tenant_id("acme");
  p->set_person_id(std::string(person_id));
  p->set_display_name(std::string("Name of ") + std::string(person_id));
  p->set_manager_id(std::string(manager_id));
  p->set_role(role);
  p->set_segment(std::string(segment));
  p->set_time_zone(std::string(time_zone));
  p->set_active(true);
  SetTime(p->mutable_updated_at(), updated_at);
  return e;
}

Event Deal(std::string_view event_id, absl::Time at, const DealSpec& spec) {
  Event e = Envelope(event_id, spec.owner, at);
  auto* d = e.mutable_deal();
  d->set_deal_id(spec.deal_id);
  d->set_change(spec.change);
  d->set_name("Deal " + spec.deal_id);
  d->set_owner_id(spec.owner);
  d->set_previous_owner_id(spec.previous_owner);
  d->set_stage(spec.stage);
  d->set_previous_stage(spec.previous_stage);
  d->mutable_amount()->set_amount_minor(spec.amount_minor);
  d->set_is_closed(spec.stage == coachstream::v1::DEAL_STAGE_CLOSED_WON ||
                   spec.stage == coachstream::v1::DEAL_STAGE_CLOSED_LOST);
  d->set_is_won(spec.stage == coachstream::v1::DEAL_STAGE_CLOSED_WON);
  d->set_discount_bps(spec.discount_bps);
  d->set_source_version(spec.version);
  if (spec.created_at != absl::UnixEpoch()) SetTime(d->mutable_created_at(), spec.created_at);
  if (spec.close_date != absl::CivilDay(1970, 1, 1)) {
    d->mutable_close_date()->set_year(static_cast<int32_t>(spec.close_date.year()));
    d->mutable_close_date()->set_month(spec.close_date.month());
    d->mutable_close_date()->set_day(spec.close_date.day());
  }
  return e;
}

Event Meeting(std::string_view event_id, std::string_view rep, absl::Time changed_at, std::string_view meeting_id,
              coachstream::v1::MeetingKind kind, coachstream::v1::MeetingStatus status, absl::Time start,
              absl::Duration length, absl::Time booked_at, std::string_view deal_id) {
  Event e = Envelope(event_id, rep, changed_at);
  auto* m = e.mutable_meeting();
  m->set_meeting_id(std::string(meeting_id));
  m->set_kind(kind);
  m->set_status(status);
  SetTime(m->mutable_start_at(), start);
  SetTime(m->mutable_end_at(), start + length);
  if (booked_at != absl::UnixEpoch()) SetTime(m->mutable_booked_at(), booked_at);
  m->set_deal_id(std::string(deal_id));
  return e;
}

Event Session(std::string_view event_id, std::string_view rep, absl::Time at, std::string_view session_id,
              coachstream::v1::SessionKind kind, int minutes, std::string_view calendar_meeting_id, bool deleted) {
  Event e = Envelope(event_id, rep, at);
  auto* s = e.mutable_coaching_session();
  s->set_session_id(std::string(session_id));
  s->set_kind(kind);
  s->set_coach_id("mgr");
  s->set_duration_minutes(minutes);
  s->set_calendar_meeting_id(std::string(calendar_meeting_id));
  s->set_deleted(deleted);
  return e;
}

Harness::Harness(absl::Time now, MetricsCoreOptions options)
    : options_(std::move(options)), clock_(now), queries_(store_, store_, clock_, options_) {
  Restart();
}

void Harness::Restart() {
  auto core = MetricsCore::Create(options_, store_, clock_);
  EXPECT_TRUE(core.ok()) << core.status();
  core_ = std::move(*core);
}

void Harness::Ingest(const std::vector<Event>& batch) {
  for (const Event& e : batch) {
    absl::StatusOr<ApplyResult> r = core_->Apply(e);
    ASSERT_TRUE(r.ok()) << r.status() << " for " << e.event_id();
    results_.push_back(*r);
  }
  store_.Write(core_->TakeMutations());
}

void Harness::IngestEach(const std::vector<Event>& events) {
  for (const Event& e : events) Ingest({e});
}

std::map<std::string, coachstream::v1::DriverValue> Harness::Drivers(std::string_view rep, std::string_view period) {
  coachstream::v1::GetRepDriversRequest request;
  request.set_tenant_id("acme");
  request.set_rep_id(std::string(rep));
  request.set_period(std::string(period));
  auto response = queries_.GetRepDrivers(request);
  EXPECT_TRUE(response.ok()) << response.status();
  std::map<std::string, coachstream::v1::DriverValue> out;
  if (!response.ok()) return out;
  for (const auto& d : response->rep().drivers()) out[d.driver()] = d;
  return out;
}

double Harness::Value(std::string_view rep, std::string_view period, std::string_view driver) {
  auto drivers = Drivers(rep, period);
  auto it = drivers.find(std::string(driver));
  EXPECT_NE(it, drivers.end()) << driver;
  return it == drivers.end() ? -1 : it->second.value();
}

double Harness::Numerator(std::string_view rep, std::string_view period, std::string_view driver) {
  return Drivers(rep, period)[std::string(driver)].numerator();
}

double Harness::Denominator(std::string_view rep, std::string_view period, std::string_view driver) {
  return Drivers(rep, period)[std::string(driver)].denominator();
}

int64_t Harness::Sample(std::string_view rep, std::string_view period, std::string_view driver) {
  return Drivers(rep, period)[std::string(driver)].sample_size();
}

}  // namespace cs::metrics::testing
