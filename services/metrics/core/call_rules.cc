#include "services/metrics/core/call_rules.h"

#include <cmath>

#include "libs/base/status.h"
#include "services/metrics/core/deal_rules.h"

namespace cs::metrics {
namespace {

using coachstream::v1::CallEvent;
using coachstream::v1::CallStats;
using coachstream::v1::RepPeriodAgg;

// Per-call contributions in the fixed-point units of RepPeriodAgg; a stat
// that is unset or out of range contributes nothing (unknown, not zero).
struct CallParts {
  bool outbound = false;
  bool connected = false;
  bool booked = false;
  int64_t talk_ppm = -1;
  int64_t monologue_s = -1;
  int64_t question_milli = -1;
  int next_step = -1;  // -1 unknown, 0 no, 1 yes
};

CallParts PartsOf(const CallEvent& call) {
  CallParts p;
  p.outbound = call.direction() == coachstream::v1::CALL_DIRECTION_OUTBOUND ||
               call.direction() == coachstream::v1::CALL_DIRECTION_UNSPECIFIED;
  p.connected = call.connected();
  p.booked = call.meeting_booked();
  const CallStats& s = call.stats();
  if (s.has_talk_ratio() && s.talk_ratio() >= 0.0 && s.talk_ratio() <= 1.0) {
    p.talk_ppm = std::llround(s.talk_ratio() * 1e6);
  }
  if (s.has_longest_monologue_s() && s.longest_monologue_s() >= 0) p.monologue_s = s.longest_monologue_s();
  if (s.has_question_rate_per_hour() && s.question_rate_per_hour() >= 0.0 &&
      std::isfinite(s.question_rate_per_hour())) {
    p.question_milli = std::llround(s.question_rate_per_hour() * 1000.0);
  }
  if (s.has_has_next_step()) p.next_step = s.has_next_step() ? 1 : 0;
  return p;
}

void AddCall(const CallParts& p, RepPeriodAgg& a) {
  if (p.outbound) {
    a.set_calls_made(a.calls_made() + 1);
    if (p.connected) a.set_calls_connected(a.calls_connected() + 1);
  }
  if (p.booked) a.set_meetings_booked_by_call(a.meetings_booked_by_call() + 1);
  if (p.talk_ppm >= 0) {
    a.set_talk_ratio_ppm_sum(a.talk_ratio_ppm_sum() + p.talk_ppm);
    a.set_talk_ratio_calls(a.talk_ratio_calls() + 1);
  }
  if (p.monologue_s >= 0) {
    a.set_longest_monologue_s_sum(a.longest_monologue_s_sum() + p.monologue_s);
    a.set_longest_monologue_calls(a.longest_monologue_calls() + 1);
  }
  if (p.question_milli >= 0) {
    a.set_question_rate_milli_sum(a.question_rate_milli_sum() + p.question_milli);
    a.set_question_rate_calls(a.question_rate_calls() + 1);
  }
  if (p.next_step >= 0) {
    a.set_next_step_calls(a.next_step_calls() + p.next_step);
    a.set_next_step_known_calls(a.next_step_known_calls() + 1);
  }
}

}  // namespace

absl::StatusOr<ApplyResult> ApplyCallEvent(Ledger& ledger, const coachstream::v1::Event& event,
                                           absl::Time t) {
  const CallEvent& call = event.call();
  CS_ASSIGN_OR_RETURN(int32_t day, ledger.RepDay(event.tenant_id(), event.rep_id(), t));
  CS_ASSIGN_OR_RETURN(AggRefs aggs, ledger.Aggs(event.tenant_id(), event.rep_id(), day));
  const CallParts parts = PartsOf(call);
  aggs.ForEach([&](RepPeriodAgg& a) { AddCall(parts, a); });
  if (!call.deal_id().empty()) {
    CS_RETURN_IF_ERROR(RecordDealActivity(ledger, event.tenant_id(), call.deal_id(), t));
  }
  return ApplyResult::kApplied;
}

}  // namespace cs::metrics
