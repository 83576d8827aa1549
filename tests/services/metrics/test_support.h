#pragma once

// Test support for the metrics core: an in-memory store implementing the
// ports, event builders, and a harness that ingests batches the way the
// adapter does (Apply each event, then persist TakeMutations atomically).

#include <atomic>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "coachstream/v1/event.pb.h"
#include "coachstream/v1/metrics_service.pb.h"
#include "libs/base/clock.h"
#include "services/metrics/core/metrics_core.h"
#include "services/metrics/core/queries.h"

namespace cs::metrics::testing {

class MemoryStore final : public StateReader, public StateScanner {
 public:
  absl::StatusOr<std::optional<std::string>> Get(std::string_view key) const override;
  absl::StatusOr<bool> Empty() const override { return data_.empty(); }
  absl::Status Scan(std::string_view prefix,
                    absl::FunctionRef<bool(std::string_view, std::string_view)> fn) const override;
  // Applies a batch like one RocksDB WriteBatch. Fails the test on a key
  // written twice in one batch.
  void Write(const std::vector<Mutation>& batch);
  const std::map<std::string, std::string, std::less<>>& data() const { return data_; }
  // Number of Get calls so far (each key read at most once per batch).
  int gets() const { return gets_.load(); }

 private:
  std::map<std::string, std::string, std::less<>> data_;
  mutable std::atomic<int> gets_ = 0;  // Get may be called from several apply threads
};

// "2024-06-03T10:00:00" in `zone` (default UTC).
absl::Time At(std::string_view civil_second, std::string_view zone = "UTC");
absl::TimeZone Zone(std::string_view name);

// Event builders: the common envelope, then the payload.
coachstream::v1::Event Envelope(std::string_view event_id, std::string_view rep, absl::Time occurred_at,
                                std::string_view tenant = "acme");
coachstream::v1::Event Call(std::string_view event_id, std::string_view rep, absl::Time at,
                            bool connected = false, std::string_view deal_id = "");
coachstream::v1::Event Person(std::string_view person_id, std::string_view manager_id,
                              coachstream::v1::Role role, std::string_view segment,
                              std::string_view time_zone = "", absl::Time updated_at = absl::UnixEpoch());
struct DealSpec {
  std::string deal_id;
  std::string owner;
  std::string previous_owner;
  coachstream::v1::DealStage stage = coachstream::v1::DEAL_STAGE_PROSPECTING;
  coachstream::v1::DealStage previous_stage = coachstream::v1::DEAL_STAGE_UNSPECIFIED;
  coachstream::v1::ChangeKind change = coachstream::v1::CHANGE_KIND_UPDATED;
  int64_t amount_minor = 0;
  int64_t version = 0;
  absl::Time created_at = absl::UnixEpoch();
  int32_t discount_bps = 0;
  absl::CivilDay close_date = absl::CivilDay(1970, 1, 1);  // 1970-01-01 = unset
};
coachstream::v1::Event Deal(std::string_view event_id, absl::Time at, const DealSpec& spec);
coachstream::v1::Event Meeting(std::string_view event_id, std::string_view rep, absl::Time changed_at,
                               std::string_view meeting_id, coachstream::v1::MeetingKind kind,
                               coachstream::v1::MeetingStatus status, absl::Time start,
                               absl::Duration length, absl::Time booked_at = absl::UnixEpoch(),
                               std::string_view deal_id = "");
coachstream::v1::Event Session(std::string_view event_id, std::string_view rep, absl::Time at,
                               std::string_view session_id, coachstream::v1::SessionKind kind, int minutes,
                               std::string_view calendar_meeting_id = "", bool deleted = false);

// Ingests like the adapter: each call to Ingest is one poll batch.
class Harness {
 public:
  explicit Harness(absl::Time now = At("2024-12-31T00:00:00"), MetricsCoreOptions options = {});

  // Applies every event (results appended to results()), then persists the
  // batch's mutations. Fails the test on an Apply error.
  void Ingest(const std::vector<coachstream::v1::Event>& batch);
  void IngestEach(const std::vector<coachstream::v1::Event>& events);  // one batch per event
  // Drops the core and starts a fresh one over the same store (a restart).
  void Restart();

  // driver -> value of GetRepDrivers; fails the test on an error.
  std::map<std::string, coachstream::v1::DriverValue> Drivers(std::string_view rep, std::string_view period);
  double Value(std::string_view rep, std::string_view period, std::string_view driver);
  double Numerator(std::string_view rep, std::string_view period, std::string_view driver);
  double Denominator(std::string_view rep, std::string_view period, std::string_view driver);
  int64_t Sample(std::string_view rep, std::string_view period, std::string_view driver);
  // Makes the stored T at `key` look as an earlier version wrote it
  // (`downgrade` edits it), then restarts, so that the core reads it back.
  // Fails the test if the key is absent or does not parse.
  template <typename T, typename F>
  void RewriteStored(const std::string& key, F downgrade) {
    auto stored = store_.Get(key);
    ASSERT_TRUE(stored.ok() && stored->has_value()) << key;
    T value;
    ASSERT_TRUE(value.ParseFromString(**stored)) << key;
    downgrade(value);
    store_.Write({Mutation{Mutation::Op::kPut, key, value.SerializeAsString()}});
    Restart();
  }

  MemoryStore& store() { return store_; }
  ManualClock& clock() { return clock_; }
  MetricsCore& core() { return *core_; }
  const MetricsQueries& queries() const { return queries_; }
  const std::vector<ApplyResult>& results() const { return results_; }
  const MetricsCoreOptions& options() const { return options_; }

 private:
  MetricsCoreOptions options_;
  MemoryStore store_;
  ManualClock clock_;
  std::unique_ptr<MetricsCore> core_;
  MetricsQueries queries_;
  std::vector<ApplyResult> results_;
};

}  // namespace cs::metrics::testing
