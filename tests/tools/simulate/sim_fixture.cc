#include "tests/tools/simulate/sim_fixture.h"

#include <cstdlib>
#include <cstdio>

#include "gtest/gtest.h"
#include "tools/simulate/ids.h"
#include "tools/simulate/rng.h"

namespace cs::simulate::testing {

const Simulation& DefaultSimulation() {
  static const Simulation* sim = [] {
    // SIMULATE_TEST_SEED runs the same checks on another seed (robustness).
    SimOptions options;
    if (const char* seed = std::getenv("SIMULATE_TEST_SEED")) options.seed = std::strtoull(seed, nullptr, 10);
    auto s = Simulation::Create(options);
    if (!s.ok()) {
      std::fprintf(stderr, "default simulation: %s\n", std::string(s.status().message()).c_str());
      std::abort();
    }
    return s->release();
  }();
  return *sim;
}

void ExpectMinutesFollowHabits(const Org& org, const HabitBounds& bounds,
                               absl::FunctionRef<double(const Person&)> minutes_of) {
  for (int m : org.Managers()) {
    const Person& mgr = org.people[m];
    for (int r : org.ReportsOf(m)) {
      const Person& p = org.people[r];
      if (p.new_hire) continue;
      SCOPED_TRACE(p.person_id + " coached by a " + std::string(HabitName(mgr.habit)) + " manager");
      const double minutes = minutes_of(p);
      switch (mgr.habit) {
        case CoachingHabit::kHeavy: EXPECT_GE(minutes, bounds.heavy_min); break;
        case CoachingHabit::kBarely: EXPECT_LE(minutes, bounds.barely_max); break;
        case CoachingHabit::kModerate:
          EXPECT_GE(minutes, bounds.moderate_min);
          EXPECT_LE(minutes, bounds.moderate_max);
          break;
        case CoachingHabit::kStarsOnly:
          if (p.star) {
            EXPECT_GE(minutes, bounds.heavy_min);
          } else {
            EXPECT_EQ(minutes, 0);
          }
          break;
        case CoachingHabit::kNotAManager: break;
      }
    }
  }
}

namespace {

class DigestSink : public RecordSink {
 public:
  absl::Status Write(const SimRecord& r) override {
    Add(r.topic);
    Add(r.key);
    for (const auto& [k, v] : HeadersOf(r.ce)) {
      Add(k);
      Add(v);
    }
    Add(r.value);
    return absl::OkStatus();
  }
  uint64_t digest() const { return h_; }

 private:
  void Add(std::string_view s) { h_ = Mix64(h_ ^ StableHash(s)) + s.size(); }
  uint64_t h_ = 0;
};

}  // namespace

uint64_t Digest(const Simulation& sim) {
  DigestSink sink;
  if (!sim.Emit(sink).ok()) std::abort();
  return sink.digest();
}

}  // namespace cs::simulate::testing
