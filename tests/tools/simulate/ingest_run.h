#pragma once

// The simulation through the whole ingest core (parsers and normalizer
// with in-memory ports), for the tests that follow records past parsing.

#include <functional>

#include "absl/status/statusor.h"
#include "libs/base/clock.h"
#include "services/ingest/core/normalizer.h"
#include "tools/simulate/simulation.h"

namespace cs::simulate::testing {

// Every record of `sim` through one ingest pipeline per topic, as one
// ingest deployment per source runs, sharing an in-memory directory and
// state store; directory updates (and tombstones) are applied after each
// record. `visit` sees each record and its outcome, in delivery order.
using IngestVisitor = std::function<void(size_t index, const SimRecord& record,
                                         absl::StatusOr<cs::ingest::RecordOutcome>& outcome)>;
void IngestEachRecord(const Simulation& sim, const Clock& clock, const IngestVisitor& visit);

// The same with the HR feed landing last: every other record first (those
// whose people are unknown park), then the org records, then the parked
// records retried in delivery order (RawRecord::retried), as the ingest
// adapter retries them once the directory learns their people. `visit`
// sees each processing, retries included.
void IngestWithDirectoryLast(const Simulation& sim, const Clock& clock, const IngestVisitor& visit);

// The same with the HR feed trickling in while everything else is read:
// one org record after every `every` other records. As the ingest adapter
// does, a record that parks, or is emitted while waiting for a participant
// (ItemOutcome::watch), is retried, in delivery order, when an org record
// teaches the directory a person it waits for.
void IngestWithDirectoryInterleaved(const Simulation& sim, const Clock& clock, size_t every,
                                    const IngestVisitor& visit);

}  // namespace cs::simulate::testing
