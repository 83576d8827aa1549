#include "services/ingest/adapters/ingest_processor.h"

#include <cstdio>

#include "absl/strings/str_format.h"
#include "libs/base/log.h"

namespace cs::ingest {
namespace {

std::string Escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '%') out += "%25";
    else if (c == '/') out += "%2F";
    else out.push_back(c);
  }
  return out;
}

std::string RecId(const std::string& topic, int32_t partition, int64_t offset) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "/%d/%020lld", partition, static_cast<long long>(offset));
  return Escape(topic) + buf;
}

std::string DueKey(int64_t at_us, const std::string& rec_id) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "due/%020lld/", static_cast<long long>(at_us));
  return buf + rec_id;
}

RawRecord ToRaw(const kafka::Message& m) {
  RawRecord r;
  r.topic = m.topic;
  r.partition = m.partition;
  r.offset = m.offset;
  r.key = m.key;
  r.value = m.value;
  for (const auto& h : m.headers) r.headers.emplace_back(h.key, h.value);
  return r;
}

kafka::Message FromParked(const coachstream::v1::ParkedRecord& p) {
  kafka::Message m;
  m.topic = p.topic();
  m.partition = p.partition();
  m.offset = p.offset();
  m.key = p.key();
  m.value = p.value();
  m.is_null = p.is_null();
  for (const auto& h : p.headers()) m.headers.push_back({h.key(), h.value()});
  return m;
}

// Record-level outcome label, most significant first.
std::string RecordLabel(const RecordOutcome& outcome) {
  if (outcome.FirstDeadLetter() != nullptr) return "dead_lettered";
  if (outcome.HasPark()) return "parked";
  bool duplicate = false, stale = false;
  for (const auto& item : outcome.items) {
    if (item.kind == OutcomeKind::kEmit) return "emitted";
    duplicate |= item.kind == OutcomeKind::kDuplicate;
    stale |= item.kind == OutcomeKind::kStale;
  }
  if (stale) return "stale";
  if (duplicate) return "duplicate";
  return "skipped";
}

}  // namespace

struct IngestProcessor::Probe {
  Probe(prometheus::Registry& r, const std::string& source)
      : source_(source),
        items_(prometheus::BuildCounter()
                   .Name("coachstream_ingest_items_total")
                   .Help("Vendor items (a batch or page holds several) by source, outcome and reason "
                         "(why skipped, parked or dead-lettered; none otherwise)")
                   .Register(r)),
        parked_(prometheus::BuildGauge()
                    .Name("coachstream_ingest_parked_records")
                    .Help("Records waiting for a person to appear in the org directory")
                    .Register(r)
                    .Add({{"source", source}})),
        released_(prometheus::BuildCounter()
                      .Name("coachstream_ingest_unparked_total")
                      .Help("Parked records reprocessed (person learned), dead-lettered (timeout) or, when "
                            "emitted already and only waiting to credit one more person, dropped (watch_ended)")
                      .Register(r)) {}
  void Item(std::string_view outcome, std::string_view reason) {
    std::pair<std::string, std::string> key(outcome, reason);
    auto it = item_children_.find(key);
    if (it == item_children_.end()) {
      it = item_children_
               .emplace(key, &items_.Add({{"source", source_}, {"outcome", key.first}, {"reason", key.second}}))
               .first;
    }
    it->second->Increment();
  }
  void Released(const std::string& how) { released_.Add({{"source", source_}, {"how", how}}).Increment(); }
  std::string source_;
  prometheus::Family<prometheus::Counter>& items_;
  std::map<std::pair<std::string, std::string>, prometheus::Counter*> item_children_;
  prometheus::Gauge& parked_;
  prometheus::Family<prometheus::Counter>& released_;
};

IngestProcessor::IngestProcessor(IngestProcessorOptions options, kv::Store* store,
                                 const Directory& directory, const Clock& clock,
                                 prometheus::Registry& registry)
    : options_(std::move(options)),
      store_(store),
      parked_cf_(store->Cf("parked")),
      directory_(directory),
      clock_(clock),
      records_(*store, store->Cf("records")),
      pipeline_(options_.parse, options_.normalizer, directory, records_, clock),
      probe_(std::make_unique<Probe>(registry, options_.source)) {
  (void)store_->Scan(parked_cf_, "rec/", [this](std::string_view, std::string_view) {
    ++parked_count_;
    return true;
  });
  probe_->parked_.Set(static_cast<double>(parked_count_));
}

IngestProcessor::~IngestProcessor() = default;

ProcessResult IngestProcessor::Translate(const RecordOutcome& outcome, const kafka::Message& message) {
  ProcessResult result;
  result.outcome = RecordLabel(outcome);
  for (const ItemOutcome& item : outcome.items) {
    probe_->Item(OutcomeName(item.kind), ReasonCode(item.reason));
    if (item.kind == OutcomeKind::kSkip && log::Enabled(log::Level::kDebug)) {
      log::Debug("item skipped", {{"reason", std::string(ReasonCode(item.reason))},
                                  {"message", item.message},
                                  {"item", item.source_ref},
                                  {"topic", message.topic},
                                  {"partition", message.partition},
                                  {"offset", message.offset}});
    }
    if (item.kind != OutcomeKind::kEmit) continue;
    for (const auto& event : item.events) {
      kafka::OutRecord r;
      r.topic = options_.events_topic;
      r.key = EventKey(event);
      r.value = event.SerializeAsString();
      r.headers = {{"ce_type", "io.coachstream.event.v1"}, {"ce_id", event.event_id()}};
      result.outputs.push_back(std::move(r));
    }
    for (const auto& update : item.directory_updates) {
      kafka::OutRecord r;
      r.topic = options_.directory_topic;
      r.key = PersonKey(update.person);
      if (!update.tombstone) r.value = update.person.SerializeAsString();
      result.outputs.push_back(std::move(r));
    }
  }
  if (const ItemOutcome* dl = outcome.FirstDeadLetter()) {
    result.dead_letter = DeadLetter{std::string(ReasonCode(dl->reason)), dl->message};
  }
  return result;
}

void IngestProcessor::Park(const kafka::Message& m, const RecordOutcome& outcome, int64_t parked_at_us) {
  coachstream::v1::ParkedRecord rec;
  rec.set_topic(m.topic);
  rec.set_partition(m.partition);
  rec.set_offset(m.offset);
  rec.set_key(m.key);
  rec.set_value(m.value);
  rec.set_is_null(m.is_null);
  for (const auto& h : m.headers) {
    auto* out = rec.add_headers();
    out->set_key(h.key);
    out->set_value(h.value);
  }
  rec.set_parked_at_us(parked_at_us);
  std::set<std::string> keys;
  rec.set_emitted(!outcome.HasPark());
  for (const ItemOutcome& item : outcome.items) {
    if (item.kind != OutcomeKind::kPark && item.watch.empty()) continue;
    const UserRef& who = item.WaitsFor();
    // A dead letter at the timeout names a parked item's person.
    if (rec.message().empty() && (item.kind == OutcomeKind::kPark || rec.emitted())) rec.set_message(item.message);
    for (auto& k : ParkKeys(outcome.tenant, who)) keys.insert(std::move(k));
  }
  std::string rec_id = RecId(m.topic, m.partition, m.offset);
  for (const std::string& k : keys) {
    rec.add_park_keys(k);
    park_writes_["idx/" + Escape(k) + "/" + rec_id] = std::string();
  }
  const int64_t due_index_us =
      rec.emitted()
          ? parked_at_us + absl::ToInt64Microseconds(options_.watch_timeout - options_.normalizer.park_timeout)
          : parked_at_us;
  rec.set_due_index_us(due_index_us);
  park_writes_[DueKey(due_index_us, rec_id)] = std::string();
  park_writes_["rec/" + rec_id] = rec.SerializeAsString();
  ++parked_count_;
}

absl::StatusOr<ProcessResult> IngestProcessor::Process(const kafka::Message& message) {
  auto outcome = pipeline_.Process(ToRaw(message));
  if (!outcome.ok()) return outcome.status();
  ProcessResult result = Translate(*outcome, message);
  if (!result.dead_letter && outcome->Kept()) {
    Park(message, *outcome, absl::ToUnixMicros(clock_.Now()));
    RetryKnown(*outcome);
  }
  return result;
}

void IngestProcessor::RetryKnown(const RecordOutcome& outcome) {
  for (const ItemOutcome& item : outcome.items) {
    const UserRef& who = item.WaitsFor();
    if (who.empty() || !Knows(directory_, outcome.tenant, who)) continue;
    std::vector<std::string> keys = ParkKeys(outcome.tenant, who);
    std::lock_guard<std::mutex> lock(learned_mu_);
    for (auto& k : keys) learned_keys_.push_back(std::move(k));
  }
}

void IngestProcessor::PersonLearned(const coachstream::v1::Person& person) {
  std::vector<std::string> keys = ParkKeysFor(person);
  std::lock_guard<std::mutex> lock(learned_mu_);
  for (auto& k : keys) learned_keys_.push_back(std::move(k));
}

absl::Status IngestProcessor::CollectReleasable(const std::vector<std::string>& park_keys,
                                                std::set<std::string>* rec_ids) {
  for (const std::string& k : park_keys) {
    std::string prefix = "idx/" + Escape(k) + "/";
    for (auto it = park_writes_.lower_bound(prefix);
         it != park_writes_.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it) {
      if (it->second) rec_ids->insert(it->first.substr(prefix.size()));
    }
    auto s = store_->Scan(parked_cf_, prefix, [&](std::string_view key, std::string_view) {
      rec_ids->insert(std::string(key.substr(prefix.size())));
      return true;
    });
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status IngestProcessor::CollectExpired(std::set<std::string>* rec_ids) {
  absl::Time now = clock_.Now();
  if (now < next_expiry_check_) return absl::OkStatus();
  next_expiry_check_ = now + absl::Seconds(1);
  std::string end = DueKey(absl::ToUnixMicros(now - options_.normalizer.park_timeout), "");
  return store_->ScanRange(parked_cf_, "due/", end, [&](std::string_view key, std::string_view) {
    rec_ids->insert(std::string(key.substr(std::string("due/00000000000000000000/").size())));
    return rec_ids->size() < 10000;
  });
}

absl::StatusOr<std::optional<coachstream::v1::ParkedRecord>> IngestProcessor::LoadParked(
    const std::string& rec_id) {
  std::optional<std::string> raw;
  auto pending = park_writes_.find("rec/" + rec_id);
  if (pending != park_writes_.end()) {
    raw = pending->second;
  } else {
    auto got = store_->Get(parked_cf_, "rec/" + rec_id);
    if (!got.ok()) return got.status();
    raw = *got;
  }
  if (!raw) return std::optional<coachstream::v1::ParkedRecord>();
  coachstream::v1::ParkedRecord rec;
  if (!rec.ParseFromString(*raw)) return absl::DataLossError("corrupt parked record " + rec_id);
  return std::optional<coachstream::v1::ParkedRecord>(std::move(rec));
}

void IngestProcessor::Unpark(const std::string& rec_id, const coachstream::v1::ParkedRecord& rec) {
  for (const std::string& k : rec.park_keys()) park_writes_["idx/" + Escape(k) + "/" + rec_id] = std::nullopt;
  park_writes_[DueKey(rec.due_index_us() != 0 ? rec.due_index_us() : rec.parked_at_us(), rec_id)] = std::nullopt;
  park_writes_["rec/" + rec_id] = std::nullopt;
  --parked_count_;
}

absl::StatusOr<std::vector<ProcessResult>> IngestProcessor::TakeReleased() {
  std::vector<std::string> keys;
  {
    std::lock_guard<std::mutex> lock(learned_mu_);
    keys.swap(learned_keys_);
  }
  std::set<std::string> learned, expired;
  if (auto s = CollectReleasable(keys, &learned); !s.ok()) return s;
  if (auto s = CollectExpired(&expired); !s.ok()) return s;
  std::vector<ProcessResult> out;
  for (const std::string& rec_id : learned) {
    auto rec = LoadParked(rec_id);
    if (!rec.ok()) return rec.status();
    if (!*rec) continue;
    kafka::Message m = FromParked(**rec);
    Unpark(rec_id, **rec);
    RawRecord raw = ToRaw(m);
    raw.retried = true;
    auto outcome = pipeline_.Process(raw);
    if (!outcome.ok()) return outcome.status();
    ProcessResult result = Translate(*outcome, m);
    if (!result.dead_letter && outcome->Kept()) Park(m, *outcome, (*rec)->parked_at_us());
    result.original = std::move(m);
    probe_->Released("reprocessed");
    out.push_back(std::move(result));
  }
  for (const std::string& rec_id : expired) {
    if (learned.count(rec_id)) continue;
    auto rec = LoadParked(rec_id);
    if (!rec.ok()) return rec.status();
    if (!*rec) continue;
    if ((*rec)->emitted()) {
      // Emitted for everyone the directory knew; the one it waited for
      // never came (a shared mailbox, say): nothing is lost.
      log::Debug("stopped waiting for a participant", {{"record", rec_id}, {"why", (*rec)->message()}});
      Unpark(rec_id, **rec);
      probe_->Released("watch_ended");
      continue;
    }
    ProcessResult result;
    result.outcome = "dead_lettered";
    result.dead_letter = DeadLetter{
        "unresolved_identity",
        (*rec)->message() + " (no matching person in the org directory after " +
            absl::FormatDuration(options_.normalizer.park_timeout) + ")"};
    result.original = FromParked(**rec);
    Unpark(rec_id, **rec);
    probe_->Released("timed_out");
    out.push_back(std::move(result));
  }
  return out;
}

absl::Status IngestProcessor::OnBatchAcknowledged() {
  kv::Batch batch(*store_);
  records_.Stage(batch);
  for (const auto& [k, v] : park_writes_) {
    if (v) batch.Put(parked_cf_, k, *v);
    else batch.Delete(parked_cf_, k);
  }
  if (batch.Count() > 0) {
    if (auto s = store_->Write(batch); !s.ok()) return s;
  }
  records_.Clear();
  park_writes_.clear();
  probe_->parked_.Set(static_cast<double>(parked_count_));
  return absl::OkStatus();
}

}  // namespace cs::ingest
