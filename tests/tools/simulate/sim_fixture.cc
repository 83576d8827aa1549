#include "tests/tools/simulate/sim_fixture.h"

#include <cstdlib>
#include <cstdio>

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
