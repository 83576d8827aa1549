// ingest: one binary per source (--source=crm|calls|calendar|org). Reads
// vendor payloads from raw.<source>.v1 and writes canonical events to
// coaching.events.v1, directory updates to org.directory.v1 and anything it
// cannot use to dlq.v1 with a reason.

#include <thread>

#include "absl/flags/flag.h"
#include "libs/base/flags.h"
#include "libs/base/log.h"
#include "libs/base/shutdown.h"
#include "libs/kv/store.h"
#include "libs/service/runtime.h"
#include "services/ingest/adapters/pipeline.h"

ABSL_FLAG(std::string, source, "", "Which raw topic to ingest: crm | calls | calendar | org");
ABSL_FLAG(int, max_batch, 1000, "Records per poll batch");

namespace {

// Until the vendor parsers are wired, every record is dead-lettered: nothing
// is dropped silently.
class UnsupportedProcessor : public cs::ingest::Processor {
 public:
  cs::ingest::ProcessResult Process(const cs::kafka::Message&) override {
    cs::ingest::ProcessResult r;
    r.outcome = "dead_lettered";
    r.dead_letter = cs::ingest::DeadLetter{"unsupported_type", "no parser for this source yet"};
    return r;
  }
};

}  // namespace

int main(int argc, char** argv) {
  auto rt = cs::service::Runtime::Init(
      argc, argv, "ingest", "ingest --source=crm|calls|calendar|org: vendor payloads to canonical events",
      []() -> std::string {
        const std::string source = absl::GetFlag(FLAGS_source);
        if (source != "crm" && source != "calls" && source != "calendar" && source != "org") {
          return "--source: \"" + source + "\" is not one of crm, calls, calendar, org";
        }
        if (absl::GetFlag(FLAGS_max_batch) < 1) return "--max_batch: must be >= 1";
        return "";
      });
  const std::string source = absl::GetFlag(FLAGS_source);

  cs::kv::StoreOptions store_options;
  store_options.path = rt.state_dir() + "-" + source;
  store_options.column_families = {"records", "directory", "parked"};
  auto store = cs::kv::Store::Open(store_options);
  if (!store.ok()) cs::FatalConfig("--state_dir: " + std::string(store.status().message()));

  cs::kafka::ProducerOptions producer_options;
  producer_options.client = rt.kafka_client();
  auto producer = cs::kafka::Producer::Create(producer_options);
  if (!producer.ok()) cs::FatalConfig("--kafka_properties: " + std::string(producer.status().message()));

  cs::kafka::ConsumerOptions consumer_options;
  consumer_options.client = rt.kafka_client();
  consumer_options.group_id = "coachstream-ingest-" + source;
  consumer_options.topics = {"raw." + source + ".v1"};
  consumer_options.session_timeout_ms = rt.session_timeout_ms();
  auto consumer = cs::kafka::Consumer::Create(consumer_options);
  if (!consumer.ok()) cs::FatalConfig("--kafka_properties: " + std::string(consumer.status().message()));

  UnsupportedProcessor processor;
  cs::ingest::PipelineOptions options;
  options.source = source;
  options.input_topic = consumer_options.topics.front();
  options.max_batch = static_cast<size_t>(absl::GetFlag(FLAGS_max_batch));
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
  if (auto s = (*consumer)->Close(); !s.ok()) cs::log::Warn("consumer close", {{"error", s.ToString()}});
  if (auto s = (*producer)->Flush(absl::Seconds(5)); !s.ok()) cs::log::Warn("producer flush", {{"error", s.ToString()}});
  if (auto s = (*store)->Close(); !s.ok()) cs::log::Error("close state", {{"error", s.ToString()}});
  int rc = rt.Finish();
  return exit_code != 0 ? exit_code : rc;
}
