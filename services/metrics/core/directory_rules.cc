#include "services/metrics/core/directory_rules.h"

#include <algorithm>
#include <tuple>
#include <vector>

#include "libs/base/status.h"
#include "services/metrics/core/keys.h"

namespace cs::metrics {
namespace {

using coachstream::v1::Person;
using coachstream::v1::RepRecord;

// The index keys a record is listed under.
std::vector<std::string> IndexKeys(std::string_view tenant, const RepRecord& record) {
  std::vector<std::string> keys;
  if (record.deleted()) return keys;
  const Person& p = record.person();
  if (!p.manager_id().empty()) keys.push_back(ReportKey(tenant, p.manager_id(), p.person_id()));
  keys.push_back(PeerKey(tenant, p.role(), p.segment(), p.person_id()));
  return keys;
}

bool OlderThan(const google::protobuf::Timestamp& a, const google::protobuf::Timestamp& b) {
  return std::make_tuple(a.seconds(), a.nanos()) < std::make_tuple(b.seconds(), b.nanos());
}

}  // namespace

absl::StatusOr<ApplyResult> ApplyPersonEvent(Ledger& ledger, const coachstream::v1::Event& event) {
  const coachstream::v1::PersonEvent& e = event.person();
  const std::string& person_id = e.person().person_id().empty() ? event.rep_id() : e.person().person_id();
  const std::string_view tenant = event.tenant_id();
  CS_ASSIGN_OR_RETURN(Slot<PersonEntry> * slot, ledger.Person(tenant, person_id));
  RepRecord& record = slot->value.record;
  if (slot->present && OlderThan(e.person().updated_at(), record.person().updated_at())) {
    return ApplyResult::kStale;
  }
  std::vector<std::string> old_keys;
  if (slot->present) old_keys = IndexKeys(tenant, record);

  if (e.deleted()) {
    // Keep what we knew (history, zone) unless the tombstone carries a record.
    const bool carries_record =
        e.person().role() != coachstream::v1::ROLE_UNSPECIFIED || !e.person().display_name().empty();
    if (carries_record || !slot->present) {
      *record.mutable_person() = e.person();
    } else {
      *record.mutable_person()->mutable_updated_at() = e.person().updated_at();
    }
    record.set_deleted(true);
  } else {
    *record.mutable_person() = e.person();
    record.set_deleted(false);
  }
  record.mutable_person()->set_person_id(person_id);
  record.mutable_person()->set_tenant_id(std::string(tenant));
  slot->present = true;
  ledger.MarkDirty(slot);
  ledger.PersonChanged(tenant, person_id);  // the zone may have changed

  std::vector<std::string> new_keys = IndexKeys(tenant, record);
  for (std::string& key : old_keys) {
    if (std::find(new_keys.begin(), new_keys.end(), key) == new_keys.end()) ledger.DeleteIndex(std::move(key));
  }
  for (std::string& key : new_keys) ledger.PutIndex(std::move(key));
  return ApplyResult::kApplied;
}

}  // namespace cs::metrics
