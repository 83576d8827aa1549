#include "services/metrics/core/keys.h"

namespace cs::metrics {
namespace {

const absl::CivilDay kEpochDay(1970, 1, 1);

void AppendDigits(std::string* out, int value, int width) {
  char buf[12];
  int n = 0;
  unsigned v = value < 0 ? 0u : static_cast<unsigned>(value);
  do {
    buf[n++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0 && n < 11);
  for (int i = n; i < width; ++i) out->push_back('0');
  while (n > 0) out->push_back(buf[--n]);
}

void AppendPeriod(std::string* out, const Period& p) {
  AppendDigits(out, p.year, 4);
  out->push_back('-');
  switch (p.kind) {
    case PeriodKind::kWeek:
      out->push_back('W');
      AppendDigits(out, p.index, 2);
      break;
    case PeriodKind::kMonth: AppendDigits(out, p.index, 2); break;
    case PeriodKind::kQuarter:
      out->push_back('Q');
      AppendDigits(out, p.index, 1);
      break;
  }
}

void AppendTwo(std::string* out, std::string_view prefix, std::string_view a, std::string_view b) {
  out->append(prefix);
  AppendKeyComponent(out, a);
  out->push_back('/');
  AppendKeyComponent(out, b);
}

void AppendThree(std::string* out, std::string_view prefix, std::string_view a, std::string_view b,
                 std::string_view c) {
  AppendTwo(out, prefix, a, b);
  out->push_back('/');
  AppendKeyComponent(out, c);
}

}  // namespace

int32_t DayNumber(absl::CivilDay day) { return static_cast<int32_t>(day - kEpochDay); }
absl::CivilDay DayFromNumber(int32_t number) { return kEpochDay + number; }

void AppendKeyComponent(std::string* out, std::string_view id) {
  // Hot path (every event builds keys): one pass, no escaping needed
  // for ordinary ids.
  bool plain = true;
  for (char c : id) plain &= (c != '/') & (c != '%');
  if (plain) {
    out->append(id.data(), id.size());
    return;
  }
  for (char c : id) {
    if (c == '/') {
      out->append("%2F");
    } else if (c == '%') {
      out->append("%25");
    } else {
      out->push_back(c);
    }
  }
}

std::string UnescapeKeyComponent(std::string_view component) {
  std::string out;
  out.reserve(component.size());
  for (size_t i = 0; i < component.size(); ++i) {
    if (component[i] == '%' && component.substr(i, 3) == "%2F") {
      out.push_back('/');
      i += 2;
    } else if (component[i] == '%' && component.substr(i, 3) == "%25") {
      out.push_back('%');
      i += 2;
    } else {
      out.push_back(component[i]);
    }
  }
  return out;
}

std::string LastKeyComponent(std::string_view key) {
  size_t slash = key.rfind('/');
  return UnescapeKeyComponent(slash == std::string_view::npos ? key : key.substr(slash + 1));
}

void AggKeyInto(std::string* out, std::string_view tenant, std::string_view rep, const Period& month) {
  out->clear();
  AppendTwo(out, "agg/", tenant, rep);
  out->push_back('/');
  AppendPeriod(out, month);
}

std::string AggKey(std::string_view tenant, std::string_view rep, const Period& month) {
  std::string out;
  AggKeyInto(&out, tenant, rep, month);
  return out;
}

std::string AggRepPrefix(std::string_view tenant, std::string_view rep) {
  std::string out;
  AppendTwo(&out, "agg/", tenant, rep);
  out.push_back('/');
  return out;
}

bool MonthFromAggKey(std::string_view key, Period* month) {
  size_t slash = key.rfind('/');
  if (slash == std::string_view::npos) return false;
  absl::StatusOr<Period> p = ParsePeriod(key.substr(slash + 1));
  if (!p.ok() || p->kind != PeriodKind::kMonth) return false;
  *month = *p;
  return true;
}

void DealKeyInto(std::string* out, std::string_view tenant, std::string_view deal_id) {
  out->clear();
  AppendTwo(out, "deal/", tenant, deal_id);
}

void OpenDealKeyInto(std::string* out, std::string_view tenant, std::string_view rep,
                     std::string_view deal_id) {
  out->clear();
  AppendThree(out, "open/", tenant, rep, deal_id);
}

std::string OpenDealPrefix(std::string_view tenant, std::string_view rep) {
  std::string out;
  AppendTwo(&out, "open/", tenant, rep);
  out.push_back('/');
  return out;
}

void MeetingKeyInto(std::string* out, std::string_view tenant, std::string_view rep,
                    std::string_view meeting_id) {
  out->clear();
  AppendThree(out, "mtg/", tenant, rep, meeting_id);
}

void AccountKeyInto(std::string* out, std::string_view tenant, std::string_view rep, std::string_view domain) {
  out->clear();
  AppendThree(out, "acct/", tenant, rep, domain);
}

void SessionKeyInto(std::string* out, std::string_view tenant, std::string_view rep,
                    std::string_view session_id) {
  out->clear();
  AppendThree(out, "sess/", tenant, rep, session_id);
}

void PersonKeyInto(std::string* out, std::string_view tenant, std::string_view person_id) {
  out->clear();
  AppendTwo(out, "person/", tenant, person_id);
}

std::string PersonKey(std::string_view tenant, std::string_view person_id) {
  std::string out;
  PersonKeyInto(&out, tenant, person_id);
  return out;
}

std::string ReportKey(std::string_view tenant, std::string_view manager_id, std::string_view person_id) {
  std::string out;
  AppendThree(&out, "mgr/", tenant, manager_id, person_id);
  return out;
}

std::string ReportPrefix(std::string_view tenant, std::string_view manager_id) {
  std::string out;
  AppendTwo(&out, "mgr/", tenant, manager_id);
  out.push_back('/');
  return out;
}

std::string PeerPrefix(std::string_view tenant, int role, std::string_view segment) {
  std::string out = "peer/";
  AppendKeyComponent(&out, tenant);
  out.push_back('/');
  AppendDigits(&out, role, 2);
  out.push_back('/');
  AppendKeyComponent(&out, segment);
  out.push_back('/');
  return out;
}

std::string PeerKey(std::string_view tenant, int role, std::string_view segment,
                    std::string_view person_id) {
  std::string out = PeerPrefix(tenant, role, segment);
  AppendKeyComponent(&out, person_id);
  return out;
}

namespace {

// "<family>/<yyyymmdd>/"
void AppendDayPrefix(std::string* out, std::string_view family, absl::CivilDay day) {
  out->append(family);
  out->push_back('/');
  AppendDigits(out, static_cast<int>(day.year()), 4);
  AppendDigits(out, day.month(), 2);
  AppendDigits(out, day.day(), 2);
  out->push_back('/');
}

std::pair<std::string, std::string> DayFamilyRange(std::string_view family, absl::CivilDay first_kept_day) {
  std::string end;
  AppendDayPrefix(&end, family, first_kept_day);
  return {std::string(family) + "/", end};
}

}  // namespace

void SeenKeyInto(std::string* out, absl::CivilDay utc_day, std::string_view tenant, std::string_view rep) {
  out->clear();
  AppendDayPrefix(out, "seen", utc_day);
  AppendKeyComponent(out, tenant);
  out->push_back('/');
  AppendKeyComponent(out, rep);
}

std::pair<std::string, std::string> SeenExpiryRange(absl::CivilDay first_kept_day) {
  return DayFamilyRange("seen", first_kept_day);
}

void DedupKeyInto(std::string* out, absl::CivilDay utc_day, std::string_view tenant, int bucket) {
  out->clear();
  AppendDayPrefix(out, "dedup", utc_day);
  AppendKeyComponent(out, tenant);
  out->push_back('/');
  AppendDigits(out, bucket, 2);
}

std::pair<std::string, std::string> DedupExpiryRange(absl::CivilDay first_kept_day) {
  return DayFamilyRange("dedup", first_kept_day);
}

}  // namespace cs::metrics
