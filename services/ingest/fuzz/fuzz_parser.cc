// libFuzzer target for one parser family (CS_FUZZ_FAMILY, set per binary).
//
// Families: salesforce, hubspot, gong, dialers (Salesloft + Outreach),
// google, microsoft, hr: the first input byte picks one of the family's
// ce_types, the rest is the record value (binary mode). Family "envelope":
// the input is "header: value" lines, an empty line, then the value, so
// header handling and structured mode are fuzzed too.
//
// Links only cs::ingest_parse (Abseil + simdjson). Any crash, sanitizer
// report or uncaught exception is a bug: parsers must turn every input into
// a status with a reason code.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "services/ingest/core/payload_parser.h"

namespace {

using cs::ingest::RawRecord;
using cs::ingest::System;

std::vector<std::string> TypesOf(std::string_view family) {
  std::vector<std::string> types;
  for (const cs::ingest::TypeRoute& route : cs::ingest::SupportedTypes()) {
    std::string_view system = cs::ingest::SystemName(route.system);
    bool dialer = route.system == System::kSalesloft || route.system == System::kOutreach;
    if (family == system || family == "envelope" || (family == "dialers" && dialer)) {
      types.emplace_back(route.ce_type);
    }
  }
  return types;
}

RawRecord BinaryRecord(const std::vector<std::string>& types, const uint8_t* data, size_t size) {
  RawRecord r;
  r.headers = {{"ce_specversion", "1.0"},
               {"ce_type", types[data[0] % types.size()]},
               {"ce_tenantid", "t_fuzz"}};
  r.value.assign(reinterpret_cast<const char*>(data + 1), size - 1);
  return r;
}

// "k: v\n"... "\n" value; the first byte picks a default ce_type.
RawRecord EnvelopeRecord(const std::vector<std::string>& types, const uint8_t* data,
                         size_t size) {
  RawRecord r;
  r.headers = {{"ce_type", types[data[0] % types.size()]}};
  std::string_view in(reinterpret_cast<const char*>(data + 1), size - 1);
  while (!in.empty()) {
    size_t nl = in.find('\n');
    std::string_view line = in.substr(0, nl);
    in = nl == std::string_view::npos ? std::string_view() : in.substr(nl + 1);
    if (line.empty()) break;
    size_t colon = line.find(": ");
    if (colon == std::string_view::npos) continue;
    r.headers.emplace_back(std::string(line.substr(0, colon)), std::string(line.substr(colon + 2)));
  }
  r.value = std::string(in);
  return r;
}

// Reads every observation so that dangling views would show up under ASan.
size_t Touch(const cs::ingest::ParsedRecord& parsed) {
  size_t n = parsed.envelope.tenant_id.size();
  for (const cs::ingest::Observation& obs : parsed.observations) {
    std::visit(
        [&](const auto& o) {
          if constexpr (requires { o.source_ref; }) n += o.source_ref.size();
        },
        obs);
    if (const auto* m = std::get_if<cs::ingest::MeetingObs>(&obs)) {
      for (const auto& a : m->attendees) n += a.email.size();
    }
  }
  return n;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::vector<std::string> types = TypesOf(CS_FUZZ_FAMILY);
  static cs::ingest::PayloadParser parser(cs::ingest::ParseOptions{1 << 20,
                                                                   cs::ingest::SourceKind::kAny});
  if (size < 1 || types.empty()) return 0;
  bool envelope = std::string_view(CS_FUZZ_FAMILY) == "envelope";
  RawRecord record = envelope ? EnvelopeRecord(types, data, size) : BinaryRecord(types, data, size);
  absl::StatusOr<cs::ingest::ParsedRecord> parsed = parser.Parse(record);
  if (parsed.ok()) {
    volatile size_t sink = Touch(*parsed);
    (void)sink;
  } else if (cs::ingest::ReasonOf(parsed.status()) == cs::ingest::Reason::kInternal) {
    __builtin_trap();  // every rejection must carry a reason code
  }
  return 0;
}
