#pragma once

// In-memory implementations of the ports. InMemoryDirectory is also usable
// by the adapter as the materialised org directory (thread-safe).

#include <map>
#include <mutex>
#include <set>
#include <shared_mutex>
#include <string>
#include <string_view>

#include "services/ingest/core/ports.h"

namespace cs::ingest {

class InMemoryDirectory final : public Directory {
 public:
  // Adds or replaces tenant/person_id and re-indexes identities and e-mails.
  // The domains of the person's e-mails become internal domains of the tenant
  // unless DeriveInternalDomains(false) was called.
  void Upsert(const coachstream::v1::Person& person);
  void Remove(std::string_view tenant, std::string_view person_id);
  void AddInternalDomain(std::string_view tenant, std::string_view domain);
  void DeriveInternalDomains(bool derive);

  PersonPtr FindById(std::string_view tenant, std::string_view person_id) const override;
  PersonPtr FindBySystemId(std::string_view tenant, System system,
                           std::string_view user_id) const override;
  PersonPtr FindByEmail(std::string_view tenant, std::string_view email) const override;
  bool IsInternalDomain(std::string_view tenant, std::string_view domain) const override;

 private:
  void Unindex(const coachstream::v1::Person& person);  // requires mu_ held exclusively

  mutable std::shared_mutex mu_;
  bool derive_domains_ = true;
  std::map<std::string, PersonPtr, std::less<>> by_id_;      // tenant \x1f person_id
  std::map<std::string, PersonPtr, std::less<>> by_system_;  // tenant \x1f system \x1f user_id
  std::map<std::string, PersonPtr, std::less<>> by_email_;   // tenant \x1f email
  std::set<std::string, std::less<>> domains_;               // tenant \x1f domain
};

// Not thread-safe; for tests and benchmarks.
class InMemoryStateStore final : public RecordStateStore {
 public:
  absl::StatusOr<std::optional<std::string>> Get(std::string_view key) override;
  absl::Status Put(std::string_view key, std::string_view value) override;
  size_t size() const { return data_.size(); }
  void Clear() { data_.clear(); }

 private:
  std::map<std::string, std::string, std::less<>> data_;
};

}  // namespace cs::ingest
