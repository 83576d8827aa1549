#include "services/ingest/core/state_codec.h"

#include <algorithm>
#include <string>

namespace cs::ingest {
namespace {

constexpr char kDealMagic = 'D';
constexpr char kSeenMagic = 'S';
constexpr char kFormatVersion = 1;
// Seen records: 2 adds the pending person after the person ids, 3 the
// `partial` flag after it; a record with neither (every call and person,
// most meetings) is still written, and read, as 1, one with only a
// pending person as 2.
constexpr char kSeenPendingVersion = 2;
constexpr char kSeenFormatVersion = 3;
// Deal records: 2 adds emitted_version after the field versions, 3 the
// pending owner and since when after the recent event ids; 1 and 2 are still read (format
// 1's last emission carried the highest field version; neither has a
// pending owner).
constexpr char kDealFormatVersion = 3;

void PutVarint(uint64_t v, std::string* out) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7F) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

void PutString(std::string_view s, std::string* out) {
  PutVarint(s.size(), out);
  out->append(s);
}

void PutSigned(int64_t v, std::string* out) {
  PutVarint((static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63), out);
}

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  bool Varint(uint64_t* v) {
    *v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (in_.empty()) return false;
      auto byte = static_cast<uint8_t>(in_.front());
      in_.remove_prefix(1);
      *v |= static_cast<uint64_t>(byte & 0x7F) << shift;
      if ((byte & 0x80) == 0) return true;
    }
    return false;
  }
  bool Signed(int64_t* v) {
    uint64_t u = 0;
    if (!Varint(&u)) return false;
    *v = static_cast<int64_t>((u >> 1) ^ (~(u & 1) + 1));
    return true;
  }
  bool String(std::string* s) {
    uint64_t n = 0;
    if (!Varint(&n) || n > in_.size()) return false;
    s->assign(in_.substr(0, n));
    in_.remove_prefix(n);
    return true;
  }
  bool Byte(char* c) {
    if (in_.empty()) return false;
    *c = in_.front();
    in_.remove_prefix(1);
    return true;
  }
  std::string_view rest() const { return in_; }

 private:
  std::string_view in_;
};

absl::Status Corrupt(std::string_view what) {
  return absl::DataLossError("ingest state: corrupt " + std::string(what) + " record");
}

}  // namespace

std::string StateKey(char kind, std::string_view tenant, System system, std::string_view id) {
  std::string key;
  key.reserve(tenant.size() + id.size() + 16);
  key.push_back(kind);
  key.push_back('/');
  key.append(tenant).push_back('/');
  key.append(SystemName(system)).push_back('/');
  key.append(id);
  return key;
}

std::string EncodeDealState(const DealState& state) {
  std::string out;
  out.push_back(kDealMagic);
  out.push_back(kDealFormatVersion);
  PutVarint(state.versions.size(), &out);
  for (int64_t v : state.versions) PutSigned(v, &out);
  PutSigned(state.emitted_version, &out);
  out.push_back(state.deleted ? 1 : 0);
  PutVarint(state.recent_event_ids.size(), &out);
  for (const std::string& id : state.recent_event_ids) PutString(id, &out);
  PutString(state.pending_owner_user_id, &out);
  PutSigned(state.pending_owner_since_us, &out);
  state.snapshot.AppendToString(&out);
  return out;
}

absl::StatusOr<DealState> DecodeDealState(std::string_view bytes) {
  Reader r(bytes);
  DealState state;
  char magic = 0, version = 0, deleted = 0;
  uint64_t n = 0;
  if (!r.Byte(&magic) || magic != kDealMagic || !r.Byte(&version) ||
      version < kFormatVersion || version > kDealFormatVersion || !r.Varint(&n) || n > 64) {
    return Corrupt("deal");
  }
  for (uint64_t i = 0; i < n; ++i) {
    int64_t v = 0;
    if (!r.Signed(&v)) return Corrupt("deal");
    if (i < state.versions.size()) state.versions[i] = v;  // newer fields: ignore
    state.emitted_version = std::max(state.emitted_version, v);  // format 1
  }
  if (version >= 2 && !r.Signed(&state.emitted_version)) return Corrupt("deal");
  if (!r.Byte(&deleted) || !r.Varint(&n) || n > 1024) return Corrupt("deal");
  state.deleted = deleted != 0;
  state.recent_event_ids.resize(n);
  for (std::string& id : state.recent_event_ids) {
    if (!r.String(&id)) return Corrupt("deal");
  }
  if (version >= 3 &&
      (!r.String(&state.pending_owner_user_id) || !r.Signed(&state.pending_owner_since_us))) {
    return Corrupt("deal");
  }
  std::string_view rest = r.rest();
  if (!state.snapshot.ParseFromArray(rest.data(), static_cast<int>(rest.size()))) {
    return Corrupt("deal");
  }
  return state;
}

std::string EncodeSeenRecord(const SeenRecord& record) {
  std::string out;
  const bool pending = !record.pending.empty() || !record.pending.park_domains.empty();
  out.push_back(kSeenMagic);
  out.push_back(record.partial ? kSeenFormatVersion : pending ? kSeenPendingVersion : kFormatVersion);
  PutSigned(record.version, &out);
  PutString(record.event_id, &out);
  PutSigned(record.kind, &out);
  PutSigned(record.start_ms, &out);
  PutVarint(record.person_ids.size(), &out);
  for (const std::string& id : record.person_ids) PutString(id, &out);
  if (!pending && !record.partial) return out;  // formats 2 and 3 carry the pending section
  PutVarint(static_cast<uint64_t>(record.pending.system), &out);
  PutString(record.pending.user_id, &out);
  PutString(record.pending.email, &out);
  PutVarint(record.pending.park_domains.size(), &out);
  for (const std::string& d : record.pending.park_domains) PutString(d, &out);
  if (record.partial) out.push_back(1);
  return out;
}

absl::StatusOr<SeenRecord> DecodeSeenRecord(std::string_view bytes) {
  Reader r(bytes);
  SeenRecord rec;
  char magic = 0, version = 0;
  int64_t kind = 0;
  uint64_t n = 0;
  if (!r.Byte(&magic) || magic != kSeenMagic || !r.Byte(&version) || version < kFormatVersion ||
      version > kSeenFormatVersion ||
      !r.Signed(&rec.version) || !r.String(&rec.event_id) || !r.Signed(&kind) ||
      !r.Signed(&rec.start_ms) || !r.Varint(&n) || n > 4096) {
    return Corrupt("seen");
  }
  rec.kind = static_cast<int32_t>(kind);
  rec.person_ids.resize(n);
  for (std::string& id : rec.person_ids) {
    if (!r.String(&id)) return Corrupt("seen");
  }
  if (version >= 2) {
    uint64_t system = 0;
    if (!r.Varint(&system) || system > 64 || !r.String(&rec.pending.user_id) ||
        !r.String(&rec.pending.email) || !r.Varint(&n) || n > 64) {
      return Corrupt("seen");
    }
    rec.pending.system = static_cast<System>(system);
    rec.pending.park_domains.resize(n);
    for (std::string& d : rec.pending.park_domains) {
      if (!r.String(&d)) return Corrupt("seen");
    }
  }
  if (version >= 3) {
    char partial = 0;
    if (!r.Byte(&partial) || (partial != 0 && partial != 1)) return Corrupt("seen");
    rec.partial = partial == 1;
  }
  return rec;
}

}  // namespace cs::ingest
