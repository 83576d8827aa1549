// ingest: one binary per source (--source=crm|calls|calendar|org). Reads
// vendor payloads from raw.<source>.v1 and writes canonical events to
// coaching.events.v1, directory updates to org.directory.v1 and anything it
// cannot use to dlq.v1 with a reason.

#include <thread>

#include "absl/flags/flag.h"
#include "libs/base/clock.h"
#include "libs/base/flags.h"
#include "libs/base/log.h"
#include "libs/base/shutdown.h"
#include "libs/directory/directory_follower.h"
#include "libs/kv/store.h"
#include "libs/service/runtime.h"
#include "services/ingest/adapters/ingest_processor.h"
#include "services/ingest/adapters/pipeline.h"

ABSL_FLAG(std::string, source, "", "Which raw topic to ingest: crm | calls | calendar | org");
ABSL_FLAG(int, max_batch, 5000, "Records per poll batch");
ABSL_FLAG(int64_t, max_batch_bytes, 16 << 20,
          "Payload bytes per poll batch: a batch ends with the record that reaches it");
ABSL_FLAG(int64_t, max_payload_bytes, 1 << 20, "Larger records are dead-lettered as too_large");
ABSL_FLAG(absl::Duration, park_timeout, absl::Hours(6),
          "How long a record waits for its person to appear in the org directory before it is "
          "dead-lettered as unresolved_identity");
ABSL_FLAG(absl::Duration, watch_timeout, absl::Hours(24 * 7),
          "How long a meeting emitted without an internal participant the org directory did not know "
          "waits to credit them once they appear");
ABSL_FLAG(absl::Duration, directory_wait, absl::Seconds(30),
          "At start-up, wait this long for the org directory to load before ingesting");

namespace {

cs::ingest::SourceKind SourceKindOf(const std::string& source) {
  if (source == "crm") return cs::ingest::SourceKind::kCrm;
  if (source == "calls") return cs::ingest::SourceKind::kCalls;
  if (source == "calendar") return cs::ingest::SourceKind::kCalendar;
  return cs::ingest::SourceKind::kOrg;
}

std::string Validate() {
  const std::string source = absl::GetFlag(FLAGS_source);
  if (source != "crm" && source != "calls" && source != "calendar" && source != "org") {
    return "--source: \"" + source + "\" is not one of crm, calls, calendar, org";
  }
  if (absl::GetFlag(FLAGS_max_batch) < 1) return "--max_batch: must be >= 1";
  if (absl::GetFlag(FLAGS_max_batch_bytes) < 1) return "--max_batch_bytes: must be >= 1";
  if (absl::GetFlag(FLAGS_max_payload_bytes) < 1024) return "--max_payload_bytes: must be >= 1024";
  if (absl::GetFlag(FLAGS_park_timeout) <= absl::ZeroDuration()) return "--park_timeout: must be > 0";
  if (absl::GetFlag(FLAGS_watch_timeout) <= absl::ZeroDuration()) return "--watch_timeout: must be > 0";
  return "";
}

}  // namespace

int main(int argc, char** argv) {
  auto rt = cs::service::Runtime::Init(
      argc, argv, "ingest", "ingest --source=crm|calls|calendar|org: vendor payloads to canonical events",
      Validate);
  const std::string source = absl::GetFlag(FLAGS_source);

  cs::kv::StoreOptions store_options;
  store_options.path = rt.state_dir() + "-" + source;
  store_options.column_families = {"records", "parked"};
  auto store = cs::kv::Store::Open(store_options);
  if (!store.ok()) cs::FatalConfig("--state_dir: " + std::string(store.status().message()));

  cs::kafka::ProducerOptions producer_options;
  producer_options.client = rt.kafka_client();
  auto producer = cs::kafka::Producer::Create(producer_options);
  if (!producer.ok()) cs::FatalConfig("--kafka_properties: " + std::string(producer.status().message()));

  cs::ingest::IngestProcessorOptions processor_options;
  processor_options.source = source;
  processor_options.normalizer.park_timeout = absl::GetFlag(FLAGS_park_timeout);
  processor_options.watch_timeout = absl::GetFlag(FLAGS_watch_timeout);
  processor_options.parse.max_payload_bytes = static_cast<size_t>(absl::GetFlag(FLAGS_max_payload_bytes));
  processor_options.parse.source = SourceKindOf(source);
  cs::directory::DirectoryCache cache;
  cs::ingest::CachedDirectory directory(cache);
  cs::ingest::IngestProcessor processor(processor_options, store->get(), directory,
                                        cs::SystemClock::Get(), rt.registry());

  cs::directory::FollowerOptions follower_options;
  follower_options.client = rt.kafka_client();
  follower_options.on_person = [&processor](const coachstream::v1::Person& p) { processor.PersonLearned(p); };
  auto follower = cs::directory::DirectoryFollower::Start(follower_options, &cache);
  if (!follower.ok()) cs::FatalConfig("--kafka_bootstrap: " + std::string(follower.status().message()));
  if (!(*follower)->WaitCaughtUp(absl::GetFlag(FLAGS_directory_wait))) {
    cs::log::Warn("org directory not fully loaded; records for unknown people are parked",
                  {{"people", cache.size()}});
  }

  cs::kafka::ConsumerOptions consumer_options;
  consumer_options.client = rt.kafka_client();
  consumer_options.group_id = "coachstream-ingest-" + source;
  consumer_options.topics = {"raw." + source + ".v1"};
  consumer_options.session_timeout_ms = rt.session_timeout_ms();
  rt.CountOffsetResets(&consumer_options);  // payloads deleted before they were read are counted
  auto consumer = cs::kafka::Consumer::Create(consumer_options);
  if (!consumer.ok()) cs::FatalConfig("--kafka_properties: " + std::string(consumer.status().message()));

  cs::ingest::PipelineOptions options;
  options.source = source;
  options.input_topic = consumer_options.topics.front();
  options.max_batch = static_cast<size_t>(absl::GetFlag(FLAGS_max_batch));
  options.max_batch_bytes = static_cast<size_t>(absl::GetFlag(FLAGS_max_batch_bytes));
  cs::ingest::Pipeline pipeline(options, consumer->get(), producer->get(), &processor, rt.registry());

  rt.StartGrpc({}, {});
  int exit_code = 0;
  std::thread worker([&] {
    absl::Status s = pipeline.Run([] { return cs::ShutdownRequested(); });
    if (!s.ok()) {
      cs::log::Error("pipeline stopped", {{"error", s.ToString()}});
      exit_code = 1;
      cs::RequestShutdown();
    }
  });
  rt.WaitForShutdown();
  worker.join();
  (*follower)->Stop();
  if (auto s = (*consumer)->Close(); !s.ok()) cs::log::Warn("consumer close", {{"error", s.ToString()}});
  if (auto s = (*producer)->Flush(absl::Seconds(5)); !s.ok()) cs::log::Warn("producer flush", {{"error", s.ToString()}});
  if (auto s = (*store)->Close(); !s.ok()) cs::log::Error("close state", {{"error", s.ToString()}});
  int rc = rt.Finish();
  return exit_code != 0 ? exit_code : rc;
}
