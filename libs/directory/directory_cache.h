#pragma once

// The org directory in memory: people by id, by vendor identity and by
// e-mail, the tenant's internal e-mail domains, and the management chain.
// Fed from the compacted topic org.directory.v1 (DirectoryFollower) and read
// by every service. Thread-safe: one writer, many readers.

#include <functional>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "coachstream/v1/person.pb.h"

namespace cs::directory {

using PersonPtr = std::shared_ptr<const coachstream::v1::Person>;

class DirectoryCache {
 public:
  // Inserts or replaces a person. A record older (updated_at) than the one
  // held is ignored. Returns true if the cache changed.
  bool Upsert(const coachstream::v1::Person& person);
  // Removes tenant/person_id (a tombstone).
  bool Remove(std::string_view tenant, std::string_view person_id);

  PersonPtr FindById(std::string_view tenant, std::string_view person_id) const;
  PersonPtr FindBySystemId(std::string_view tenant, int system, std::string_view user_id) const;
  PersonPtr FindByEmail(std::string_view tenant, std::string_view email) const;
  bool IsInternalDomain(std::string_view tenant, std::string_view domain) const;

  // Managers from the person's own manager upwards (cycle-safe).
  std::vector<PersonPtr> ManagementChain(std::string_view tenant, std::string_view person_id) const;
  // Whether `person_id` is `manager_id` or anywhere below them.
  bool InSubtree(std::string_view tenant, std::string_view manager_id, std::string_view person_id) const;
  // Everyone below `manager_id` (not including them).
  std::vector<PersonPtr> Subtree(std::string_view tenant, std::string_view manager_id) const;
  // Everyone of the tenant (in no particular order), and the tenants known.
  std::vector<PersonPtr> People(std::string_view tenant) const;
  std::vector<std::string> Tenants() const;
  size_t size() const;

 private:
  static std::string Key(std::string_view tenant, std::string_view id);
  void Unindex(const coachstream::v1::Person& p);
  void Index(const PersonPtr& p);

  mutable std::shared_mutex mu_;
  std::unordered_map<std::string, PersonPtr> by_id_;        // tenant/person_id
  std::unordered_map<std::string, PersonPtr> by_system_;    // tenant/system/user_id
  std::unordered_map<std::string, PersonPtr> by_email_;     // tenant/email
  std::unordered_map<std::string, int> domains_;            // tenant/domain -> people using it
  std::unordered_map<std::string, std::unordered_set<std::string>> reports_;  // tenant/manager -> ids
};

// "tenant/person_id", the org.directory.v1 record key.
std::string PersonRecordKey(const coachstream::v1::Person& person);

}  // namespace cs::directory
