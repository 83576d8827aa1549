// MetricsCore::ApplyBatch, on one thread or several, grouped by rep, leaves
// exactly the state (byte for byte) and the outcomes that Apply, event by
// event on one thread, leaves for the same batches: on a randomised stream built to cross the
// shards (deals handed between reps of different shards and back, closes
// and reopens, activity on deals, directory changes of time zones in the
// middle of batches, redeliveries, vendor re-syncs that add or drop a deal
// link) and on the metrics integration test's generated stream; also
// through the service's sink.

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <prometheus/registry.h>

#include "absl/strings/str_cat.h"
#include "libs/kafka/kafka.h"
#include "services/metrics/adapters/metrics_sink.h"
#include "services/metrics/core/ledger.h"
#include "services/metrics/core/metrics_core.h"
#include "tests/integration/metrics_stream.h"
#include "tests/services/metrics/test_support.h"

namespace cs::metrics {
namespace {

using coachstream::v1::DealStage;
using coachstream::v1::Event;
using testing::At;
using testing::DealSpec;
using testing::MemoryStore;

const absl::Time kNow = At("2024-12-31T00:00:00");

struct Outcome {
  std::map<std::string, std::string, std::less<>> state;
  std::vector<ApplyResult> results;
};

// Applies `events` in batches of `batch` as the adapter does: with
// threads == 0 event by event (Apply, the reference), else ApplyBatch.
Outcome Replay(const std::vector<Event>& events, size_t batch, int threads, MetricsCoreOptions options = {}) {
  options.apply_threads = std::max(1, threads);
  MemoryStore store;
  ManualClock clock(kNow);
  auto core = MetricsCore::Create(options, store, clock);
  EXPECT_TRUE(core.ok()) << core.status();
  Outcome run;
  for (size_t begin = 0; begin < events.size(); begin += batch) {
    const size_t end = std::min(events.size(), begin + batch);
    if (threads == 0) {
      for (size_t i = begin; i < end; ++i) {
        absl::StatusOr<ApplyResult> r = (*core)->Apply(events[i]);
        EXPECT_TRUE(r.ok()) << r.status();
        run.results.push_back(r.value_or(ApplyResult::kInvalid));
      }
    } else {
      std::vector<const Event*> pointers;
      for (size_t i = begin; i < end; ++i) pointers.push_back(&events[i]);
      std::vector<ApplyResult> results;
      absl::Status s = (*core)->ApplyBatch(pointers, &results);
      EXPECT_TRUE(s.ok()) << s;
      run.results.insert(run.results.end(), results.begin(), results.end());
    }
    store.Write((*core)->TakeMutations());
  }
  run.state = store.data();
  return run;
}

void ExpectSame(const Outcome& reference, const Outcome& parallel, const std::string& what) {
  ASSERT_EQ(reference.results.size(), parallel.results.size()) << what;
  for (size_t i = 0; i < reference.results.size(); ++i) {
    ASSERT_EQ(reference.results[i], parallel.results[i]) << what << ": outcome of event " << i;
  }
  EXPECT_EQ(reference.state.size(), parallel.state.size()) << what;
  for (const auto& [key, value] : reference.state) {
    auto it = parallel.state.find(key);
    if (it == parallel.state.end()) {
      ADD_FAILURE() << what << ": missing key " << key;
    } else if (it->second != value) {
      ADD_FAILURE() << what << ": different value at " << key;
    }
  }
}

// A stream that crosses shards as much as possible.
std::vector<Event> RandomStream(uint64_t seed, int n) {
  std::mt19937_64 rng(seed);
  auto pick = [&](int k) { return static_cast<int>(rng() % static_cast<uint64_t>(k)); };
  const int kReps = 16;
  const char* kZones[] = {"", "UTC", "America/New_York", "Europe/Berlin", "Asia/Kolkata", "Australia/Sydney"};
  const char* kDomains[] = {"globex.com", "initech.com", "umbrella.io", "gmail.com"};
  auto rep = [](int r) { return absl::StrCat("rep", r); };
  const absl::Time start = kNow - absl::Hours(24 * 120);
  auto when = [&] { return start + absl::Seconds(static_cast<int64_t>(rng() % (120ull * 86400))); };

  struct DealState {
    int owner = 0;
    int stage = 1;  // DealStage value
    int64_t version = 0;
    int64_t amount = 0;
    absl::Time created;
    absl::CivilDay close = absl::CivilDay(2025, 1, 15);
  };
  std::vector<DealState> deals(24);
  for (size_t d = 0; d < deals.size(); ++d) {
    deals[d].owner = pick(kReps);
    deals[d].amount = 10'000 + 1'000 * static_cast<int64_t>(d);
    deals[d].created = start + absl::Hours(24 * pick(30));
  }
  std::vector<Event> out;
  int64_t person_version = 0;
  for (int i = 0; i < n; ++i) {
    const std::string id = absl::StrCat("e", i);
    const int kind = pick(100);
    if (kind < 3) {  // directory: a (new) time zone, sometimes stale
      const int r = pick(kReps);
      const absl::Time updated = start + absl::Minutes(++person_version * (pick(10) == 0 ? -1 : 1));
      Event e = testing::Person(rep(r), "mgr", r % 3 == 0 ? coachstream::v1::ROLE_SDR : coachstream::v1::ROLE_ACCOUNT_EXECUTIVE,
                                r % 2 == 0 ? "smb" : "enterprise", kZones[pick(6)], updated);
      e.set_event_id(absl::StrCat("person-", i));
      out.push_back(std::move(e));
    } else if (kind < 45) {  // a call, often on a deal
      const int d = pick(static_cast<int>(deals.size()));
      const std::string deal = pick(10) < 4 ? absl::StrCat("deal", d) : "";
      out.push_back(testing::Call(id, rep(pick(kReps)), when(), pick(3) == 0, deal));
    } else if (kind < 50 && !out.empty()) {  // a vendor re-sync of an earlier call, deal link toggled
      const Event& earlier = out[static_cast<size_t>(pick(static_cast<int>(out.size())))];
      if (!earlier.has_call()) continue;
      Event e = earlier;
      e.set_event_id(id);
      e.mutable_call()->set_deal_id(e.call().deal_id().empty() ? absl::StrCat("deal", pick(24)) : "");
      out.push_back(std::move(e));
    } else if (kind < 55 && !out.empty()) {  // an exact redelivery
      Event e = out[static_cast<size_t>(pick(static_cast<int>(out.size())))];
      out.push_back(std::move(e));
    } else if (kind < 67) {  // a meeting (updates of a small pool), sometimes on a deal
      const int r = pick(kReps);
      const absl::Time changed = when();
      Event e = testing::Meeting(id, rep(r), changed, absl::StrCat("m", r, "-", pick(6)),
                                 pick(4) == 0 ? coachstream::v1::MEETING_KIND_ONE_ON_ONE
                                              : coachstream::v1::MEETING_KIND_CUSTOMER,
                                 pick(5) == 0 ? coachstream::v1::MEETING_STATUS_CANCELLED
                                              : coachstream::v1::MEETING_STATUS_SCHEDULED,
                                 changed + absl::Hours(pick(72)), absl::Minutes(30), changed,
                                 pick(3) == 0 ? absl::StrCat("deal", pick(24)) : "");
      e.mutable_meeting()->set_account_domain(kDomains[pick(4)]);
      out.push_back(std::move(e));
    } else if (kind < 72) {  // a coaching session, linked to a 1:1 or withdrawn
      const int r = pick(kReps);
      out.push_back(testing::Session(id, rep(r), when(), absl::StrCat("s", r, "-", pick(4)),
                                     pick(2) == 0 ? coachstream::v1::SESSION_KIND_MICRO_COACHING
                                                  : coachstream::v1::SESSION_KIND_MONTHLY_ONE_ON_ONE,
                                     15 + pick(45), pick(3) == 0 ? absl::StrCat("m", r, "-", pick(6)) : "",
                                     pick(10) == 0));
    } else {  // a deal snapshot: stage moves, closes, reopens, owner hand-offs
      const int d = pick(static_cast<int>(deals.size()));
      DealState& s = deals[static_cast<size_t>(d)];
      DealSpec spec;
      spec.deal_id = absl::StrCat("deal", d);
      spec.previous_stage = static_cast<DealStage>(s.stage);
      spec.change = s.version == 0 ? coachstream::v1::CHANGE_KIND_CREATED : coachstream::v1::CHANGE_KIND_UPDATED;
      const int move = pick(10);
      if (s.stage >= 6) {
        s.stage = move < 5 ? 3 : s.stage;  // reopen, or re-send the close
      } else if (move < 5) {
        s.stage = std::min(5, s.stage + 1);
      } else if (move < 6) {
        s.stage = std::max(1, s.stage - 1);
      } else if (move < 8) {
        s.stage = 6;  // won
      } else {
        s.stage = 7;  // lost
      }
      int previous_owner = -1;
      if (pick(6) == 0) {
        previous_owner = s.owner;
        s.owner = pick(kReps);
        if (s.owner == previous_owner) previous_owner = -1;
      }
      if (pick(4) == 0) s.close = s.close + (pick(20) - 5);
      if (pick(4) == 0) s.amount += 500;
      spec.owner = rep(s.owner);
      if (previous_owner >= 0) spec.previous_owner = rep(previous_owner);
      spec.stage = static_cast<DealStage>(s.stage);
      spec.amount_minor = s.amount;
      spec.version = ++s.version;
      spec.created_at = s.created;
      spec.discount_bps = 100 * pick(20);
      spec.close_date = s.close;
      const absl::Time at = s.created + absl::Hours(static_cast<int64_t>(s.version) * 30 + pick(20));
      Event e = testing::Deal(id, std::min(at, kNow - absl::Hours(1)), spec);
      out.push_back(e);
      if (previous_owner >= 0) {  // ingest's hand-off copy for the previous owner's partition
        e.set_event_id(id + "/handoff");
        e.set_rep_id(rep(previous_owner));
        out.push_back(std::move(e));
      }
    }
  }
  return out;
}

TEST(ParallelApplyTest, RandomStreamsMatchSerialApplyByteForByte) {
  for (uint64_t seed : {1, 2, 3}) {
    const std::vector<Event> events = RandomStream(seed, 6000);
    for (size_t batch : {size_t{700}, size_t{2500}, events.size()}) {
      const Outcome reference = Replay(events, batch, 0);
      ASSERT_GT(reference.state.size(), 100u);
      for (int threads : {1, 2, 3, 5}) {
        ExpectSame(reference, Replay(events, batch, threads),
                   absl::StrCat("seed ", seed, ", batch ", batch, ", ", threads, " threads"));
      }
    }
  }
}

TEST(ParallelApplyTest, GeneratedServiceStreamMatchesSerialApply) {
  cs::testing::metrics_stream::StreamOptions options;
  options.seed = 7;
  options.calls_per_rep = 400;
  const cs::testing::metrics_stream::Stream stream = cs::testing::metrics_stream::Generate(options);
  std::vector<Event> events;
  for (const auto& wave : stream.waves) events.insert(events.end(), wave.begin(), wave.end());
  ASSERT_GT(events.size(), 2000u);
  const MetricsCoreOptions core_options = cs::testing::metrics_stream::OracleOptions();
  for (size_t batch : {size_t{600}, size_t{3000}}) {
    const Outcome reference = Replay(events, batch, 0, core_options);
    for (int threads : {1, 4}) {
      ExpectSame(reference, Replay(events, batch, threads, core_options),
                 absl::StrCat("batch ", batch, ", ", threads, " threads"));
    }
  }
}

// The writes of several shards are merged: every key once, and each key
// family (agg/, dedup/, ...) one ascending run, as the store's insert hints
// expect.
TEST(ParallelApplyTest, StagedWritesAreOneSortedRunPerFamily) {
  const std::vector<Event> events = RandomStream(4, 6000);
  for (int threads : {1, 3}) {
    MetricsCoreOptions options;
    options.apply_threads = threads;
    MemoryStore store;
    ManualClock clock(kNow);
    auto core = MetricsCore::Create(options, store, clock);
    ASSERT_TRUE(core.ok()) << core.status();
    std::vector<const Event*> pointers;
    for (const Event& e : events) pointers.push_back(&e);
    std::vector<ApplyResult> results;
    ASSERT_TRUE((*core)->ApplyBatch(pointers, &results).ok());
    std::map<std::string, std::string> last_of_family;
    std::set<std::string> keys;
    (*core)->TakeMutations([&](Mutation::Op, std::string_view key, std::string_view) {
      const std::string k(key);
      EXPECT_TRUE(keys.insert(k).second) << "written twice: " << k;
      std::string& last = last_of_family[k.substr(0, k.find('/'))];
      EXPECT_LT(last, k) << threads << " threads: out of order in its family";
      last = k;
    });
    EXPECT_GT(keys.size(), 1000u) << keys.size();
    EXPECT_GE(last_of_family.size(), 6u);
  }
}

// The service's sink hands a batch's events to the core in batch order
// (the state is the one Apply leaves, event by event) and counts the
// records that are not events, wherever they are in the batch.
TEST(ParallelApplyTest, SinkAppliesBatchesInOrderAndCountsBadRecords) {
  const std::vector<Event> events = RandomStream(5, 6000);
  std::vector<kafka::Message> batch;
  int bad = 0;
  for (size_t i = 0; i < events.size(); ++i) {
    if (i % 1500 == 700) {  // bytes that are no Event, and a tombstone
      kafka::Message garbage;
      garbage.value = "\xff\xff\xff";
      kafka::Message tombstone;
      tombstone.is_null = true;
      batch.push_back(garbage);
      batch.push_back(tombstone);
      bad += 2;
    }
    kafka::Message m;
    m.topic = "coaching.events.v1";
    m.offset = static_cast<int64_t>(batch.size());
    m.value = events[i].SerializeAsString();
    batch.push_back(std::move(m));
  }
  // As EventConsumer calls it (Decode on the consuming thread first), and
  // with nothing decoded beforehand.
  for (const bool decode_first : {true, false}) {
    SCOPED_TRACE(decode_first ? "decoded first" : "decoded in ApplyBatch");
    MetricsCoreOptions options;
    options.apply_threads = 3;
    MemoryStore store;
    ManualClock clock(kNow);
    auto core = MetricsCore::Create(options, store, clock);
    ASSERT_TRUE(core.ok()) << core.status();
    prometheus::Registry registry;
    metrics_service::MetricsSink sink(core->get(), 0, clock, registry);
    ASSERT_TRUE(sink.ApplyBatch(batch, decode_first ? sink.Decode(batch) : nullptr).ok());
    store.Write((*core)->TakeMutations());
    const Outcome reference = Replay(events, events.size(), 0);
    EXPECT_EQ(store.data(), reference.state);
    double undecodable = -1;
    for (const prometheus::MetricFamily& family : registry.Collect()) {
      if (family.name != "coachstream_metrics_events_total") continue;
      for (const prometheus::ClientMetric& metric : family.metric) {
        if (metric.label.size() == 1 && metric.label[0].value == "undecodable") undecodable = metric.counter.value;
      }
    }
    EXPECT_EQ(undecodable, bad);
  }
}

TEST(ParallelApplyTest, ParallelPhaseRefusesSharedAndForeignState) {
  MemoryStore store;
  MetricsCoreOptions options;
  LedgerGroup group(store, options, 2);
  std::string a = "rep0";
  std::string b;
  for (int i = 1; b.empty(); ++i) {
    if (group.ShardOf("acme", absl::StrCat("rep", i)) != group.ShardOf("acme", a)) b = absl::StrCat("rep", i);
  }
  Ledger& own = group.For("acme", a);
  group.set_parallel(true);
  EXPECT_TRUE(own.Aggs("acme", a, 20000).ok());
  absl::StatusOr<AggRefs> foreign = own.Aggs("acme", b, 20000);
  EXPECT_EQ(foreign.status().code(), absl::StatusCode::kInternal);
  EXPECT_NE(foreign.status().message().find(b), std::string_view::npos) << foreign.status();
  EXPECT_EQ(own.Deal("acme", "deal1").status().code(), absl::StatusCode::kInternal);
  EXPECT_TRUE(own.DeferDealActivity("acme", "deal1", kNow));
  group.set_parallel(false);
  EXPECT_TRUE(own.Aggs("acme", b, 20000).ok());  // serial: reaches the other shard
  EXPECT_TRUE(own.Deal("acme", "deal1").ok());
  EXPECT_FALSE(own.DeferDealActivity("acme", "deal1", kNow));
}

// Events are applied grouped by rep in the parallel phase, so an event that
// reached another rep's state, even of the same shard, could see it out of
// order: refused, with one ledger as with several.
TEST(ParallelApplyTest, ParallelPhaseRefusesOtherRepsOfTheSameShard) {
  for (int shards : {1, 2}) {
    MemoryStore store;
    MetricsCoreOptions options;
    LedgerGroup group(store, options, shards);
    const std::string a = "rep0";
    std::string b;
    for (int i = 1; b.empty(); ++i) {
      if (group.ShardOf("acme", absl::StrCat("rep", i)) == group.ShardOf("acme", a)) b = absl::StrCat("rep", i);
    }
    Ledger& own = group.For("acme", a);
    group.set_parallel(true);
    own.BeginEvent(0, "acme", a);
    EXPECT_TRUE(own.Aggs("acme", a, 20000).ok());
    absl::StatusOr<AggRefs> other = own.Aggs("acme", b, 20000);
    EXPECT_EQ(other.status().code(), absl::StatusCode::kInternal) << shards << " shards";
    EXPECT_NE(other.status().message().find(b), std::string_view::npos) << other.status();
    EXPECT_EQ(own.Person("acme", b).status().code(), absl::StatusCode::kInternal);
    EXPECT_EQ(own.Aggs("other-tenant", a, 20000).status().code(), absl::StatusCode::kInternal);
    EXPECT_EQ(own.Deal("acme", "deal1").status().code(), absl::StatusCode::kInternal);
    EXPECT_TRUE(own.DeferDealActivity("acme", "deal1", kNow));
    own.BeginEvent(1, "acme", b);
    EXPECT_TRUE(own.Aggs("acme", b, 20000).ok());
    group.set_parallel(false);
    own.EndEvents();
    EXPECT_TRUE(own.Aggs("acme", a, 20000).ok());
    EXPECT_TRUE(own.Deal("acme", "deal1").ok());
  }
}

}  // namespace
}  // namespace cs::metrics
