#pragma once

// Key layout of the metrics state (RocksDB keys), byte-ordered so that the
// prefix scans the queries need are contiguous:
//
//   agg/<tenant>/<rep>/<yyyy-mm>             RepMonthBucket    (the month's ISO week parts)
//   deal/<tenant>/<deal_id>                  DealState
//   open/<tenant>/<rep>/<deal_id>            OpenDealEntry     (open deals the rep owns)
//   mtg/<tenant>/<rep>/<meeting_id>          MeetingState
//   sess/<tenant>/<rep>/<session_id>         SessionState
//   acct/<tenant>/<rep>/<domain>             AccountFirstMeeting
//   person/<tenant>/<person_id>              RepRecord
//   mgr/<tenant>/<manager_id>/<person_id>    "" (direct reports index)
//   peer/<tenant>/<role:2 digits>/<segment>/<person_id>   "" (peer-group index)
//   dedup/<yyyymmdd>/<tenant>/<bucket:2>     SeenBucket        (UTC day of occurred_at; the tenant's
//                                                               reps hashed into kDedupBuckets)
//   seen/<yyyymmdd>/<tenant>/<rep>           SeenBucket        (the same per rep, written until
//                                                               2026-12-03: read only, see DedupLayout)
//   meta/dedup                               DedupLayout
//
// Every id component is escaped ('%' -> "%25", '/' -> "%2F") so that a
// prefix ending in '/' never matches a longer id. A rep's months sort
// chronologically; dedup/ and seen/ sort by day first so that expiring the
// dedup state is a range delete (see DedupExpiryRange, SeenExpiryRange).

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "absl/time/civil_time.h"
#include "libs/base/period.h"

namespace cs::metrics {

// Civil day number: days since 1970-01-01 (negative before).
int32_t DayNumber(absl::CivilDay day);
absl::CivilDay DayFromNumber(int32_t number);

// Appends `id` escaped.
void AppendKeyComponent(std::string* out, std::string_view id);
// Inverse of AppendKeyComponent for one component.
std::string UnescapeKeyComponent(std::string_view component);
// The last '/'-separated component of `key`, unescaped.
std::string LastKeyComponent(std::string_view key);

// Writes the bucket key of (tenant, rep, month) into *out (cleared first),
// so that hot paths can reuse one buffer. `month` must be a month period.
void AggKeyInto(std::string* out, std::string_view tenant, std::string_view rep, const Period& month);
std::string AggKey(std::string_view tenant, std::string_view rep, const Period& month);
std::string AggRepPrefix(std::string_view tenant, std::string_view rep);
// Parses the month from an agg key.
bool MonthFromAggKey(std::string_view key, Period* month);

void DealKeyInto(std::string* out, std::string_view tenant, std::string_view deal_id);
void OpenDealKeyInto(std::string* out, std::string_view tenant, std::string_view rep,
                     std::string_view deal_id);
std::string OpenDealPrefix(std::string_view tenant, std::string_view rep);
void MeetingKeyInto(std::string* out, std::string_view tenant, std::string_view rep,
                    std::string_view meeting_id);
void AccountKeyInto(std::string* out, std::string_view tenant, std::string_view rep, std::string_view domain);
void SessionKeyInto(std::string* out, std::string_view tenant, std::string_view rep,
                    std::string_view session_id);
void PersonKeyInto(std::string* out, std::string_view tenant, std::string_view person_id);
std::string PersonKey(std::string_view tenant, std::string_view person_id);
std::string ReportKey(std::string_view tenant, std::string_view manager_id, std::string_view person_id);
std::string ReportPrefix(std::string_view tenant, std::string_view manager_id);
std::string PeerKey(std::string_view tenant, int role, std::string_view segment,
                    std::string_view person_id);
std::string PeerPrefix(std::string_view tenant, int role, std::string_view segment);
// The dedup buckets of a tenant and UTC day (the civil day of occurred_at
// in UTC): each rep's fingerprints go to bucket
// LedgerGroup::DedupBucketOfHash(rep hash), so a day costs at most
// kDedupBuckets keys however many reps were active (one key per rep and
// day before 2026-12-03: as many writes as a sparse stream has events).
// Also the most apply threads (a shard holds whole buckets).
inline constexpr int kDedupBuckets = 16;
void DedupKeyInto(std::string* out, absl::CivilDay utc_day, std::string_view tenant, int bucket);
// The per-rep buckets written until 2026-12-03 (read only).
void SeenKeyInto(std::string* out, absl::CivilDay utc_day, std::string_view tenant, std::string_view rep);
// Where the dedup layout is recorded (DedupLayout).
inline constexpr std::string_view kDedupLayoutKey = "meta/dedup";

// [begin, end) covering the dedup buckets of every UTC day before
// `first_kept_day`: the adapter deletes each with one DeleteRange.
std::pair<std::string, std::string> DedupExpiryRange(absl::CivilDay first_kept_day);
std::pair<std::string, std::string> SeenExpiryRange(absl::CivilDay first_kept_day);

}  // namespace cs::metrics
