#pragma once

// Internal to the activity model: shared state of one BuildWorld run and the
// per-concern generators (prospecting, deals, coaching, conversations).

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "tools/simulate/org_model.h"
#include "tools/simulate/profiles.h"
#include "tools/simulate/rng.h"
#include "tools/simulate/world.h"

namespace cs::simulate::internal {

bool IsWorkday(absl::CivilDay day);
absl::CivilDay AddWorkdays(absl::CivilDay day, int n);
// `minutes` after local midnight of `day` in `tz`.
absl::Time LocalTime(absl::CivilDay day, int minutes, absl::TimeZone tz);
// A business-hours start (09:00-16:30 on the half hour) on `day`.
absl::Time BusinessSlot(absl::CivilDay day, absl::TimeZone tz, Rng& rng);
// The workday on or after the local day of `t`.
absl::CivilDay WorkdayOf(absl::Time t, absl::TimeZone tz);

// Per-run counters of every id kind (ids depend only on creation order).
class IdCounters {
 public:
  explicit IdCounters(uint64_t salt) : salt_(salt) {}
  std::string Opportunity() { return SfId("006", opp_++); }
  std::string LineItem() { return SfId("00k", line_++); }
  std::string SfAccount() { return SfId("001", account_++); }
  std::string HubspotDeal();
  std::string GongCall();
  int64_t SalesloftCall() { return 918000000 + static_cast<int64_t>(dial_++) * 7 + 3; }
  int64_t OutreachCall() { return 482000 + static_cast<int64_t>(dial_++) * 3 + 1; }
  std::string CalendarEvent(CalendarSystem system);

 private:
  static std::string SfId(std::string_view prefix, uint64_t n);
  uint64_t salt_;
  uint64_t opp_ = 0, line_ = 0, account_ = 0, hs_deal_ = 0, gong_ = 0, dial_ = 0, event_ = 0;
};

struct Builder {
  Builder(const Org& o, World& w) : org(o), world(w), ids(o.vendor.id_salt) {}

  absl::TimeZone Zone(const std::string& name);
  // A new prospect company for a rep of `segment`, with 1-3 contacts.
  int NewAccount(const std::string& segment, Rng& rng);
  // Adds `m` if it was created inside the window; returns its index or -1.
  int AddMeeting(Meeting m);
  bool InWindow(absl::Time t) const { return t >= org.window.start && t < org.window.end; }

  const Org& org;
  World& world;
  IdCounters ids;
  // Discovery meetings SDRs booked, by the account executive who holds them.
  std::map<int, std::vector<Meeting>> handoffs;
  // Deliberate nasties still to place (see activity_deals.cc).
  int gaps_to_place = 1;
  int out_of_order_sf_to_place = 2;
  int out_of_order_hubspot_to_place = 1;

 private:
  std::map<std::string, absl::TimeZone> zones_;
};

// activity_prospecting.cc: dials, booked discovery meetings and the deals
// they start, for one rep. SDRs must be generated before account executives
// (their bookings become the AEs' meetings).
void GenerateRep(Builder& b, int rep);
// activity_deals.cc: one deal from a held discovery meeting; `won` is decided
// by the caller's rate sampler.
void GenerateDeal(Builder& b, int rep, const RepProfile& profile, int account, absl::Time created,
                  bool won, Rng& rng);
// activity_coaching.cc: 1:1s (weekly, micro-coaching), team and staff meetings.
void GenerateCoaching(Builder& b);
// activity_model.cc: Gong records of the held customer meetings.
void GenerateConversations(Builder& b);

}  // namespace cs::simulate::internal
