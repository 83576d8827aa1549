#pragma once

// Typed, path-aware reading of simdjson DOM values for the vendor parsers.
//
// Readers record the FIRST error in a shared Errors object and keep going with
// empty values, so a parser reads its fields in straight-line code and checks
// errors.status() once. Messages name the JSON path, e.g.
//   "data.payload.ChangeEventHeader.commitNumber: expected integer, got string".
// Absent and null are distinguished (Presence, Patch) because partial updates
// depend on it. Views are valid until the owning dom::parser parses again.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "services/ingest/core/reason.h"

namespace cs::ingest::json {

class Errors {
 public:
  void Add(Reason reason, std::string_view message);
  bool ok() const { return first_.ok(); }
  const absl::Status& status() const { return first_; }

 private:
  absl::Status first_;
};

enum class Presence { kAbsent, kNull, kPresent };

// "object", "array", "string", "number", "boolean", "null".
std::string_view TypeName(simdjson::dom::element e);

class Arr;

class Obj {
 public:
  Obj(simdjson::dom::object obj, std::string path, Errors* errors)
      : obj_(obj), path_(std::move(path)), errors_(errors) {}

  const std::string& path() const { return path_; }
  Errors* errors() const { return errors_; }
  simdjson::dom::object raw() const { return obj_; }

  Presence Has(std::string_view key) const;
  // Present and not null.
  std::optional<simdjson::dom::element> Get(std::string_view key) const;

  // Absent or null -> nullopt; wrong type -> error (wrong_type) and nullopt.
  std::optional<std::string_view> Str(std::string_view key) const;
  std::optional<int64_t> Int(std::string_view key) const;   // integral numbers only
  std::optional<double> Num(std::string_view key) const;    // any number
  std::optional<bool> Bool(std::string_view key) const;
  std::optional<Obj> Object(std::string_view key) const;
  std::optional<Arr> Array(std::string_view key) const;
  // An identifier sent as a string or an integer ("482193" or 482193).
  std::optional<std::string> Id(std::string_view key) const;

  // As above, but absent/null/empty is an error (missing_field).
  std::string_view ReqStr(std::string_view key) const;
  int64_t ReqInt(std::string_view key) const;
  std::string ReqId(std::string_view key) const;
  std::optional<Obj> ReqObject(std::string_view key) const;
  std::optional<Arr> ReqArray(std::string_view key) const;

  // Records `reason` for `key` with message "<path>.<key>: <what>".
  void Fail(Reason reason, std::string_view key, std::string_view what) const;
  std::string ChildPath(std::string_view key) const;

 private:
  void WrongType(std::string_view key, std::string_view expected,
                 simdjson::dom::element got) const;

  simdjson::dom::object obj_;
  std::string path_;
  Errors* errors_;
};

class Arr {
 public:
  Arr(simdjson::dom::array arr, std::string path, Errors* errors)
      : arr_(arr), path_(std::move(path)), errors_(errors) {}

  size_t size() const { return arr_.size(); }
  const std::string& path() const { return path_; }
  simdjson::dom::array raw() const { return arr_; }
  std::string ItemPath(size_t i) const;

  // Each element as an object; a non-object element is a wrong_type error.
  template <typename F>
  void ForEachObject(F&& f) const {
    size_t i = 0;
    for (simdjson::dom::element e : arr_) {
      simdjson::dom::object o;
      if (e.get_object().get(o) != simdjson::SUCCESS) {
        errors_->Add(Reason::kWrongType,
                     ItemPath(i) + ": expected object, got " + std::string(TypeName(e)));
        return;
      }
      f(Obj(o, ItemPath(i), errors_), i);
      ++i;
    }
  }
  // All elements as strings; a non-string element is a wrong_type error.
  std::vector<std::string_view> Strings() const;

 private:
  simdjson::dom::array arr_;
  std::string path_;
  Errors* errors_;
};

// Parses `data` (valid UTF-8 JSON, nesting <= 1024) into `parser`'s
// document. If data.capacity() >= data.size() + simdjson::SIMDJSON_PADDING
// (64) the bytes are parsed in place, else copied once. Error reasons:
// invalid_json, invalid_utf8, too_large.
absl::StatusOr<simdjson::dom::element> ParseDocument(simdjson::dom::parser& parser,
                                                     const std::string& data);

}  // namespace cs::ingest::json
