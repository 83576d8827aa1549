#include "tests/tools/coachctl/pack_fixture.h"

#include <string>

namespace cs::coachctl::testing {
namespace {

namespace v1 = coachstream::v1;

void AddDriver(v1::RepDrivers* rep, const std::string& name, double num, double den, int64_t n,
               const std::string& unit) {
  v1::DriverValue* d = rep->add_drivers();
  d->set_driver(name);
  d->set_numerator(num);
  d->set_denominator(den);
  d->set_value(den != 0 ? num / den : 0);
  d->set_sample_size(n);
  d->set_unit(unit);
}

v1::Benchmark Bench(const std::string& driver, double median, double p75, int peers) {
  v1::Benchmark b;
  b.set_driver(driver);
  b.set_median(median);
  b.set_p75(p75);
  b.set_peers(peers);
  return b;
}

}  // namespace

PackData DanaPack() {
  PackData d;
  d.tenant = "acme";
  d.month = "2024-06";
  d.generated_at = absl::FromCivil(absl::CivilSecond(2024, 6, 20, 9, 0, 0), absl::UTCTimeZone());
  v1::RepDrivers& rep = d.rep;
  rep.set_rep_id("p_dana");
  rep.set_display_name("Dana Reyes");
  rep.set_manager_id("p_mia");
  rep.set_role(v1::ROLE_ACCOUNT_EXECUTIVE);
  rep.set_segment("enterprise");
  AddDriver(&rep, "calls_made", 412, 1, 412, "count");
  AddDriver(&rep, "connect_rate", 74, 412, 412, "ratio");
  AddDriver(&rep, "meetings_booked", 19, 1, 19, "count");
  AddDriver(&rep, "win_rate_count", 4, 12, 12, "ratio");
  AddDriver(&rep, "avg_won_deal_size", 19'200'000, 4, 4, "minor_units");
  AddDriver(&rep, "talk_ratio", 21.6, 48, 48, "ratio");
  AddDriver(&rep, "bookings", 4'200'000, 1, 4, "minor_units");
  AddDriver(&rep, "quota", 10'000'000, 1, 1, "minor_units");
  AddDriver(&rep, "attainment", 4'200'000, 10'000'000, 1, "ratio");
  AddDriver(&rep, "open_pipeline", 23'500'000, 1, 9, "minor_units");
  d.benchmarks = {Bench("calls_made", 430, 510, 11), Bench("connect_rate", 0.31, 0.35, 11),
                  Bench("meetings_booked", 21, 26, 11), Bench("win_rate_count", 0.3, 0.36, 11),
                  Bench("avg_won_deal_size", 5'000'000, 6'200'000, 11), Bench("talk_ratio", 0.52, 0.6, 11),
                  Bench("bookings", 5'600'000, 7'000'000, 11)};
  d.focus_driver = "connect_rate";
  d.focus_unit = "ratio";
  const double rates[] = {0.21, 0.19, 0.2, 0.17, 0.16, 0.18};
  const char* months[] = {"2024-01", "2024-02", "2024-03", "2024-04", "2024-05", "2024-06"};
  for (int i = 0; i < 6; ++i) {
    v1::DriverPoint* p = &d.history.emplace_back();
    p->set_period(months[i]);
    p->mutable_value()->set_driver("connect_rate");
    p->mutable_value()->set_unit("ratio");
    p->mutable_value()->set_numerator(rates[i] * 400);
    p->mutable_value()->set_denominator(400);
    p->mutable_value()->set_value(rates[i]);
    p->mutable_value()->set_sample_size(400);
  }
  v1::RecommendFocusSkillResponse& r = d.recommendation;
  r.set_status(v1::RECOMMENDATION_STATUS_ACCEPTED);
  r.set_diagnosis_layer("skill");
  r.set_rationale("Dana's connect rate is 18% vs 31% for peers (412 calls over Apr-Jun). Raising that to the peer "
                  "level would add about $23,400 a month (+23 points of attainment), 72% more bookings.");
  v1::SkillCandidate& f = *r.mutable_focus();
  f.set_competency_id("connecting");
  f.set_competency_name("Connecting");
  f.set_bookings_gain_minor(2'340'000);
  f.set_attainment_gain_points(23.4);
  v1::DriverEvidence* e = f.add_evidence();
  e->set_driver("connect_rate");
  e->set_rep_value(0.185);
  e->set_raw_value(0.18);
  e->set_benchmark(0.31);
  e->set_sample_size(412);
  e->set_peers(11);
  v1::SkillCandidate* runner = r.add_runners_up();
  runner->set_competency_id("closing");
  runner->set_competency_name("Closing");
  runner->set_bookings_gain_minor(900'000);
  r.mutable_plan_template()->set_target_driver("connect_rate");
  r.mutable_plan_template()->set_target_value(0.27);
  r.mutable_plan_template()->add_activities("Call in the hours that connect best for your segment");
  for (const char* q : {"How do you think last month went? (bookings $42,000 a month over Apr-Jun, 42% of quota)",
                        "What went well? (Your win rate: 33% vs 30% for peers.)",
                        "Which one skill would move your numbers most? (the numbers point to Connecting: about "
                        "$23,400 a month)",
                        "What help do you need from me?"}) {
    r.add_agenda(q);
  }
  v1::CoachingPlan plan;
  plan.set_tenant_id("acme");
  plan.set_rep_id("p_dana");
  plan.set_month("2024-06");
  plan.set_competency_id("connecting");
  plan.add_activities("Find a direct dial or mobile before calling; avoid switchboards");
  v1::Objective* o = plan.add_objectives();
  o->set_objective_id("obj-1");
  o->set_competency_id("connecting");
  o->set_target_driver("connect_rate");
  o->set_target_value(0.27);
  o->set_deadline_period("2024-06");
  o->set_current_value(0.18);
  o->set_progress(v1::OBJECTIVE_PROGRESS_OFF_TRACK);
  d.plan = plan;
  v1::BoardRow row;
  row.set_rep_id("p_dana");
  row.set_display_name("Dana Reyes");
  row.set_tier(v1::TIER_B);
  row.mutable_gap()->set_remaining_quota_minor(5'800'000);
  row.mutable_gap()->set_pipeline_needed_minor(17'400'000);
  row.mutable_gap()->set_open_pipeline_minor(23'500'000);
  row.mutable_gap()->set_coverage(23'500'000.0 / 5'800'000.0);
  v1::MicroCoachingCandidate* c = row.add_micro_coaching();
  c->set_deal_id("006A");
  c->set_deal_name("Globex renewal");
  c->set_reason("stalled 21 days");
  c->set_score(3);
  d.board_row = row;
  return d;
}

}  // namespace cs::coachctl::testing
