#pragma once

// The org directory as the alert engine sees it: people, management chains
// and subtrees. The service implements it over libs/directory's
// DirectoryCache (fed from org.directory.v1); tests in memory.
// Implementations must be thread-safe.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "coachstream/v1/person.pb.h"

namespace cs::coaching::alerts {

class OrgDirectory {
 public:
  virtual ~OrgDirectory() = default;
  // Tenants that have people.
  virtual std::vector<std::string> Tenants() const = 0;
  // Everyone of the tenant, active or not, in any order.
  virtual std::vector<coachstream::v1::Person> People(std::string_view tenant) const = 0;
  virtual std::optional<coachstream::v1::Person> Find(std::string_view tenant,
                                                      std::string_view person_id) const = 0;
  // Managers from the person's own manager upwards (cycle-safe).
  virtual std::vector<std::string> Chain(std::string_view tenant, std::string_view person_id) const = 0;
  // Whether `person_id` is `manager_id` or anywhere below them.
  virtual bool InSubtree(std::string_view tenant, std::string_view manager_id,
                         std::string_view person_id) const = 0;
};

}  // namespace cs::coaching::alerts
