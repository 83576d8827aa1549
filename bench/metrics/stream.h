#pragma once

// The synthetic stream the metrics benchmarks replay: an org directory, one
// event per rep and month of history, then recent activity at a realistic
// density, in time order.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "coachstream/v1/event.pb.h"

namespace cs::bench {

inline constexpr char kTenant[] = "acme";
inline constexpr char kTopic[] = "coaching.events.v1";

struct StreamConfig {
  int64_t events = 600'000;  // recent events, on top of one per rep and month
  int recent_days = 7;       // the recent events span the last this many days
  int reps = 10'000;         // in teams of 12 under frontline managers
  int months = 24;           // history: one event per rep and month from first_month on
};

std::string RepId(int r);
std::string ManagerId(int m);

// The directory (director, managers, reps), then months x reps history
// events, then `events` recent ones; deterministic for a given config and
// time of day.
std::vector<coachstream::v1::Event> MakeStream(const StreamConfig& c, absl::CivilMonth first_month);

}  // namespace cs::bench
