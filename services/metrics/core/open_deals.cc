#include "services/metrics/core/open_deals.h"

#include "absl/strings/str_cat.h"
#include "libs/base/status.h"
#include "services/metrics/core/absl_compat.h"
#include "services/metrics/core/keys.h"
#include "services/metrics/core/rep_inputs.h"

namespace cs::metrics {
namespace {

void SetSeconds(google::protobuf::Timestamp* ts, int64_t seconds) {
  if (seconds != 0) ts->set_seconds(seconds);
}

coachstream::v1::OpenDeal ToOpenDeal(std::string_view key, const coachstream::v1::OpenDealEntry& entry) {
  coachstream::v1::OpenDeal deal;
  deal.set_deal_id(LastKeyComponent(key));
  deal.set_name(entry.name());
  deal.set_stage(entry.stage());
  deal.mutable_amount()->set_amount_minor(entry.amount_minor());
  deal.mutable_amount()->set_currency_code(entry.currency_code());
  *deal.mutable_close_date() = entry.close_date();
  deal.set_close_date_slips(entry.close_date_slips());
  SetSeconds(deal.mutable_created_at(), entry.created_at_s());
  SetSeconds(deal.mutable_last_activity_at(), entry.last_activity_s());
  SetSeconds(deal.mutable_stage_entered_at(), entry.stage_entered_at_s());
  return deal;
}

}  // namespace

absl::StatusOr<coachstream::v1::ListOpenDealsResponse> ListOpenDeals(
    const StateReader& reader, const StateScanner& scanner, const coachstream::v1::ListOpenDealsRequest& request) {
  if (request.tenant_id().empty()) return absl::InvalidArgumentError("tenant_id: required");
  if (request.rep_id().empty()) return absl::InvalidArgumentError("rep_id: required");
  CS_ASSIGN_OR_RETURN(std::optional<coachstream::v1::RepRecord> record,
                      LoadRepRecord(reader, request.tenant_id(), request.rep_id()));
  if (!record) {
    CS_ASSIGN_OR_RETURN(bool known, HasAnyAggregate(scanner, request.tenant_id(), request.rep_id()));
    if (!known) {
      return absl::NotFoundError(absl::StrCat("rep_id: \"", request.rep_id(), "\" not found in tenant \"",
                                              request.tenant_id(), "\""));
    }
  }
  coachstream::v1::ListOpenDealsResponse response;
  absl::Status status;
  CS_RETURN_IF_ERROR(scanner.Scan(OpenDealPrefix(request.tenant_id(), request.rep_id()),
                                  [&](std::string_view key, std::string_view value) {
    coachstream::v1::OpenDealEntry entry;
    if (!entry.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
      status = absl::DataLossError(absl::StrCat("metrics state at key \"", AbslView(key), "\" does not parse"));
      return false;
    }
    *response.add_deals() = ToOpenDeal(key, entry);
    return true;
  }));
  CS_RETURN_IF_ERROR(status);
  return response;
}

}  // namespace cs::metrics
