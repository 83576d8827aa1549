#include "tools/simulate/ndjson.h"

#include <algorithm>
#include <filesystem>
#include <system_error>
#include <vector>

#include <nlohmann/json.hpp>

#include "libs/base/status.h"

namespace cs::simulate {
namespace {

using Json = nlohmann::ordered_json;
namespace fs = std::filesystem;


}  // namespace

absl::StatusOr<std::unique_ptr<NdjsonWriter>> NdjsonWriter::Create(const std::string& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return absl::InvalidArgumentError("--dir " + dir + ": " + ec.message());
  return std::unique_ptr<NdjsonWriter>(new NdjsonWriter(dir));
}

std::string NdjsonLine(const SimRecord& r) {
  Json headers = Json::object();
  for (auto& [k, v] : HeadersOf(r.ce)) headers[k] = v;
  Json line = {{"topic", r.topic}, {"key", r.key}, {"headers", std::move(headers)}, {"value", r.value}};
  return line.dump();
}

absl::Status NdjsonWriter::Write(const SimRecord& record) {
  auto& file = files_[record.topic];
  if (!file) {
    const std::string path = dir_ + "/" + record.topic + ".ndjson";
    file = std::make_unique<std::ofstream>();
    file->open(path, std::ios::out | std::ios::trunc | std::ios::binary);
    if (!*file) return absl::UnavailableError("cannot write " + path);
  }
  *file << NdjsonLine(record) << '\n';
  if (!*file) return absl::UnavailableError("write failed: " + dir_ + "/" + record.topic + ".ndjson");
  return absl::OkStatus();
}

absl::Status NdjsonWriter::Close() {
  for (auto& [topic, file] : files_) {
    file->close();
    if (!*file) return absl::UnavailableError("cannot close " + dir_ + "/" + topic + ".ndjson");
  }
  files_.clear();
  return absl::OkStatus();
}

absl::StatusOr<ReplayRecord> ParseNdjsonLine(std::string_view line) {
  Json j = Json::parse(line.begin(), line.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return absl::InvalidArgumentError("not a JSON object");
  auto str = [&](const char* k) -> const Json* {
    auto it = j.find(k);
    return it != j.end() && it->is_string() ? &*it : nullptr;
  };
  const Json *topic = str("topic"), *key = str("key"), *value = str("value");
  auto h = j.find("headers");
  if (!topic || !key || !value || h == j.end() || !h->is_object()) {
    return absl::InvalidArgumentError("expected string topic, key, value and object headers");
  }
  ReplayRecord r{topic->get<std::string>(), key->get<std::string>(), {}, value->get<std::string>()};
  for (auto& [k, v] : h->items()) {
    if (!v.is_string()) return absl::InvalidArgumentError("header " + k + " is not a string");
    r.headers.emplace_back(k, v.get<std::string>());
  }
  return r;
}

absl::Status ReadNdjsonDir(const std::string& dir,
                           const std::function<absl::Status(const ReplayRecord&)>& fn) {
  std::error_code ec;
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.path().extension() == ".ndjson") files.push_back(entry.path().filename().string());
  }
  if (ec) return absl::InvalidArgumentError("--replay " + dir + ": " + ec.message());
  if (files.empty()) return absl::InvalidArgumentError("--replay " + dir + ": no *.ndjson files");
  std::sort(files.begin(), files.end(), [](const std::string& a, const std::string& b) {
    const bool oa = a == "raw.org.v1.ndjson", ob = b == "raw.org.v1.ndjson";
    return oa != ob ? oa : a < b;
  });
  for (const std::string& name : files) {
    std::ifstream in(dir + "/" + name, std::ios::binary);
    std::string line;
    for (int64_t n = 1; std::getline(in, line); ++n) {
      if (line.empty()) continue;
      absl::StatusOr<ReplayRecord> r = ParseNdjsonLine(line);
      if (!r.ok()) {
        return absl::InvalidArgumentError(name + ":" + std::to_string(n) + ": " + std::string(r.status().message()));
      }
      CS_RETURN_IF_ERROR(fn(*r));
    }
  }
  return absl::OkStatus();
}

}  // namespace cs::simulate
