// The HR / org feed (io.coachstream.hr.person): coachstream's own record, as
// read by services/ingest/core/parse_hr.cc.

#include <map>

#include "absl/strings/str_format.h"
#include "tools/simulate/encoders.h"

namespace cs::simulate {
namespace {

// Months that carry quotas: every month of every quarter the window touches,
// so each quarter quota is exactly the sum of its months.
std::vector<absl::CivilMonth> QuotaMonths(const Window& w) {
  absl::CivilMonth first(w.first_day);
  absl::CivilMonth last(w.end_day - 1);
  first -= (first.month() - 1) % 3;
  last += 2 - (last.month() - 1) % 3;
  std::vector<absl::CivilMonth> out;
  for (absl::CivilMonth m = first; m <= last; ++m) out.push_back(m);
  return out;
}

// A rep's quota for `month` in whole USD: new hires ramp in at 25% for their
// first three months (DOMAIN.md: reps ramp over their first quarters).
int64_t RepQuota(const Person& p, absl::CivilMonth month) {
  if (p.monthly_quota_usd == 0) return 0;
  const absl::CivilMonth start(p.start_date);
  if (month < start) return 0;
  return p.new_hire && month - start < 3 ? p.monthly_quota_usd / 4 : p.monthly_quota_usd;
}

// Managers, directors and the VP carry the sum of their subtree.
int64_t SubtreeQuota(const Org& org, int person, absl::CivilMonth month) {
  const Person& p = org.people[person];
  if (IsRep(p.role)) return RepQuota(p, month);
  int64_t sum = 0;
  for (int r : org.ReportsOf(person)) sum += SubtreeQuota(org, r, month);
  return sum;
}

Json Quotas(const Org& org, int person) {
  Json quotas = Json::array();
  std::map<std::string, int64_t> quarters;
  for (absl::CivilMonth m : QuotaMonths(org.window)) {
    const int64_t usd = SubtreeQuota(org, person, m);
    quarters[absl::StrFormat("%04d-Q%d", m.year(), (m.month() - 1) / 3 + 1)] += usd;
    quotas.push_back({{"period", absl::StrFormat("%04d-%02d", m.year(), m.month())},
                      {"amount", absl::StrFormat("%d.00", usd)},
                      {"currency", "USD"}});
  }
  for (const auto& [period, usd] : quarters) {
    quotas.push_back({{"period", period}, {"amount", absl::StrFormat("%d.00", usd)}, {"currency", "USD"}});
  }
  return quotas;
}

}  // namespace

SimRecord EncodePerson(const EncodeContext& ctx, int person, absl::Time updated_at) {
  const Org& org = ctx.org;
  const Person& p = org.people[person];
  Json v;
  v["person_id"] = p.person_id;
  v["updated_at"] = Rfc3339Ms(updated_at);
  v["display_name"] = p.display_name();
  v["emails"] = Json::array({p.email});
  v["system_ids"] = {{"salesforce", p.ids.salesforce}, {"hubspot", p.ids.hubspot},
                     {"gong", p.ids.gong},             {"salesloft", p.ids.salesloft},
                     {"outreach", p.ids.outreach},     {"google", p.email},
                     {"microsoft", p.ids.microsoft}};
  if (p.manager >= 0) v["manager_id"] = org.people[p.manager].person_id;
  v["role"] = std::string(RoleName(p.role));
  if (!p.segment.empty()) v["segment"] = p.segment;
  v["time_zone"] = p.time_zone;
  v["start_date"] = DateText(p.start_date);
  v["active"] = true;
  const bool carries_quota = p.role != Role::kSdr;
  v["quotas"] = carries_quota ? Quotas(org, person) : Json::array();
  CeAttributes ce;
  ce.id = "hr:" + org.options.tenant + ":" + p.person_id + ":" + std::to_string(Millis(updated_at));
  ce.source = "/connectors/hr/" + org.options.tenant;
  ce.type = "io.coachstream.hr.person";
  ce.time = Rfc3339Ms(updated_at);
  ce.subject = "person/" + p.person_id;
  ce.tenant_id = org.options.tenant;
  return MakeRecord(kTopicOrg, p.person_id, "hr", std::move(ce), v);
}

}  // namespace cs::simulate
