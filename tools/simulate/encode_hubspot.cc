// HubSpot Webhooks API: the POST body is a JSON array of events, each about
// one object and at most ONE property (values are strings; closedate is epoch
// milliseconds at 00:00 UTC). Shapes follow
// fixtures/vendor/hubspot_deal_webhook.json.

#include "tools/simulate/encoders.h"

namespace cs::simulate {
namespace {

constexpr int64_t kAppId = 3150412;

// HubSpot's default sales pipeline (ingest stage_map.cc defaults).
std::string_view StageId(Stage s) {
  switch (s) {
    case Stage::kQualification: return "appointmentscheduled";
    case Stage::kDiscovery: return "qualifiedtobuy";
    case Stage::kProposal: return "presentationscheduled";
    case Stage::kNegotiation: return "contractsent";
    case Stage::kClosedWon: return "closedwon";
    case Stage::kClosedLost: return "closedlost";
  }
  return "appointmentscheduled";
}

std::string DayMillis(absl::CivilDay day) {
  return std::to_string(Millis(absl::FromCivil(day, absl::UTCTimeZone())));
}

// (property, value, calculated by HubSpot rather than set by the user)
struct Prop {
  std::string_view name;
  std::string value;
  bool calculated = false;
};

std::vector<Prop> PropsOf(const Deal& d, const DealStep& s, const Person& owner) {
  const std::string amount = std::to_string(s.amount_usd);
  switch (s.kind) {
    case DealStepKind::kCreate:
      // The owner comes last: the ingest keeps an owner-less deal in state
      // without emitting, so the owner event carries the complete snapshot
      // (all items share occurredAt, and metrics applies one snapshot per
      // source version).
      return {{"dealname", d.name}, {"dealstage", std::string(StageId(s.stage))},
              {"amount", amount}, {"closedate", DayMillis(s.close_date)},
              {"deal_currency_code", "USD"}, {"hubspot_owner_id", owner.ids.hubspot}};
    case DealStepKind::kStage: return {{"dealstage", std::string(StageId(s.stage))}};
    case DealStepKind::kCloseDate: return {{"closedate", DayMillis(s.close_date)}};
    case DealStepKind::kAmount:
    case DealStepKind::kDiscount: return {{"amount", amount}};
    case DealStepKind::kClose: {
      // dealstage first: the ingest derives closed/won from it, so the first
      // event of the batch already closes the deal.
      std::vector<Prop> props = {{"dealstage", std::string(StageId(s.stage))},
                                 {"hs_is_closed", "true", true},
                                 {"hs_is_closed_won", s.stage == Stage::kClosedWon ? "true" : "false", true}};
      if (s.close_date_changed) props.push_back({"closedate", DayMillis(s.close_date)});
      return props;
    }
    case DealStepKind::kLineItem:
    case DealStepKind::kGap: break;  // Salesforce only
  }
  return {};
}

Json Event(int64_t event_id, int64_t portal, int64_t occurred, int attempt, const Deal& d,
           std::string_view type) {
  Json e;
  e["eventId"] = event_id;
  e["subscriptionId"] = 2291700 + (event_id % 64);
  e["portalId"] = portal;
  e["appId"] = kAppId;
  e["occurredAt"] = occurred;
  e["subscriptionType"] = type;
  e["attemptNumber"] = attempt;
  e["objectId"] = std::stoll(d.id);
  return e;
}

}  // namespace

SimRecord EncodeHubspotBatch(const EncodeContext& ctx, int deal, int step, int attempt) {
  const Deal& d = ctx.world.deals[deal];
  const DealStep& s = d.steps[step];
  const Person& owner = ctx.org.people[d.owner];
  const int64_t portal = ctx.org.vendor.hubspot_portal_id;
  const int64_t occurred = Millis(s.at);
  // Unique per (deal, step, event): the same ids on a redelivery.
  const int64_t first_id = 1'000'000'000 + static_cast<int64_t>(deal) * 256 + step * 16;
  int64_t next_id = first_id;
  Json batch = Json::array();
  const std::string user_source = "userId:" + owner.ids.hubspot;
  if (s.kind == DealStepKind::kCreate) {
    Json e = Event(next_id++, portal, occurred, attempt, d, "deal.creation");
    e["changeFlag"] = "CREATED";
    e["changeSource"] = "CRM_UI";
    e["sourceId"] = user_source;
    batch.push_back(std::move(e));
  }
  for (const Prop& prop : PropsOf(d, s, owner)) {
    Json e = Event(next_id++, portal, occurred, attempt, d, "deal.propertyChange");
    e["propertyName"] = prop.name;
    e["propertyValue"] = prop.value;
    e["changeSource"] = prop.calculated ? "CALCULATED" : "CRM_UI";
    if (!prop.calculated) e["sourceId"] = user_source;
    batch.push_back(std::move(e));
  }
  CeAttributes ce;
  ce.id = "hubspot:" + std::to_string(portal) + ":" + std::to_string(first_id);
  ce.source = "/connectors/hubspot/portals/" + std::to_string(portal);
  ce.type = "com.hubspot.webhook.batch";
  ce.time = Rfc3339Ms(s.at);
  ce.subject = "deal/" + d.id;
  ce.tenant_id = ctx.org.options.tenant;
  return MakeRecord(kTopicCrm, d.id, "hubspot", std::move(ce), batch);
}

}  // namespace cs::simulate
