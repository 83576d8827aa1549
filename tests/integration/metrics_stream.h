#pragma once

// A generated stream of canonical coachstream.v1.Event for the metrics
// service's multi-process tests, and the oracle its answers are compared
// with: an in-process MetricsCore over an in-memory store, fed the same
// deduplicated stream.
//
// The org: a director, two frontline managers, seven reps in six zones
// (one without a zone: the service's --default_time_zone), AEs and SDRs in
// two segments, month and quarter quotas. Per rep: calls (with stats, some
// linked to deals, at local midnights of month and ISO-week starts),
// customer meetings (rescheduled, cancelled, updates out of order), 1:1s,
// coaching sessions (edited, withdrawn, linked to a calendar 1:1), deals
// through their stages to won/lost/open with slipping close dates and
// out-of-order snapshots; exact redeliveries and vendor re-syncs of calls;
// late events moved to the end of their partition's stream.
//
// Events are produced in waves. Within a wave only one partition's order is
// guaranteed (the key is "tenant/rep_id"), so every piece of state shared
// across reps (a deal handed to another owner) changes in a later wave than
// the one that created it. Each wave ends with one marker call per person
// (every partition key) in `marker_month`: once a person's marker count
// there equals the wave number, everything before it on that person's
// partition is committed.

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/civil_time.h"
#include "coachstream/v1/event.pb.h"
#include "coachstream/v1/metrics_service.pb.h"
#include "libs/kafka/kafka.h"
#include "services/metrics/core/metrics_core.h"
#include "services/metrics/core/queries.h"

namespace cs::testing::metrics_stream {

inline constexpr char kTenant[] = "acme";
// Zone of reps without one in the directory: pass as --default_time_zone.
inline constexpr char kDefaultZone[] = "America/New_York";

struct Rep {
  std::string id;
  std::string zone;  // empty: kDefaultZone
  coachstream::v1::Role role;
  std::string segment;
  std::string manager;
};

struct StreamOptions {
  uint64_t seed = 1;
  int calls_per_rep = 120;
  int meetings_per_rep = 12;
  int deals_per_ae = 6;
  int sessions_per_rep = 6;
  double duplicate_rate = 0.08;  // exact redeliveries (same record again, later)
  double resync_rate = 0.03;     // a call re-sent by the vendor under a new event id
  double late_rate = 0.05;       // events moved to the end of their partition's wave
  bool owner_change = true;      // a deal handed from one rep to another (second wave)
};

struct Stream {
  std::vector<Rep> reps;
  std::vector<std::string> managers;  // frontline managers, then the director
  absl::CivilMonth first_month;       // the window: first_month .. first_month + 2
  absl::CivilMonth marker_month;
  // Records to produce, wave by wave, in order (redeliveries included).
  std::vector<std::vector<coachstream::v1::Event>> waves;
  // (rep, period) -> outbound calls, counted by the generator in the rep's
  // zone with strftime (independent of the core's period code).
  std::map<std::pair<std::string, std::string>, int> calls_made;

  // The months, quarters and ISO weeks of the window.
  std::vector<std::string> Periods() const;
  std::string Month(int i) const;  // "YYYY-MM" of first_month + i
  size_t records() const;
};

Stream Generate(const StreamOptions& options);

// The Kafka record ingest would produce for `event`.
kafka::OutRecord ToRecord(const coachstream::v1::Event& event);

// MetricsCore + MetricsQueries over an in-memory store, on the system clock.
class Oracle {
 public:
  Oracle();
  ~Oracle();
  // Applies a wave: each event_id once, in order, as one batch.
  void Apply(const std::vector<coachstream::v1::Event>& wave);
  const metrics::MetricsQueries& queries() const { return *queries_; }
  absl::StatusOr<coachstream::v1::ListOpenDealsResponse> ListOpenDeals(
      const coachstream::v1::ListOpenDealsRequest& request) const;

 private:
  class State;
  std::unique_ptr<State> state_;
  std::unique_ptr<metrics::MetricsCore> core_;
  std::unique_ptr<metrics::MetricsQueries> queries_;
  std::map<std::string, bool> applied_ids_;
};

metrics::MetricsCoreOptions OracleOptions();

}  // namespace cs::testing::metrics_stream
