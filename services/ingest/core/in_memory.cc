#include "services/ingest/core/in_memory.h"

#include <string>

namespace cs::ingest {
namespace {

std::string Key(std::string_view a, std::string_view b) {
  std::string k;
  k.reserve(a.size() + b.size() + 1);
  k.append(a).push_back('\x1f');
  k.append(b);
  return k;
}

std::string SystemKey(std::string_view tenant, System system, std::string_view user_id) {
  return Key(Key(tenant, SystemName(system)), user_id);
}

std::string_view DomainOf(std::string_view email) {
  size_t at = email.rfind('@');
  return at == std::string_view::npos ? std::string_view() : email.substr(at + 1);
}

}  // namespace

void InMemoryDirectory::Unindex(const coachstream::v1::Person& p) {
  for (const auto& id : p.identities()) {
    by_system_.erase(
        SystemKey(p.tenant_id(), static_cast<System>(id.system()), id.user_id()));
  }
  for (const std::string& email : p.emails()) by_email_.erase(Key(p.tenant_id(), email));
}

void InMemoryDirectory::Upsert(const coachstream::v1::Person& person) {
  auto ptr = std::make_shared<const coachstream::v1::Person>(person);
  std::unique_lock lock(mu_);
  std::string id_key = Key(person.tenant_id(), person.person_id());
  if (auto it = by_id_.find(id_key); it != by_id_.end()) Unindex(*it->second);
  by_id_[id_key] = ptr;
  for (const auto& id : person.identities()) {
    by_system_[SystemKey(person.tenant_id(), static_cast<System>(id.system()), id.user_id())] = ptr;
  }
  for (const std::string& email : person.emails()) {
    by_email_[Key(person.tenant_id(), email)] = ptr;
    std::string_view domain = DomainOf(email);
    if (derive_domains_ && !domain.empty()) domains_.insert(Key(person.tenant_id(), domain));
  }
}

void InMemoryDirectory::Remove(std::string_view tenant, std::string_view person_id) {
  std::unique_lock lock(mu_);
  auto it = by_id_.find(Key(tenant, person_id));
  if (it == by_id_.end()) return;
  Unindex(*it->second);
  by_id_.erase(it);
}

void InMemoryDirectory::AddInternalDomain(std::string_view tenant, std::string_view domain) {
  std::unique_lock lock(mu_);
  domains_.insert(Key(tenant, domain));
}

void InMemoryDirectory::DeriveInternalDomains(bool derive) {
  std::unique_lock lock(mu_);
  derive_domains_ = derive;
}

PersonPtr InMemoryDirectory::FindById(std::string_view tenant, std::string_view person_id) const {
  std::shared_lock lock(mu_);
  auto it = by_id_.find(Key(tenant, person_id));
  return it == by_id_.end() ? nullptr : it->second;
}

PersonPtr InMemoryDirectory::FindBySystemId(std::string_view tenant, System system,
                                            std::string_view user_id) const {
  std::shared_lock lock(mu_);
  auto it = by_system_.find(SystemKey(tenant, system, user_id));
  return it == by_system_.end() ? nullptr : it->second;
}

PersonPtr InMemoryDirectory::FindByEmail(std::string_view tenant, std::string_view email) const {
  std::shared_lock lock(mu_);
  auto it = by_email_.find(Key(tenant, email));
  return it == by_email_.end() ? nullptr : it->second;
}

bool InMemoryDirectory::IsInternalDomain(std::string_view tenant, std::string_view domain) const {
  std::shared_lock lock(mu_);
  return domains_.count(Key(tenant, domain)) > 0;
}

absl::StatusOr<std::optional<std::string>> InMemoryStateStore::Get(std::string_view key) {
  auto it = data_.find(key);
  if (it == data_.end()) return std::optional<std::string>();
  return std::optional<std::string>(it->second);
}

absl::Status InMemoryStateStore::Put(std::string_view key, std::string_view value) {
  data_.insert_or_assign(std::string(key), std::string(value));
  return absl::OkStatus();
}

}  // namespace cs::ingest
