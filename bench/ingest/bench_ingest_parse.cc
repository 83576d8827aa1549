// bench_ingest_parse: in-process throughput of the ingest core on the vendor
// fixture mix, single-threaded (= per core).
//
//   1. JSON libraries side by side: parse + walk every value of each payload
//      (what a parser at most touches) with nlohmann::json, RapidJSON and
//      simdjson DOM.
//   2. End to end: PayloadParser + Normalizer (in-memory ports) per source
//      and for the mix; "fresh" clears the state store after every pass so
//      every payload takes the merge-and-emit path, "redelivery" replays the
//      same payloads against kept state (duplicate path).
//
// Usage: bench_ingest_parse [fixtures_dir] [seconds_per_case=1]

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <rapidjson/document.h>
#include <simdjson.h>

#include "libs/base/clock.h"
#include "services/ingest/core/in_memory.h"
#include "services/ingest/core/normalizer.h"

namespace {

using cs::ingest::RawRecord;

struct Payload {
  std::string family;  // salesforce, hubspot, gong, dialers, google, graph, hr
  std::string ce_type;
  std::string value;
};

std::string g_dir;

nlohmann::json Load(const std::string& file) {
  std::ifstream in(g_dir + "/" + file);
  if (!in) {
    std::fprintf(stderr, "bench_ingest_parse: cannot open %s/%s\n", g_dir.c_str(), file.c_str());
    std::exit(2);
  }
  std::stringstream buf;
  buf << in.rdbuf();
  return nlohmann::json::parse(buf.str());
}

std::vector<Payload> Mix() {
  const char* sf = "salesforce_opportunity_cdc.json";
  const char* act = "salesforce_task_event_activities.json";
  const char* opp = "com.salesforce.cdc.OpportunityChangeEvent";
  nlohmann::json hr = {{"person_id", "p_bench"}, {"display_name", "Bench Rep"},
                       {"emails", {"bench@ourco.com"}}, {"system_ids", {{"salesforce", "005B"}}},
                       {"manager_id", "p_mia"}, {"role", "sdr"}, {"segment", "smb"},
                       {"quotas", {{{"period", "2024-Q3"}, {"amount", "90000"}, {"currency", "USD"}}}},
                       {"time_zone", "Europe/Berlin"}, {"updated_at", "2024-06-14T09:00:00Z"}};
  return {
      {"salesforce", opp, Load(sf)["cometd_create"].dump()},
      {"salesforce", opp, Load(sf)["cometd_update_amount_closedate"].dump()},
      {"salesforce", opp, Load(sf)["cometd_update_stage_closed_won"].dump()},
      {"salesforce", opp, Load(sf)["pubsub_decoded_update_stage_closed_won"]["decoded_payload"].dump()},
      {"salesforce", opp, Load(sf)["cometd_gap_event"].dump()},
      {"salesforce", "com.salesforce.cdc.OpportunityLineItemChangeEvent",
       Load(sf)["cometd_opportunity_line_item_update_discount"].dump()},
      {"salesforce", "com.salesforce.sobject.Task", Load(act)["task_call"].dump()},
      {"salesforce", "com.salesforce.sobject.Event", Load(act)["event_meeting"].dump()},
      {"salesforce", "com.salesforce.cdc.TaskChangeEvent",
       Load(act)["cometd_task_change_event_create"].dump()},
      {"hubspot", "com.hubspot.webhook.batch", Load("hubspot_deal_webhook.json").dump()},
      {"hubspot", "com.hubspot.webhook.batch", Load("hubspot_generic_object_webhook.json").dump()},
      {"hubspot", "com.hubspot.crm.deal", Load("hubspot_crm_objects.json")["deal"].dump()},
      {"hubspot", "com.hubspot.crm.call", Load("hubspot_crm_objects.json")["call"].dump()},
      {"gong", "io.gong.calls.extensive", Load("gong_calls_extensive.json").dump()},
      {"gong", "io.gong.automation.webhook", Load("gong_automation_rule_webhook.json").dump()},
      {"gong", "io.gong.calls.basic", Load("gong_calls_basic.json").dump()},
      {"dialers", "com.salesloft.webhook.call", Load("salesloft_call_webhook.json")["body"].dump()},
      {"dialers", "io.outreach.webhook.call", Load("outreach_call_webhook.json")["body"].dump()},
      {"google", "com.google.calendar.event", Load("google_calendar_event.json")["event_single"].dump()},
      {"google", "com.google.calendar.event",
       Load("google_calendar_event.json")["event_recurring_instance"].dump()},
      {"google", "com.google.calendar.event",
       Load("google_calendar_event.json")["events_list_incremental_response"].dump()},
      {"graph", "com.microsoft.graph.event", Load("msgraph_event.json")["event"].dump()},
      {"graph", "com.microsoft.graph.event", Load("msgraph_event.json")["delta_page_with_removed"].dump()},
      {"hr", "io.coachstream.hr.person", hr.dump()},
  };
}

RawRecord ToRecord(const Payload& p) {
  RawRecord r;
  r.topic = "raw.bench.v1";
  r.value = p.value;
  r.headers = {{"ce_specversion", "1.0"}, {"ce_type", p.ce_type}, {"ce_tenantid", "t_8812"},
               {"ce_id", "bench"}, {"content-type", "application/json"}};
  return r;
}

// Runs `pass` (which processes `n` payloads) until `seconds` elapsed; returns payloads/s.
double Measure(double seconds, size_t n, const std::function<void()>& pass) {
  using Clock = std::chrono::steady_clock;
  pass();  // warm-up
  size_t done = 0;
  auto start = Clock::now();
  double elapsed = 0;
  while (elapsed < seconds) {
    pass();
    done += n;
    elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  }
  return done / elapsed;
}

size_t g_sink = 0;

void WalkNlohmann(const nlohmann::json& j) {
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it) {
      g_sink += it.key().size();
      WalkNlohmann(it.value());
    }
  } else if (j.is_array()) {
    for (const auto& e : j) WalkNlohmann(e);
  } else if (j.is_string()) {
    g_sink += j.get_ref<const std::string&>().size();
  } else if (j.is_number()) {
    g_sink += static_cast<size_t>(j.get<double>() != 0);
  }
}

void WalkRapid(const rapidjson::Value& v) {
  if (v.IsObject()) {
    for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it) {
      g_sink += it->name.GetStringLength();
      WalkRapid(it->value);
    }
  } else if (v.IsArray()) {
    for (const auto& e : v.GetArray()) WalkRapid(e);
  } else if (v.IsString()) {
    g_sink += v.GetStringLength();
  } else if (v.IsNumber()) {
    g_sink += static_cast<size_t>(v.GetDouble() != 0);
  }
}

void WalkSimd(simdjson::dom::element e) {
  switch (e.type()) {
    case simdjson::dom::element_type::OBJECT:
      for (auto [k, v] : simdjson::dom::object(e)) {
        g_sink += k.size();
        WalkSimd(v);
      }
      break;
    case simdjson::dom::element_type::ARRAY:
      for (auto v : simdjson::dom::array(e)) WalkSimd(v);
      break;
    case simdjson::dom::element_type::STRING:
      g_sink += std::string_view(e).size();
      break;
    case simdjson::dom::element_type::DOUBLE:
    case simdjson::dom::element_type::INT64:
    case simdjson::dom::element_type::UINT64:
      g_sink += static_cast<size_t>(double(e) != 0);
      break;
    default: break;
  }
}

void CompareJsonLibraries(const std::vector<Payload>& mix, double seconds) {
  size_t bytes = 0;
  for (const Payload& p : mix) bytes += p.value.size();
  std::printf("\nJSON libraries: parse + walk all values, %zu payloads, %.1f KiB avg\n",
              mix.size(), bytes / 1024.0 / mix.size());
  std::printf("  %-22s %14s %10s\n", "library", "payloads/s", "MB/s");
  auto report = [&](const char* name, double rate) {
    std::printf("  %-22s %14.0f %10.1f\n", name, rate, rate * bytes / mix.size() / 1e6);
  };
  report("nlohmann::json 3.11.2", Measure(seconds, mix.size(), [&] {
           for (const Payload& p : mix) WalkNlohmann(nlohmann::json::parse(p.value));
         }));
  report("RapidJSON 1.1.0", Measure(seconds, mix.size(), [&] {
           for (const Payload& p : mix) {
             rapidjson::Document d;
             d.Parse(p.value.data(), p.value.size());
             WalkRapid(d);
           }
         }));
  simdjson::dom::parser parser;
  report("simdjson 3.0.1 DOM", Measure(seconds, mix.size(), [&] {
           for (const Payload& p : mix) WalkSimd(parser.parse(p.value));
         }));
}

void EndToEnd(const std::vector<Payload>& mix, double seconds) {
  cs::ingest::InMemoryDirectory directory;
  for (auto [id, email, ids] : std::vector<std::tuple<const char*, const char*, std::vector<std::pair<int, const char*>>>>{
           {"p_dana", "dana.rep@ourco.com",
            {{1, "0055g00000AbCdEAAZ"}, {2, "61234987"}, {3, "5108871993412760021"}, {4, "61001"}, {5, "42"}}},
           {"p_mia", "mia.manager@ourco.com", {}},
           {"p_vp", "vp.sales@ourco.com", {}}}) {
    coachstream::v1::Person p;
    p.set_tenant_id("t_8812");
    p.set_person_id(id);
    p.add_emails(email);
    p.set_manager_id(std::string(id) == "p_dana" ? "p_mia" : "");
    for (auto [sys, uid] : ids) {
      auto* identity = p.add_identities();
      identity->set_system(static_cast<coachstream::v1::SourceSystem>(sys));
      identity->set_user_id(uid);
    }
    directory.Upsert(p);
  }
  cs::ManualClock clock(absl::FromUnixSeconds(1719792000));
  std::map<std::string, std::vector<RawRecord>> by_family;
  std::vector<RawRecord> all;
  for (const Payload& p : mix) {
    by_family[p.family].push_back(ToRecord(p));
    all.push_back(ToRecord(p));
  }
  by_family["MIX (all sources)"] = all;
  std::printf("\nEnd to end: parse + normalize (simdjson DOM, in-memory ports), 1 thread\n");
  std::printf("  %-20s %8s %16s %16s %8s\n", "source", "payloads", "fresh/s", "redelivery/s",
              "events");
  for (const auto& [family, records] : by_family) {
    cs::ingest::InMemoryStateStore store;
    cs::ingest::IngestPipeline pipeline({}, {}, directory, store, clock);
    size_t events = 0;
    auto pass = [&] {
      for (const RawRecord& r : records) {
        auto out = pipeline.Process(r);
        for (const auto& item : out->items) events += item.events.size();
      }
    };
    double fresh = Measure(seconds, records.size(), [&] {
      store.Clear();
      pass();
    });
    size_t events_per_pass = 0;
    store.Clear();
    events = 0;
    pass();
    events_per_pass = events;
    double redelivery = Measure(seconds, records.size(), pass);
    std::printf("  %-20s %8zu %16.0f %16.0f %8zu\n", family.c_str(), records.size(), fresh,
                redelivery, events_per_pass);
  }
}

}  // namespace

int main(int argc, char** argv) {
  const char* env = std::getenv("CS_FIXTURES_DIR");
  g_dir = argc > 1 ? argv[1] : env ? env : CS_DEFAULT_FIXTURES_DIR;
  double seconds = argc > 2 ? std::atof(argv[2]) : 1.0;
  std::vector<Payload> mix = Mix();
  std::printf("bench_ingest_parse: fixtures %s, %.1f s per case\n", g_dir.c_str(), seconds);
  CompareJsonLibraries(mix, seconds);
  EndToEnd(mix, seconds);
  return g_sink == 42 ? 1 : 0;  // keep the walks observable
}
