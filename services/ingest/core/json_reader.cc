#include "services/ingest/core/json_reader.h"

#include <cmath>
#include <string>

namespace cs::ingest::json {
namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

}  // namespace

void Errors::Add(Reason reason, std::string_view message) {
  if (first_.ok()) first_ = IngestError(reason, message);
}

std::string_view TypeName(element e) {
  switch (e.type()) {
    case element_type::ARRAY: return "array";
    case element_type::OBJECT: return "object";
    case element_type::INT64:
    case element_type::UINT64:
    case element_type::DOUBLE: return "number";
    case element_type::STRING: return "string";
    case element_type::BOOL: return "boolean";
    case element_type::NULL_VALUE: return "null";
  }
  return "unknown";
}

std::string Obj::ChildPath(std::string_view key) const {
  std::string out;
  out.reserve(path_.size() + key.size() + 1);
  out.append(path_);
  if (!path_.empty()) out.push_back('.');
  out.append(key);
  return out;
}

void Obj::Fail(Reason reason, std::string_view key, std::string_view what) const {
  if (!errors_->ok()) return;
  errors_->Add(reason, ChildPath(key) + ": " + std::string(what));
}

void Obj::WrongType(std::string_view key, std::string_view expected, element got) const {
  if (!errors_->ok()) return;
  Fail(Reason::kWrongType, key,
       "expected " + std::string(expected) + ", got " + std::string(TypeName(got)));
}

Presence Obj::Has(std::string_view key) const {
  element e;
  if (obj_.at_key(key).get(e) != simdjson::SUCCESS) return Presence::kAbsent;
  return e.is_null() ? Presence::kNull : Presence::kPresent;
}

std::optional<element> Obj::Get(std::string_view key) const {
  element e;
  if (obj_.at_key(key).get(e) != simdjson::SUCCESS || e.is_null()) return std::nullopt;
  return e;
}

std::optional<std::string_view> Obj::Str(std::string_view key) const {
  std::optional<element> e = Get(key);
  if (!e) return std::nullopt;
  std::string_view s;
  if (e->get_string().get(s) != simdjson::SUCCESS) {
    WrongType(key, "string", *e);
    return std::nullopt;
  }
  return s;
}

std::optional<int64_t> Obj::Int(std::string_view key) const {
  std::optional<element> e = Get(key);
  if (!e) return std::nullopt;
  int64_t v = 0;
  if (e->get_int64().get(v) == simdjson::SUCCESS) return v;
  // Some producers write integral values as 734.0.
  double d = 0;
  if (e->get_double().get(d) == simdjson::SUCCESS && std::isfinite(d) && d == std::floor(d) &&
      std::fabs(d) < 9.0e15) {
    return static_cast<int64_t>(d);
  }
  WrongType(key, "integer", *e);
  return std::nullopt;
}

std::optional<double> Obj::Num(std::string_view key) const {
  std::optional<element> e = Get(key);
  if (!e) return std::nullopt;
  double d = 0;
  if (e->get_double().get(d) != simdjson::SUCCESS) {
    WrongType(key, "number", *e);
    return std::nullopt;
  }
  return d;
}

std::optional<bool> Obj::Bool(std::string_view key) const {
  std::optional<element> e = Get(key);
  if (!e) return std::nullopt;
  bool b = false;
  if (e->get_bool().get(b) != simdjson::SUCCESS) {
    WrongType(key, "boolean", *e);
    return std::nullopt;
  }
  return b;
}

std::optional<Obj> Obj::Object(std::string_view key) const {
  std::optional<element> e = Get(key);
  if (!e) return std::nullopt;
  simdjson::dom::object o;
  if (e->get_object().get(o) != simdjson::SUCCESS) {
    WrongType(key, "object", *e);
    return std::nullopt;
  }
  return Obj(o, ChildPath(key), errors_);
}

std::optional<Arr> Obj::Array(std::string_view key) const {
  std::optional<element> e = Get(key);
  if (!e) return std::nullopt;
  simdjson::dom::array a;
  if (e->get_array().get(a) != simdjson::SUCCESS) {
    WrongType(key, "array", *e);
    return std::nullopt;
  }
  return Arr(a, ChildPath(key), errors_);
}

std::optional<std::string> Obj::Id(std::string_view key) const {
  std::optional<element> e = Get(key);
  if (!e) return std::nullopt;
  std::string_view s;
  if (e->get_string().get(s) == simdjson::SUCCESS) return std::string(s);
  int64_t i = 0;
  if (e->get_int64().get(i) == simdjson::SUCCESS) return std::to_string(i);
  uint64_t u = 0;
  if (e->get_uint64().get(u) == simdjson::SUCCESS) return std::to_string(u);
  WrongType(key, "string or integer id", *e);
  return std::nullopt;
}

std::string_view Obj::ReqStr(std::string_view key) const {
  std::optional<std::string_view> s = Str(key);
  if (!s || s->empty()) {
    if (errors_->ok() && !s) Fail(Reason::kMissingField, key, "required string is missing");
    if (errors_->ok()) Fail(Reason::kMissingField, key, "required string is empty");
    return {};
  }
  return *s;
}

int64_t Obj::ReqInt(std::string_view key) const {
  std::optional<int64_t> v = Int(key);
  if (!v) {
    Fail(Reason::kMissingField, key, "required integer is missing");
    return 0;
  }
  return *v;
}

std::string Obj::ReqId(std::string_view key) const {
  std::optional<std::string> v = Id(key);
  if (!v || v->empty()) {
    Fail(Reason::kMissingField, key, "required id is missing");
    return {};
  }
  return *v;
}

std::optional<Obj> Obj::ReqObject(std::string_view key) const {
  std::optional<Obj> o = Object(key);
  if (!o) Fail(Reason::kMissingField, key, "required object is missing");
  return o;
}

std::optional<Arr> Obj::ReqArray(std::string_view key) const {
  std::optional<Arr> a = Array(key);
  if (!a) Fail(Reason::kMissingField, key, "required array is missing");
  return a;
}

std::string Arr::ItemPath(size_t i) const {
  return path_ + "[" + std::to_string(i) + "]";
}

std::vector<std::string_view> Arr::Strings() const {
  std::vector<std::string_view> out;
  out.reserve(arr_.size());
  size_t i = 0;
  for (element e : arr_) {
    std::string_view s;
    if (e.get_string().get(s) != simdjson::SUCCESS) {
      errors_->Add(Reason::kWrongType,
                   ItemPath(i) + ": expected string, got " + std::string(TypeName(e)));
      return {};
    }
    out.push_back(s);
    ++i;
  }
  return out;
}

absl::StatusOr<element> ParseDocument(simdjson::dom::parser& parser, const std::string& data) {
  element root;
  simdjson::error_code err = parser.parse(data).get(root);  // in place if capacity allows
  if (err == simdjson::SUCCESS) return root;
  std::string detail = simdjson::error_message(err);
  switch (err) {
    case simdjson::UTF8_ERROR:
      return IngestError(Reason::kInvalidUtf8, "value is not valid UTF-8: " + detail);
    case simdjson::CAPACITY:
    case simdjson::DEPTH_ERROR:
      return IngestError(Reason::kTooLarge, "value too large or too deeply nested: " + detail);
    default:
      return IngestError(Reason::kInvalidJson, "value is not valid JSON: " + detail);
  }
}

}  // namespace cs::ingest::json
