#pragma once

// NDJSON replay files: one file per raw topic (<dir>/<topic>.ndjson), one
// record per line:
//   {"topic":"raw.crm.v1","key":"0065g...","headers":{"ce_specversion":"1.0",...},
//    "value":"<the vendor JSON payload, as a string>"}
// Lines are in delivery order within a file.

#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "tools/simulate/record.h"

namespace cs::simulate {

// One line of a replay file.
struct ReplayRecord {
  std::string topic;
  std::string key;
  HeaderList headers;  // in file order
  std::string value;
};

// Writes records to <dir>/<topic>.ndjson (creating dir). Not thread-safe.
class NdjsonWriter : public RecordSink {
 public:
  static absl::StatusOr<std::unique_ptr<NdjsonWriter>> Create(const std::string& dir);
  absl::Status Write(const SimRecord& record) override;
  // Flushes and closes every file; errors name the file.
  absl::Status Close();

 private:
  explicit NdjsonWriter(std::string dir) : dir_(std::move(dir)) {}
  std::string dir_;
  std::map<std::string, std::unique_ptr<std::ofstream>> files_;
};

// The JSON line for `record` (without the newline).
std::string NdjsonLine(const SimRecord& record);
absl::StatusOr<ReplayRecord> ParseNdjsonLine(std::string_view line);

// Calls `fn` for every record of the *.ndjson files in `dir`: raw.org.v1
// first (people must be known before their activity), then the other files
// in name order. Errors name the file and line.
absl::Status ReadNdjsonDir(const std::string& dir,
                           const std::function<absl::Status(const ReplayRecord&)>& fn);

}  // namespace cs::simulate
