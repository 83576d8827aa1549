#include "libs/directory/directory_cache.h"

#include <algorithm>
#include <mutex>

#include "google/protobuf/util/time_util.h"

namespace cs::directory {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

std::string DomainOf(std::string_view email) {
  size_t at = email.rfind('@');
  return at == std::string_view::npos ? std::string() : Lower(email.substr(at + 1));
}

}  // namespace

std::string DirectoryCache::Key(std::string_view tenant, std::string_view id) {
  std::string k;
  k.reserve(tenant.size() + id.size() + 1);
  k.append(tenant).push_back('/');
  k.append(id);
  return k;
}

std::string PersonRecordKey(const coachstream::v1::Person& person) {
  return person.tenant_id() + "/" + person.person_id();
}

void DirectoryCache::Unindex(const coachstream::v1::Person& p) {
  const std::string& t = p.tenant_id();
  for (const auto& id : p.identities()) {
    by_system_.erase(Key(t, std::to_string(id.system()) + "/" + id.user_id()));
  }
  for (const auto& e : p.emails()) {
    by_email_.erase(Key(t, Lower(e)));
    auto it = domains_.find(Key(t, DomainOf(e)));
    if (it != domains_.end() && --it->second <= 0) domains_.erase(it);
  }
  if (!p.manager_id().empty()) {
    auto it = reports_.find(Key(t, p.manager_id()));
    if (it != reports_.end()) it->second.erase(p.person_id());
  }
}

void DirectoryCache::Index(const PersonPtr& p) {
  const std::string& t = p->tenant_id();
  for (const auto& id : p->identities()) {
    by_system_[Key(t, std::to_string(id.system()) + "/" + id.user_id())] = p;
  }
  for (const auto& e : p->emails()) {
    by_email_[Key(t, Lower(e))] = p;
    std::string d = DomainOf(e);
    if (!d.empty()) ++domains_[Key(t, d)];
  }
  if (!p->manager_id().empty()) reports_[Key(t, p->manager_id())].insert(p->person_id());
}

bool DirectoryCache::Upsert(const coachstream::v1::Person& person) {
  std::unique_lock lock(mu_);
  std::string key = Key(person.tenant_id(), person.person_id());
  auto it = by_id_.find(key);
  if (it != by_id_.end()) {
    if (person.updated_at() < it->second->updated_at()) return false;
    Unindex(*it->second);
  }
  auto ptr = std::make_shared<const coachstream::v1::Person>(person);
  by_id_[key] = ptr;
  Index(ptr);
  return true;
}

bool DirectoryCache::Remove(std::string_view tenant, std::string_view person_id) {
  std::unique_lock lock(mu_);
  auto it = by_id_.find(Key(tenant, person_id));
  if (it == by_id_.end()) return false;
  Unindex(*it->second);
  by_id_.erase(it);
  return true;
}

PersonPtr DirectoryCache::FindById(std::string_view tenant, std::string_view person_id) const {
  std::shared_lock lock(mu_);
  auto it = by_id_.find(Key(tenant, person_id));
  return it == by_id_.end() ? nullptr : it->second;
}

PersonPtr DirectoryCache::FindBySystemId(std::string_view tenant, int system,
                                         std::string_view user_id) const {
  std::shared_lock lock(mu_);
  auto it = by_system_.find(Key(tenant, std::to_string(system) + "/" + std::string(user_id)));
  return it == by_system_.end() ? nullptr : it->second;
}

PersonPtr DirectoryCache::FindByEmail(std::string_view tenant, std::string_view email) const {
  std::shared_lock lock(mu_);
  auto it = by_email_.find(Key(tenant, Lower(email)));
  return it == by_email_.end() ? nullptr : it->second;
}

bool DirectoryCache::IsInternalDomain(std::string_view tenant, std::string_view domain) const {
  std::shared_lock lock(mu_);
  return domains_.count(Key(tenant, Lower(domain))) > 0;
}

std::vector<PersonPtr> DirectoryCache::ManagementChain(std::string_view tenant,
                                                       std::string_view person_id) const {
  std::shared_lock lock(mu_);
  std::vector<PersonPtr> chain;
  std::unordered_set<std::string> seen = {std::string(person_id)};
  auto it = by_id_.find(Key(tenant, person_id));
  while (it != by_id_.end() && !it->second->manager_id().empty()) {
    const std::string& next = it->second->manager_id();
    if (!seen.insert(next).second) break;  // a cycle in HR data must not hang us
    it = by_id_.find(Key(tenant, next));
    if (it != by_id_.end()) chain.push_back(it->second);
  }
  return chain;
}

bool DirectoryCache::InSubtree(std::string_view tenant, std::string_view manager_id,
                               std::string_view person_id) const {
  if (manager_id == person_id) return true;
  for (const PersonPtr& m : ManagementChain(tenant, person_id)) {
    if (m->person_id() == manager_id) return true;
  }
  return false;
}

std::vector<PersonPtr> DirectoryCache::Subtree(std::string_view tenant, std::string_view manager_id) const {
  std::shared_lock lock(mu_);
  std::vector<PersonPtr> out;
  std::vector<std::string> frontier = {std::string(manager_id)};
  std::unordered_set<std::string> seen = {std::string(manager_id)};
  while (!frontier.empty()) {
    std::string m = std::move(frontier.back());
    frontier.pop_back();
    auto r = reports_.find(Key(tenant, m));
    if (r == reports_.end()) continue;
    for (const std::string& id : r->second) {
      if (!seen.insert(id).second) continue;
      auto p = by_id_.find(Key(tenant, id));
      if (p == by_id_.end()) continue;
      out.push_back(p->second);
      frontier.push_back(id);
    }
  }
  return out;
}

std::vector<PersonPtr> DirectoryCache::People(std::string_view tenant) const {
  std::shared_lock lock(mu_);
  std::vector<PersonPtr> out;
  for (const auto& [key, p] : by_id_) {
    if (p->tenant_id() == tenant) out.push_back(p);
  }
  return out;
}

std::vector<std::string> DirectoryCache::Tenants() const {
  std::shared_lock lock(mu_);
  std::unordered_set<std::string> tenants;
  for (const auto& [key, p] : by_id_) tenants.insert(p->tenant_id());
  return {tenants.begin(), tenants.end()};
}

size_t DirectoryCache::size() const {
  std::shared_lock lock(mu_);
  return by_id_.size();
}

}  // namespace cs::directory
