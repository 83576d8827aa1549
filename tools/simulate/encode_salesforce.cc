// Salesforce Change Data Capture as delivered over CometD (Streaming API):
// {"channel", "data": {"schema", "payload": {ChangeEventHeader, fields...},
// "event": {"replayId"}}}. CREATE carries every field; UPDATE only the changed
// ones, named in changedFields; GAP_UPDATE none. Shapes follow
// fixtures/vendor/salesforce_opportunity_cdc.json.

#include "tools/simulate/encoders.h"
#include "tools/simulate/ids.h"

namespace cs::simulate {
namespace {

constexpr std::string_view kOppSchema = "Xg3w2fUhh0_uBwbvnDyd3Q";
constexpr std::string_view kLineSchema = "p9Kq1Lm3Ns5Ot7Pu9Qv1Rw";

struct StageInfo {
  std::string_view label;
  double probability;
  std::string_view forecast;       // ForecastCategory (API value)
  std::string_view forecast_name;  // ForecastCategoryName
};

// Salesforce's default sales process (ingest stage_map.cc defaults).
StageInfo InfoOf(Stage s) {
  switch (s) {
    case Stage::kQualification: return {"Qualification", 10, "Pipeline", "Pipeline"};
    case Stage::kDiscovery: return {"Needs Analysis", 20, "Pipeline", "Pipeline"};
    case Stage::kProposal: return {"Proposal/Price Quote", 75, "BestCase", "Best Case"};
    case Stage::kNegotiation: return {"Negotiation/Review", 90, "Commit", "Commit"};
    case Stage::kClosedWon: return {"Closed Won", 100, "Closed", "Closed"};
    case Stage::kClosedLost: return {"Closed Lost", 0, "Omitted", "Omitted"};
  }
  return {"Qualification", 10, "Pipeline", "Pipeline"};
}

struct Commit {
  std::string transaction_key;
  int64_t ms = 0;
  int64_t number = 0;
  int64_t replay_id = 0;
};

// Both records of one step (opportunity and line item) share the commit:
// same transaction, sequence 1 and 2.
Commit CommitOf(const EncodeContext& ctx, int deal, int step) {
  const DealStep& s = ctx.world.deals[deal].steps[step];
  Commit c;
  c.transaction_key = Uuid(ctx.org.vendor.id_salt ^ 0x31, static_cast<uint64_t>(deal) * 64 + step);
  c.ms = Millis(s.at);
  const int64_t rel = c.ms - Millis(ctx.org.window.crm_start);
  c.number = 11'000'000'000'000 + rel * 1000 + deal % 1000;
  c.replay_id = 4'000'000 + rel / 250 + deal % 97;
  return c;
}

Json Header(std::string_view entity, const std::string& record_id, std::string_view change_type,
            const Commit& c, int sequence, const std::string& user, Json changed) {
  return {{"entityName", entity},
          {"recordIds", Json::array({record_id})},
          {"changeType", change_type},
          {"changeOrigin", change_type == "CREATE" ? "" : "com/salesforce/api/rest/60.0"},
          {"transactionKey", c.transaction_key},
          {"sequenceNumber", sequence},
          {"commitTimestamp", c.ms},
          {"commitNumber", c.number},
          {"commitUser", user},
          {"changedFields", std::move(changed)}};
}

void CreateFields(const EncodeContext& ctx, const Deal& d, const DealStep& s, Json& p) {
  const Person& owner = ctx.org.people[d.owner];
  const StageInfo st = InfoOf(s.stage);
  p["Name"] = d.name;
  p["AccountId"] = ctx.world.accounts[d.account].sf_account_id;
  p["OwnerId"] = owner.ids.salesforce;
  p["StageName"] = st.label;
  p["Amount"] = static_cast<double>(s.amount_usd);
  p["CurrencyIsoCode"] = "USD";
  p["Probability"] = st.probability;
  p["CloseDate"] = DateText(s.close_date);
  p["Type"] = "New Business";
  p["LeadSource"] = "Outbound Prospecting";
  p["ForecastCategory"] = st.forecast;
  p["ForecastCategoryName"] = st.forecast_name;
  p["IsClosed"] = false;
  p["IsWon"] = false;
  p["IsPrivate"] = false;
  p["HasOpportunityLineItem"] = false;
  p["CreatedDate"] = Rfc3339Ms(s.at);
  p["CreatedById"] = owner.ids.salesforce;
  p["LastModifiedDate"] = Rfc3339Ms(s.at);
  p["LastModifiedById"] = owner.ids.salesforce;
}

// The changed fields of an UPDATE step, with their names.
void UpdateFields(const DealStep& s, Json& p, Json& changed) {
  auto set = [&](const char* name, Json value) {
    p[name] = std::move(value);
    changed.push_back(name);
  };
  const StageInfo st = InfoOf(s.stage);
  const bool stage_move = s.kind == DealStepKind::kStage || s.kind == DealStepKind::kClose;
  if (stage_move) {
    set("StageName", st.label);
    set("Probability", st.probability);
    set("ForecastCategory", st.forecast);
    set("ForecastCategoryName", st.forecast_name);
  }
  if (s.kind == DealStepKind::kClose) {
    set("IsClosed", true);
    set("IsWon", s.stage == Stage::kClosedWon);
  }
  if (s.kind == DealStepKind::kCloseDate || (s.kind == DealStepKind::kClose && s.close_date_changed)) {
    set("CloseDate", DateText(s.close_date));
  }
  if (s.kind == DealStepKind::kAmount || s.kind == DealStepKind::kDiscount) {
    set("Amount", static_cast<double>(s.amount_usd));
  }
  set("LastModifiedDate", Rfc3339Ms(s.at));
}

Json Envelope(std::string_view channel, std::string_view schema, Json payload, int64_t replay_id) {
  return {{"channel", channel},
          {"data", {{"schema", schema}, {"payload", std::move(payload)}, {"event", {{"replayId", replay_id}}}}}};
}

// Keyed by the opportunity id, line items included: one opportunity's
// changes share a partition, so a line item's CREATE (which tells the ingest
// its opportunity) is read before its UPDATEs and next to the opportunity's
// own changes.
SimRecord Wrap(const EncodeContext& ctx, std::string_view type, const std::string& record_id,
               const std::string& opportunity_id, std::string_view subject_kind, const Commit& c,
               int sequence, const Json& value) {
  const std::string& org_id = ctx.org.vendor.salesforce_org_id;
  CeAttributes ce;
  ce.id = "sf:" + org_id + ":" + c.transaction_key + ":" + std::to_string(sequence) + ":" + record_id;
  ce.source = "/connectors/salesforce/orgs/" + org_id;
  ce.type = std::string(type);
  ce.time = Rfc3339Ms(absl::FromUnixMillis(c.ms));
  ce.subject = std::string(subject_kind) + "/" + record_id;
  ce.tenant_id = ctx.org.options.tenant;
  return MakeRecord(kTopicCrm, opportunity_id, "salesforce", std::move(ce), value);
}

}  // namespace

SimRecord EncodeSfOpportunity(const EncodeContext& ctx, int deal, int step) {
  const Deal& d = ctx.world.deals[deal];
  const DealStep& s = d.steps[step];
  const Commit c = CommitOf(ctx, deal, step);
  const std::string& user = ctx.org.people[d.owner].ids.salesforce;
  Json p;
  if (s.kind == DealStepKind::kCreate) {
    p["ChangeEventHeader"] = Header("Opportunity", d.id, "CREATE", c, 1, user, Json::array());
    CreateFields(ctx, d, s, p);
  } else if (s.kind == DealStepKind::kGap) {
    p["ChangeEventHeader"] = Header("Opportunity", d.id, "GAP_UPDATE", c, 1, user, Json::array());
  } else {
    Json fields = Json::object();
    Json changed = Json::array();
    UpdateFields(s, fields, changed);
    p["ChangeEventHeader"] = Header("Opportunity", d.id, "UPDATE", c, 1, user, changed);
    for (auto& [k, v] : fields.items()) p[k] = v;
  }
  return Wrap(ctx, "com.salesforce.cdc.OpportunityChangeEvent", d.id, d.id, "opportunity", c, 1,
              Envelope("/data/OpportunityChangeEvent", kOppSchema, std::move(p), c.replay_id));
}

SimRecord EncodeSfLineItem(const EncodeContext& ctx, int deal, int step) {
  const Deal& d = ctx.world.deals[deal];
  const DealStep& s = d.steps[step];
  const Commit c = CommitOf(ctx, deal, step);
  const std::string& user = ctx.org.people[d.owner].ids.salesforce;
  const double discount_pct = s.discount_bps / 100.0;
  Json p;
  if (s.kind == DealStepKind::kLineItem) {
    p["ChangeEventHeader"] = Header("OpportunityLineItem", d.line_item_id, "CREATE", c, 1, user, Json::array());
    p["OpportunityId"] = d.id;
    p["Name"] = d.name + " - Subscription";
    p["Quantity"] = 1.0;
    p["UnitPrice"] = static_cast<double>(s.amount_usd);
    p["ListPrice"] = static_cast<double>(s.amount_usd);
    p["Discount"] = discount_pct;
    p["TotalPrice"] = static_cast<double>(s.amount_usd);
    p["CreatedDate"] = Rfc3339Ms(s.at);
    p["LastModifiedDate"] = Rfc3339Ms(s.at);
  } else {  // kDiscount: same transaction as the Opportunity Amount update
    p["ChangeEventHeader"] = Header("OpportunityLineItem", d.line_item_id, "UPDATE", c, 2, user,
                                    Json::array({"Discount", "TotalPrice", "LastModifiedDate"}));
    p["Discount"] = discount_pct;
    p["TotalPrice"] = static_cast<double>(s.amount_usd);
    p["LastModifiedDate"] = Rfc3339Ms(s.at);
  }
  const int sequence = s.kind == DealStepKind::kLineItem ? 1 : 2;
  return Wrap(ctx, "com.salesforce.cdc.OpportunityLineItemChangeEvent", d.line_item_id, d.id,
              "opportunity_line_item", c, sequence,
              Envelope("/data/OpportunityLineItemChangeEvent", kLineSchema, std::move(p), c.replay_id + sequence - 1));
}

}  // namespace cs::simulate
