// The HR / org feed (io.coachstream.hr.person): one person record, or
// {"people": [...]}. The record is coachstream's own format: FORMATS.md.

#include <string>

#include "libs/base/status.h"
#include "services/ingest/core/money.h"
#include "services/ingest/core/parser_internal.h"
#include "services/ingest/core/time_parse.h"

namespace cs::ingest::internal {
namespace {

// coachstream.v1.Role numbers.
constexpr std::pair<std::string_view, int> kRoles[] = {
    {"sdr", 1},      {"account_executive", 2}, {"account_manager", 3}, {"frontline_manager", 4},
    {"director", 5}, {"vp", 6},                {"cro", 7},
};

constexpr std::pair<std::string_view, System> kSystems[] = {
    {"salesforce", System::kSalesforce}, {"hubspot", System::kHubspot},
    {"gong", System::kGong},             {"salesloft", System::kSalesloft},
    {"outreach", System::kOutreach},     {"google", System::kGoogleCalendar},
    {"microsoft", System::kMicrosoftGraph},
};

// "2024-06", "2024-W23", "2024-Q2" (shape only; the reader validates ranges).
bool LooksLikePeriod(std::string_view p) {
  auto digits = [&](size_t from, size_t n) {
    if (from + n > p.size()) return false;
    for (size_t i = from; i < from + n; ++i) {
      if (p[i] < '0' || p[i] > '9') return false;
    }
    return true;
  };
  if (!digits(0, 4) || p.size() < 6 || p[4] != '-') return false;
  if (p[5] == 'W') return p.size() == 8 && digits(6, 2);
  if (p[5] == 'Q') return p.size() == 7 && p[6] >= '1' && p[6] <= '4';
  return p.size() == 7 && digits(5, 2);
}

void ReadQuota(const json::Obj& q, PersonObs* p) {
  QuotaObs quota;
  quota.period = std::string(q.ReqStr("period"));
  quota.currency = std::string(q.ReqStr("currency"));
  if (!q.errors()->ok()) return;
  if (!LooksLikePeriod(quota.period)) {
    q.Fail(Reason::kInvalidValue, "period", "expected \"2024-06\", \"2024-W23\" or \"2024-Q2\"");
    return;
  }
  int exponent = CurrencyExponent(quota.currency);
  std::optional<int64_t> minor;
  if (std::optional<simdjson::dom::element> e = q.Get("amount"); e && e->is_string()) {
    minor = DecimalToMinor(q.Str("amount").value_or(""), exponent);
  } else if (std::optional<double> d = q.Num("amount")) {
    minor = DoubleToMinor(*d, exponent);
  }
  if (!minor || *minor < 0) {
    if (q.errors()->ok()) q.Fail(Reason::kInvalidValue, "amount", "expected a decimal amount >= 0");
    return;
  }
  quota.amount_minor = *minor;
  p->quotas.push_back(std::move(quota));
}

void ReadIdentity(const json::Obj& r, PersonObs* p) {
  if (std::optional<json::Arr> emails = r.Array("emails")) {
    for (std::string_view e : emails->Strings()) {
      if (e.find('@') == std::string_view::npos) {
        r.Fail(Reason::kInvalidValue, "emails", "\"" + std::string(e.substr(0, 64)) +
                                                    "\" is not an e-mail address");
        return;
      }
      p->emails.push_back(Lower(e));
    }
  }
  if (std::optional<json::Obj> ids = r.Object("system_ids")) {
    for (const auto& [name, system] : kSystems) {
      std::optional<std::string> id = ids->Id(name);
      if (id && !id->empty()) p->system_ids.emplace_back(system, *id);
    }
  }
}

void Person(const json::Obj& r, ParseContext& ctx) {
  PersonObs p;
  p.person_id = std::string(r.ReqStr("person_id"));
  p.updated_at = ReqTimeField(r, "updated_at");
  p.display_name = std::string(r.Str("display_name").value_or(""));
  p.manager_id = std::string(r.Str("manager_id").value_or(""));
  p.segment = std::string(r.Str("segment").value_or(""));
  p.active = r.Bool("active").value_or(true);
  p.deleted = r.Bool("deleted").value_or(false);
  ReadIdentity(r, &p);
  if (std::optional<std::string_view> role = r.Str("role")) {
    for (const auto& [name, number] : kRoles) {
      if (name == *role) p.role = number;
    }
    if (p.role == 0) r.Fail(Reason::kInvalidValue, "role", "unknown role (see FORMATS.md)");
  }
  if (std::optional<std::string_view> tz = r.Str("time_zone"); tz && !tz->empty()) {
    if (!LookupZone(*tz)) r.Fail(Reason::kInvalidValue, "time_zone", "unknown IANA time zone");
    p.time_zone = std::string(*tz);
  }
  if (std::optional<std::string_view> start = r.Str("start_date")) {
    p.start_date = ParseDate(*start);
    if (!p.start_date) r.Fail(Reason::kInvalidValue, "start_date", "expected YYYY-MM-DD");
  }
  if (std::optional<json::Arr> quotas = r.Array("quotas")) {
    quotas->ForEachObject([&](const json::Obj& q, size_t) { ReadQuota(q, &p); });
  }
  if (p.manager_id == p.person_id && !p.person_id.empty()) {
    r.Fail(Reason::kInvalidValue, "manager_id", "a person cannot manage themself");
  }
  p.event_id = "hr:" + p.person_id + ":" + std::to_string(ToMillis(p.updated_at));
  if (r.errors()->ok()) ctx.out->push_back(std::move(p));
}

}  // namespace

absl::Status ParseHrPerson(simdjson::dom::element root, ParseContext& ctx) {
  json::Errors errors;
  CS_ASSIGN_OR_RETURN(json::Obj obj, RootObject(root, &errors));
  if (obj.Has("people") == json::Presence::kAbsent) {
    Person(obj, ctx);
    return errors.status();
  }
  std::optional<json::Arr> people = obj.ReqArray("people");
  CS_RETURN_IF_ERROR(errors.status());
  ForEachItem(*people, "people", ctx, [&](const json::Obj& r) { Person(r, ctx); });
  return absl::OkStatus();
}

}  // namespace cs::ingest::internal
