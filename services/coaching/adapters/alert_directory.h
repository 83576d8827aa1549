#pragma once

// The alert engine's directory port over the org directory cache that the
// service materialises from org.directory.v1 (libs/directory).

#include "libs/directory/directory_cache.h"
#include "services/coaching/alerts/directory.h"

namespace cs::coaching_service {

class CachedOrgDirectory final : public coaching::alerts::OrgDirectory {
 public:
  explicit CachedOrgDirectory(const directory::DirectoryCache& cache) : cache_(cache) {}

  std::vector<std::string> Tenants() const override { return cache_.Tenants(); }
  std::vector<coachstream::v1::Person> People(std::string_view tenant) const override {
    std::vector<coachstream::v1::Person> out;
    for (const directory::PersonPtr& p : cache_.People(tenant)) out.push_back(*p);
    return out;
  }
  std::optional<coachstream::v1::Person> Find(std::string_view tenant, std::string_view id) const override {
    directory::PersonPtr p = cache_.FindById(tenant, id);
    return p ? std::optional<coachstream::v1::Person>(*p) : std::nullopt;
  }
  std::vector<std::string> Chain(std::string_view tenant, std::string_view id) const override {
    std::vector<std::string> out;
    for (const directory::PersonPtr& p : cache_.ManagementChain(tenant, id)) out.push_back(p->person_id());
    return out;
  }
  bool InSubtree(std::string_view tenant, std::string_view manager, std::string_view person) const override {
    return cache_.InSubtree(tenant, manager, person);
  }

 private:
  const directory::DirectoryCache& cache_;
};

}  // namespace cs::coaching_service
