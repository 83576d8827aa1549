#include "services/coaching/core/competency_library.h"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "libs/base/status.h"
#include "nlohmann/json.hpp"
#include "services/coaching/core/absl_compat.h"

namespace cs::coaching {
namespace {

using Json = nlohmann::json;
using coachstream::v1::Role;

constexpr int kSchemaVersion = 1;

struct RoleEntry {
  Role role;
  std::string_view name;
};
const RoleEntry kRoles[] = {
    {coachstream::v1::ROLE_SDR, "sdr"},
    {coachstream::v1::ROLE_ACCOUNT_EXECUTIVE, "account_executive"},
    {coachstream::v1::ROLE_ACCOUNT_MANAGER, "account_manager"},
};

absl::Status Bad(const std::string& field, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", why));
}

// Rejects keys outside `allowed` so a misspelt key is not silently ignored.
absl::Status CheckKeys(const Json& object, const std::string& field,
                       std::initializer_list<const char*> allowed) {
  for (auto it = object.begin(); it != object.end(); ++it) {
    bool ok = false;
    for (const char* a : allowed) ok = ok || it.key() == a;
    if (!ok) {
      return Bad(absl::StrCat(field, ".", it.key()),
                 absl::StrCat("unknown key (allowed: ", absl::StrJoin(allowed, ", "), ")"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> NonEmptyString(const Json& object, const std::string& field, const char* key) {
  const std::string path = absl::StrCat(field, ".", key);
  auto it = object.find(key);
  if (it == object.end()) return Bad(path, "required");
  if (!it->is_string()) return Bad(path, "must be a string");
  std::string value = it->get<std::string>();
  if (value.empty()) return Bad(path, "must not be empty");
  return value;
}

absl::StatusOr<std::vector<std::string>> StringList(const Json& object, const std::string& field,
                                                    const char* key) {
  const std::string path = absl::StrCat(field, ".", key);
  auto it = object.find(key);
  if (it == object.end()) return Bad(path, "required");
  if (!it->is_array() || it->empty()) return Bad(path, "must be a non-empty array of strings");
  std::vector<std::string> out;
  for (size_t i = 0; i < it->size(); ++i) {
    const Json& item = (*it)[i];
    if (!item.is_string() || item.get<std::string>().empty()) {
      return Bad(absl::StrCat(path, "[", i, "]"), "must be a non-empty string");
    }
    out.push_back(item.get<std::string>());
  }
  return out;
}

bool ValidId(std::string_view id) {
  if (id.empty()) return false;
  for (char c : id) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

std::string KnownDriverNames() {
  std::vector<absl::string_view> names;
  for (const DriverInfo& info : AllDrivers()) names.push_back(Av(info.name));
  return absl::StrJoin(names, ", ");
}

absl::Status ParseRoles(const Json& object, const std::string& field, Competency* c);

absl::StatusOr<CompetencyDriver> ParseDriver(const Json& item, const std::string& field) {
  if (!item.is_object()) return Bad(field, "must be an object");
  CS_RETURN_IF_ERROR(CheckKeys(item, field, {"driver", "better", "role", "roles"}));
  CompetencyDriver d;
  CS_ASSIGN_OR_RETURN(d.driver, NonEmptyString(item, field, "driver"));
  const DriverInfo* info = FindDriverInfo(d.driver);
  if (info == nullptr) {
    return Bad(field + ".driver",
               absl::StrCat("unknown driver \"", d.driver, "\" (known: ", KnownDriverNames(), ")"));
  }
  CS_ASSIGN_OR_RETURN(std::string better, NonEmptyString(item, field, "better"));
  if (better != "higher" && better != "lower") {
    return Bad(field + ".better", absl::StrCat("\"", better, "\" is not \"higher\" or \"lower\""));
  }
  d.better = better == "higher" ? Direction::kHigherIsBetter : Direction::kLowerIsBetter;
  if (d.better != info->direction) {
    return Bad(field + ".better",
               absl::StrCat("contradicts driver \"", d.driver,
                            "\": ", info->direction == Direction::kHigherIsBetter ? "higher" : "lower",
                            " is better"));
  }
  CS_ASSIGN_OR_RETURN(std::string role, NonEmptyString(item, field, "role"));
  if (role != "outcome" && role != "behaviour") {
    return Bad(field + ".role", absl::StrCat("\"", role, "\" is not \"outcome\" or \"behaviour\""));
  }
  d.role = role == "outcome" ? DriverRole::kOutcome : DriverRole::kBehaviour;
  if (item.contains("roles")) {
    Competency scoped;
    CS_RETURN_IF_ERROR(ParseRoles(item, field, &scoped));
    d.roles = std::move(scoped.roles);
  }
  if (d.role == DriverRole::kOutcome && info->lever == Lever::kNone) {
    return Bad(field + ".role", absl::StrCat("driver \"", d.driver,
                                             "\" is not part of the bookings model; use "
                                             "\"behaviour\""));
  }
  return d;
}

absl::Status ParseRoles(const Json& object, const std::string& field, Competency* c) {
  CS_ASSIGN_OR_RETURN(std::vector<std::string> roles, StringList(object, field, "roles"));
  for (size_t i = 0; i < roles.size(); ++i) {
    bool found = false;
    for (const RoleEntry& r : kRoles) {
      if (r.name == roles[i]) {
        c->roles.push_back(r.role);
        found = true;
      }
    }
    if (!found) {
      return Bad(
          absl::StrCat(field, ".roles[", i, "]"),
          absl::StrCat("unknown role \"", roles[i], "\" (known: sdr, account_executive, account_manager)"));
    }
  }
  return absl::OkStatus();
}

absl::Status ParseDrivers(const Json& object, const std::string& field, Competency* c) {
  auto it = object.find("drivers");
  if (it == object.end()) return Bad(field + ".drivers", "required");
  if (!it->is_array() || it->empty()) return Bad(field + ".drivers", "must be a non-empty array");
  for (size_t i = 0; i < it->size(); ++i) {
    const std::string path = absl::StrCat(field, ".drivers[", i, "]");
    CS_ASSIGN_OR_RETURN(CompetencyDriver d, ParseDriver((*it)[i], path));
    if (c->FindDriver(d.driver) != nullptr) {
      return Bad(path + ".driver", absl::StrCat("\"", d.driver, "\" is listed twice"));
    }
    for (size_t r = 0; r < d.roles.size(); ++r) {
      if (!c->AppliesTo(d.roles[r]) || d.roles[r] == coachstream::v1::ROLE_UNSPECIFIED) {
        return Bad(absl::StrCat(path, ".roles[", r, "]"),
                   absl::StrCat("\"", Av(RoleName(d.roles[r])), "\" is not one of the competency's roles"));
      }
    }
    c->drivers.push_back(std::move(d));
  }
  return absl::OkStatus();
}

absl::StatusOr<Competency> ParseCompetency(const Json& object, const std::string& field) {
  if (!object.is_object()) return Bad(field, "must be an object");
  CS_RETURN_IF_ERROR(CheckKeys(
      object, field,
      {"id", "name", "description", "kind", "roles", "lever", "drivers", "target_driver", "activities"}));
  Competency c;
  CS_ASSIGN_OR_RETURN(c.id, NonEmptyString(object, field, "id"));
  if (!ValidId(c.id)) return Bad(field + ".id", "must match [a-z0-9_]+");
  CS_ASSIGN_OR_RETURN(c.name, NonEmptyString(object, field, "name"));
  CS_ASSIGN_OR_RETURN(c.description, NonEmptyString(object, field, "description"));
  CS_ASSIGN_OR_RETURN(std::string kind, NonEmptyString(object, field, "kind"));
  if (kind != "skill" && kind != "will") {
    return Bad(field + ".kind", absl::StrCat("\"", kind, "\" is not \"skill\" or \"will\""));
  }
  c.kind = kind == "skill" ? CompetencyKind::kSkill : CompetencyKind::kWill;
  CS_RETURN_IF_ERROR(ParseRoles(object, field, &c));
  CS_ASSIGN_OR_RETURN(std::string lever, NonEmptyString(object, field, "lever"));
  std::optional<Lever> parsed = ParseLever(lever);
  if (!parsed || *parsed == Lever::kNone) {
    return Bad(field + ".lever",
               absl::StrCat("unknown lever \"", lever,
                            "\" (known: activity, connect, meeting, opportunity, win, deal_size, "
                            "cycle)"));
  }
  c.lever = *parsed;
  CS_RETURN_IF_ERROR(ParseDrivers(object, field, &c));
  CS_ASSIGN_OR_RETURN(c.target_driver, NonEmptyString(object, field, "target_driver"));
  if (c.FindDriver(c.target_driver) == nullptr) {
    return Bad(field + ".target_driver",
               absl::StrCat("\"", c.target_driver, "\" is not one of the competency's drivers"));
  }
  CS_ASSIGN_OR_RETURN(c.activities, StringList(object, field, "activities"));
  return c;
}

absl::Status ParseDocument(const Json& doc, std::vector<Competency>* competencies, std::string* version) {
  if (!doc.is_object()) return Bad("library", "must be a JSON object");
  CS_RETURN_IF_ERROR(CheckKeys(doc, "library", {"schema_version", "library_version", "competencies"}));
  auto schema = doc.find("schema_version");
  if (schema == doc.end() || !schema->is_number_integer() || schema->get<int>() != kSchemaVersion) {
    return Bad("schema_version", absl::StrCat("must be ", kSchemaVersion));
  }
  CS_ASSIGN_OR_RETURN(*version, NonEmptyString(doc, "library", "library_version"));
  auto list = doc.find("competencies");
  if (list == doc.end() || !list->is_array() || list->empty()) {
    return Bad("competencies", "must be a non-empty array");
  }
  std::set<std::string> ids;
  for (size_t i = 0; i < list->size(); ++i) {
    const std::string field = absl::StrCat("competencies[", i, "]");
    CS_ASSIGN_OR_RETURN(Competency c, ParseCompetency((*list)[i], field));
    if (!ids.insert(c.id).second) {
      return Bad(field + ".id", absl::StrCat("duplicate id \"", c.id, "\""));
    }
    competencies->push_back(std::move(c));
  }
  return absl::OkStatus();
}

}  // namespace

bool Competency::AppliesTo(Role role) const {
  if (role == coachstream::v1::ROLE_UNSPECIFIED) return true;
  for (Role r : roles) {
    if (r == role) return true;
  }
  return false;
}

bool CompetencyDriver::AppliesTo(Role role) const {
  if (role == coachstream::v1::ROLE_UNSPECIFIED || roles.empty()) return true;
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

bool Competency::HasOutcomeDrivers(Role role) const {
  for (const CompetencyDriver& d : drivers) {
    if (d.role == DriverRole::kOutcome && d.AppliesTo(role)) return true;
  }
  return false;
}

const std::string& Competency::TargetDriverFor(Role role) const {
  const CompetencyDriver* target = FindDriver(target_driver);
  if (target == nullptr || target->AppliesTo(role)) return target_driver;
  for (const CompetencyDriver& d : drivers) {
    if (d.role == DriverRole::kOutcome && d.AppliesTo(role)) return d.driver;
  }
  return target_driver;
}

const CompetencyDriver* Competency::FindDriver(std::string_view name) const {
  for (const CompetencyDriver& d : drivers) {
    if (d.driver == name) return &d;
  }
  return nullptr;
}

absl::StatusOr<CompetencyLibrary> CompetencyLibrary::Parse(std::string_view json) {
  CompetencyLibrary library;
  try {
    const Json doc = Json::parse(json.begin(), json.end());
    CS_RETURN_IF_ERROR(ParseDocument(doc, &library.competencies_, &library.version_));
  } catch (const Json::exception& e) {
    // Parse errors carry the byte offset; type errors should not happen
    // (every access is checked) but must not escape either.
    return absl::InvalidArgumentError(absl::StrCat("competency library: ", e.what()));
  }
  return library;
}

absl::StatusOr<CompetencyLibrary> CompetencyLibrary::Default() {
  return Parse(DefaultCompetencyLibraryJson());
}

absl::StatusOr<CompetencyLibrary> CompetencyLibrary::ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("competency library \"", path, "\": cannot open"));
  std::ostringstream text;
  text << in.rdbuf();
  absl::StatusOr<CompetencyLibrary> library = Parse(text.str());
  if (!library.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("competency library \"", path, "\": ", library.status().message()));
  }
  return library;
}

const Competency* CompetencyLibrary::Find(std::string_view id) const {
  for (const Competency& c : competencies_) {
    if (c.id == id) return &c;
  }
  return nullptr;
}

std::optional<Direction> CompetencyLibrary::DirectionOf(std::string_view driver) const {
  // Parse rejects a library direction that contradicts the catalog, so the
  // catalog's is the answer for every driver.
  const DriverInfo* info = FindDriverInfo(driver);
  if (info == nullptr) return std::nullopt;
  return info->direction;
}

std::string_view RoleName(Role role) {
  for (const RoleEntry& r : kRoles) {
    if (r.role == role) return r.name;
  }
  return "unspecified";
}

}  // namespace cs::coaching
