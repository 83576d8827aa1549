#pragma once

// Vendor stage label -> canonical DealStage, per source system. Labels match
// case-insensitively. Defaults cover Salesforce's and HubSpot's default
// pipelines; tenants add custom pipelines with AddTable.

#include <map>
#include <string>
#include <string_view>
#include <utility>

#include "absl/status/status.h"
#include "coachstream/v1/event.pb.h"
#include "services/ingest/core/observation.h"

namespace cs::ingest {

class StageMap {
 public:
  // Salesforce and HubSpot default pipelines (FORMATS.md lists them).
  static StageMap Defaults();

  void Set(System system, std::string_view label, coachstream::v1::DealStage stage);

  // Lines "system,label,STAGE", e.g. "hubspot,1049387,NEGOTIATION" or
  // "salesforce,Verbal Commit,DEAL_STAGE_NEGOTIATION"; '#' starts a comment.
  // system is a SystemName ("salesforce", "hubspot"). The error names the line.
  absl::Status AddTable(std::string_view text);

  // The stage for `label`; an unknown label falls back to CLOSED_WON /
  // CLOSED_LOST from the won/closed flags, else DEAL_STAGE_UNSPECIFIED.
  coachstream::v1::DealStage Map(System system, std::string_view label, bool is_closed,
                                 bool is_won) const;

 private:
  std::map<std::pair<System, std::string>, coachstream::v1::DealStage> table_;
};

}  // namespace cs::ingest
