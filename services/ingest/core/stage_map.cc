#include "services/ingest/core/stage_map.h"

#include <cctype>
#include <string>

namespace cs::ingest {
namespace {

using coachstream::v1::DealStage;

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

}  // namespace

StageMap StageMap::Defaults() {
  StageMap m;
  const std::pair<std::string_view, DealStage> salesforce[] = {
      {"Prospecting", coachstream::v1::DEAL_STAGE_PROSPECTING},
      {"Qualification", coachstream::v1::DEAL_STAGE_QUALIFICATION},
      {"Needs Analysis", coachstream::v1::DEAL_STAGE_DISCOVERY},
      {"Value Proposition", coachstream::v1::DEAL_STAGE_DISCOVERY},
      {"Id. Decision Makers", coachstream::v1::DEAL_STAGE_DISCOVERY},
      {"Perception Analysis", coachstream::v1::DEAL_STAGE_DISCOVERY},
      {"Proposal/Price Quote", coachstream::v1::DEAL_STAGE_PROPOSAL},
      {"Negotiation/Review", coachstream::v1::DEAL_STAGE_NEGOTIATION},
      {"Closed Won", coachstream::v1::DEAL_STAGE_CLOSED_WON},
      {"Closed Lost", coachstream::v1::DEAL_STAGE_CLOSED_LOST},
  };
  const std::pair<std::string_view, DealStage> hubspot[] = {
      {"appointmentscheduled", coachstream::v1::DEAL_STAGE_QUALIFICATION},
      {"qualifiedtobuy", coachstream::v1::DEAL_STAGE_DISCOVERY},
      {"presentationscheduled", coachstream::v1::DEAL_STAGE_PROPOSAL},
      {"decisionmakerboughtin", coachstream::v1::DEAL_STAGE_PROPOSAL},
      {"contractsent", coachstream::v1::DEAL_STAGE_NEGOTIATION},
      {"closedwon", coachstream::v1::DEAL_STAGE_CLOSED_WON},
      {"closedlost", coachstream::v1::DEAL_STAGE_CLOSED_LOST},
  };
  for (const auto& [label, stage] : salesforce) m.Set(System::kSalesforce, label, stage);
  for (const auto& [label, stage] : hubspot) m.Set(System::kHubspot, label, stage);
  return m;
}

void StageMap::Set(System system, std::string_view label, DealStage stage) {
  table_[{system, Lower(label)}] = stage;
}

absl::Status StageMap::AddTable(std::string_view text) {
  int line_no = 0;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    ++line_no;
    line = Trim(line.substr(0, line.find('#')));
    if (line.empty()) continue;
    auto bad = [&](std::string_view why) {
      return absl::InvalidArgumentError("stage table line " + std::to_string(line_no) + " (\"" +
                                        std::string(line) + "\"): " + std::string(why));
    };
    size_t c1 = line.find(',');
    size_t c2 = line.rfind(',');
    if (c1 == std::string_view::npos || c1 == c2) return bad("expected system,label,STAGE");
    std::string_view system_name = Trim(line.substr(0, c1));
    std::string_view label = Trim(line.substr(c1 + 1, c2 - c1 - 1));
    std::string stage_name(Trim(line.substr(c2 + 1)));
    if (stage_name.rfind("DEAL_STAGE_", 0) != 0) stage_name = "DEAL_STAGE_" + stage_name;
    System system = System::kUnspecified;
    for (int s = 1; s <= static_cast<int>(System::kHrFeed); ++s) {
      if (SystemName(static_cast<System>(s)) == system_name) system = static_cast<System>(s);
    }
    DealStage stage;
    if (system == System::kUnspecified) return bad("unknown system");
    if (label.empty()) return bad("empty label");
    if (!coachstream::v1::DealStage_Parse(stage_name, &stage)) return bad("unknown stage");
    Set(system, label, stage);
  }
  return absl::OkStatus();
}

DealStage StageMap::Map(System system, std::string_view label, bool is_closed, bool is_won) const {
  if (!label.empty()) {
    auto it = table_.find({system, Lower(label)});
    if (it != table_.end()) return it->second;
  }
  if (is_won) return coachstream::v1::DEAL_STAGE_CLOSED_WON;
  if (is_closed) return coachstream::v1::DEAL_STAGE_CLOSED_LOST;
  return coachstream::v1::DEAL_STAGE_UNSPECIFIED;
}

}  // namespace cs::ingest
