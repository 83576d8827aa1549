#include "services/ingest/core/payload_parser.h"

#include <simdjson.h>

#include <string>

#include "libs/base/status.h"
#include "services/ingest/core/json_reader.h"
#include "services/ingest/core/parser_internal.h"
#include "services/ingest/core/time_parse.h"

namespace cs::ingest {
namespace {

using internal::ParseContext;
using internal::VendorParser;

struct Route {
  TypeRoute route;
  VendorParser parse;
};

const std::vector<Route>& Routes() {
  static const auto* routes = new std::vector<Route>{
      {{"com.salesforce.cdc.OpportunityChangeEvent", SourceKind::kCrm, System::kSalesforce},
       internal::ParseSalesforceOpportunityCdc},
      {{"com.salesforce.cdc.OpportunityLineItemChangeEvent", SourceKind::kCrm,
        System::kSalesforce},
       internal::ParseSalesforceLineItemCdc},
      {{"com.salesforce.cdc.TaskChangeEvent", SourceKind::kCrm, System::kSalesforce},
       internal::ParseSalesforceTaskCdc},
      {{"com.salesforce.sobject.Task", SourceKind::kCrm, System::kSalesforce},
       internal::ParseSalesforceTask},
      {{"com.salesforce.sobject.Event", SourceKind::kCrm, System::kSalesforce},
       internal::ParseSalesforceEvent},
      {{"com.hubspot.webhook.batch", SourceKind::kCrm, System::kHubspot},
       internal::ParseHubspotWebhookBatch},
      {{"com.hubspot.crm.deal", SourceKind::kCrm, System::kHubspot}, internal::ParseHubspotCrmDeal},
      {{"com.hubspot.crm.call", SourceKind::kCrm, System::kHubspot}, internal::ParseHubspotCrmCall},
      {{"io.gong.calls.extensive", SourceKind::kCalls, System::kGong}, internal::ParseGongExtensive},
      {{"io.gong.calls.basic", SourceKind::kCalls, System::kGong}, internal::ParseGongBasic},
      {{"io.gong.automation.webhook", SourceKind::kCalls, System::kGong},
       internal::ParseGongWebhook},
      {{"com.salesloft.webhook.call", SourceKind::kCalls, System::kSalesloft},
       internal::ParseSalesloftCall},
      {{"io.outreach.webhook.call", SourceKind::kCalls, System::kOutreach},
       internal::ParseOutreachCall},
      {{"com.google.calendar.event", SourceKind::kCalendar, System::kGoogleCalendar},
       internal::ParseGoogleCalendar},
      {{"com.microsoft.graph.event", SourceKind::kCalendar, System::kMicrosoftGraph},
       internal::ParseGraphCalendar},
      {{"io.coachstream.hr.person", SourceKind::kOrg, System::kHrFeed}, internal::ParseHrPerson},
  };
  return *routes;
}

const Route* FindRoute(std::string_view ce_type) {
  for (const Route& r : Routes()) {
    if (r.route.ce_type == ce_type) return &r;
  }
  return nullptr;
}

bool StartsWithCi(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && internal::EqualsCi(s.substr(0, prefix.size()), prefix);
}

const std::string* FindHeaderCi(const RawRecord& record, std::string_view name) {
  for (const auto& [k, v] : record.headers) {
    if (internal::EqualsCi(k, name)) return &v;
  }
  return nullptr;
}

absl::Status CheckHeaders(const RawRecord& record, size_t max_bytes) {
  size_t total = 0;
  for (const auto& [k, v] : record.headers) {
    total += k.size() + v.size();
    if (!simdjson::validate_utf8(k.data(), k.size()) ||
        !simdjson::validate_utf8(v.data(), v.size())) {
      return IngestError(Reason::kInvalidUtf8, "header \"" + std::string(k.substr(0, 64)) +
                                                   "\" is not valid UTF-8");
    }
  }
  if (total > max_bytes) {
    return IngestError(Reason::kTooLarge, "headers total " + std::to_string(total) +
                                              " bytes, over the limit of " +
                                              std::to_string(max_bytes));
  }
  return absl::OkStatus();
}

absl::Status SetTime(std::string_view text, std::string_view field, Envelope* env) {
  if (text.empty()) return absl::OkStatus();
  env->time = ParseRfc3339(text);
  if (!env->time) {
    return IngestError(Reason::kInvalidValue,
                       std::string(field) + ": not an RFC 3339 time: \"" +
                           std::string(text.substr(0, 64)) + "\"");
  }
  return absl::OkStatus();
}

absl::Status CheckTenant(const Envelope& env, std::string_view field) {
  if (env.tenant_id.empty()) {
    return IngestError(Reason::kMissingTenant, std::string(field) + " is missing or empty");
  }
  if (!IsValidTenantId(env.tenant_id)) {
    return IngestError(Reason::kMissingTenant,
                       std::string(field) + " \"" + env.tenant_id.substr(0, 64) +
                           "\" is not a valid tenant id ([A-Za-z0-9._:-]{1,64})");
  }
  return absl::OkStatus();
}

// Binary mode: attributes from ce_* headers; the value is the data.
absl::Status ReadBinaryEnvelope(const RawRecord& record, Envelope* env) {
  env->mode = ContentMode::kBinary;
  if (const std::string* v = FindHeader(record, "ce_specversion"); v && *v != "1.0") {
    return IngestError(Reason::kUnsupportedType,
                       "header ce_specversion \"" + v->substr(0, 16) + "\" is not \"1.0\"");
  }
  auto get = [&](std::string_view name) {
    const std::string* v = FindHeader(record, name);
    return v ? *v : std::string();
  };
  env->type = get("ce_type");
  env->tenant_id = get("ce_tenantid");
  env->id = get("ce_id");
  env->source = get("ce_source");
  env->subject = get("ce_subject");
  if (env->type.empty()) {
    return IngestError(Reason::kMissingField, "header ce_type is missing or empty");
  }
  CS_RETURN_IF_ERROR(CheckTenant(*env, "header ce_tenantid"));
  return SetTime(get("ce_time"), "header ce_time", env);
}

// Structured mode: the value is {"specversion", "type", ..., "data"}; returns
// the data element.
absl::StatusOr<simdjson::dom::element> ReadStructuredEnvelope(const RawRecord& record,
                                                              simdjson::dom::element root,
                                                              Envelope* env) {
  env->mode = ContentMode::kStructured;
  json::Errors errors;
  CS_ASSIGN_OR_RETURN(json::Obj event, internal::RootObject(root, &errors));
  std::optional<std::string_view> spec = event.Str("specversion");
  if (errors.ok() && spec != "1.0") {
    return IngestError(Reason::kUnsupportedType, "specversion is missing or not \"1.0\"");
  }
  env->type = std::string(event.ReqStr("type"));
  env->id = std::string(event.Str("id").value_or(""));
  env->source = std::string(event.Str("source").value_or(""));
  env->subject = std::string(event.Str("subject").value_or(""));
  env->tenant_id = std::string(event.Str("tenantid").value_or(""));
  std::string_view time = event.Str("time").value_or("");
  std::string_view content_type = event.Str("datacontenttype").value_or("application/json");
  CS_RETURN_IF_ERROR(errors.status());
  if (env->tenant_id.empty()) {
    if (const std::string* h = FindHeader(record, "ce_tenantid")) env->tenant_id = *h;
  }
  CS_RETURN_IF_ERROR(CheckTenant(*env, "tenantid"));
  CS_RETURN_IF_ERROR(SetTime(time, "time", env));
  if (event.Has("data_base64") != json::Presence::kAbsent || !internal::ContainsCi(content_type, "json")) {
    return IngestError(Reason::kUnsupportedType,
                       "data_base64 / non-JSON datacontenttype is not supported");
  }
  std::optional<simdjson::dom::element> data = event.Get("data");
  if (!data) return IngestError(Reason::kMissingField, "data: required object is missing");
  return *data;
}

}  // namespace

bool IsValidTenantId(std::string_view tenant_id) {
  if (tenant_id.empty() || tenant_id.size() > 64) return false;
  for (char c : tenant_id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == ':' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::string_view SourceKindName(SourceKind kind) {
  switch (kind) {
    case SourceKind::kAny: return "any";
    case SourceKind::kCrm: return "crm";
    case SourceKind::kCalls: return "calls";
    case SourceKind::kCalendar: return "calendar";
    case SourceKind::kOrg: return "org";
  }
  return "any";
}

std::optional<SourceKind> ParseSourceKind(std::string_view name) {
  for (SourceKind k : {SourceKind::kAny, SourceKind::kCrm, SourceKind::kCalls,
                       SourceKind::kCalendar, SourceKind::kOrg}) {
    if (SourceKindName(k) == name) return k;
  }
  return std::nullopt;
}

const std::vector<TypeRoute>& SupportedTypes() {
  static const auto* types = [] {
    auto* v = new std::vector<TypeRoute>;
    for (const Route& r : Routes()) v->push_back(r.route);
    return v;
  }();
  return *types;
}

struct PayloadParser::Impl {
  explicit Impl(size_t max_bytes) : parser(max_bytes + 64) {}
  simdjson::dom::parser parser;
};

PayloadParser::PayloadParser(ParseOptions options)
    : options_(options), impl_(std::make_unique<Impl>(options.max_payload_bytes)) {}

PayloadParser::~PayloadParser() = default;

absl::StatusOr<ParsedRecord> PayloadParser::Parse(const RawRecord& record) {
  if (record.value.size() > options_.max_payload_bytes) {
    return IngestError(Reason::kTooLarge, "value is " + std::to_string(record.value.size()) +
                                              " bytes, over the limit of " +
                                              std::to_string(options_.max_payload_bytes));
  }
  CS_RETURN_IF_ERROR(CheckHeaders(record, options_.max_payload_bytes));
  ParsedRecord out;
  const std::string* content_type = FindHeaderCi(record, "content-type");
  bool structured = content_type && StartsWithCi(*content_type, "application/cloudevents");
  if (!structured) CS_RETURN_IF_ERROR(ReadBinaryEnvelope(record, &out.envelope));
  if (record.value.empty()) {
    return IngestError(Reason::kMissingField, "value is empty (no CloudEvents data)");
  }
  CS_ASSIGN_OR_RETURN(simdjson::dom::element root,
                      json::ParseDocument(impl_->parser, record.value));
  if (structured) {
    CS_ASSIGN_OR_RETURN(root, ReadStructuredEnvelope(record, root, &out.envelope));
  }
  const Route* route = FindRoute(out.envelope.type);
  if (route == nullptr) {
    return IngestError(Reason::kUnsupportedType,
                       "ce_type \"" + out.envelope.type.substr(0, 128) + "\" is not supported");
  }
  out.source = route->route.source;
  if (options_.source != SourceKind::kAny && options_.source != out.source) {
    return IngestError(Reason::kUnsupportedType,
                       "ce_type \"" + out.envelope.type + "\" belongs to source " +
                           std::string(SourceKindName(out.source)) + ", this ingest runs " +
                           std::string(SourceKindName(options_.source)));
  }
  ParseContext ctx{&out.envelope, &out.observations};
  CS_RETURN_IF_ERROR(route->parse(root, ctx));
  return out;
}

}  // namespace cs::ingest
