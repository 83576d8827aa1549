#include "services/ingest/core/outcome.h"

#include <string>

namespace cs::ingest {

std::string_view OutcomeName(OutcomeKind kind) {
  switch (kind) {
    case OutcomeKind::kEmit: return "emit";
    case OutcomeKind::kDuplicate: return "duplicate";
    case OutcomeKind::kStale: return "stale";
    case OutcomeKind::kSkip: return "skip";
    case OutcomeKind::kPark: return "park";
    case OutcomeKind::kDeadLetter: return "dead_letter";
  }
  return "skip";
}

bool RecordOutcome::HasPark() const {
  for (const ItemOutcome& item : items) {
    if (item.kind == OutcomeKind::kPark) return true;
  }
  return false;
}

bool RecordOutcome::Kept() const {
  for (const ItemOutcome& item : items) {
    if (item.kind == OutcomeKind::kPark || (item.kind == OutcomeKind::kEmit && !item.watch.empty())) return true;
  }
  return false;
}

const ItemOutcome* RecordOutcome::FirstDeadLetter() const {
  for (const ItemOutcome& item : items) {
    if (item.kind == OutcomeKind::kDeadLetter) return &item;
  }
  return nullptr;
}

std::string EventKey(const coachstream::v1::Event& event) {
  return event.tenant_id() + "/" + event.rep_id();
}

std::string PersonKey(const coachstream::v1::Person& person) {
  return person.tenant_id() + "/" + person.person_id();
}

std::vector<std::string> ParkKeys(std::string_view tenant, const UserRef& unresolved) {
  std::vector<std::string> keys;
  std::string prefix = std::string(tenant) + "|";
  if (!unresolved.user_id.empty()) {
    keys.push_back(prefix + std::string(SystemName(unresolved.system)) + "|" + unresolved.user_id);
  }
  if (!unresolved.email.empty()) keys.push_back(prefix + "email|" + unresolved.email);
  for (const std::string& d : unresolved.park_domains) keys.push_back(prefix + "domain|" + d);
  return keys;
}

std::vector<std::string> ParkKeysFor(const coachstream::v1::Person& person) {
  std::vector<std::string> keys;
  for (const auto& id : person.identities()) {
    UserRef ref{static_cast<System>(id.system()), id.user_id(), ""};
    for (std::string& k : ParkKeys(person.tenant_id(), ref)) keys.push_back(std::move(k));
  }
  for (const std::string& email : person.emails()) {
    UserRef ref{System::kUnspecified, "", email, {}};
    if (size_t at = email.rfind('@'); at != std::string::npos) ref.park_domains.push_back(email.substr(at + 1));
    for (std::string& k : ParkKeys(person.tenant_id(), ref)) keys.push_back(std::move(k));
  }
  return keys;
}

}  // namespace cs::ingest
