#pragma once

// Did coaching work? (DOMAIN.md, "what makes coachstream different" #3.)
//
// For reps coached on a competency (an accepted focus or a plan in a month)
// the change in the competency's primary driver from "before" (the month
// before coaching started) to "after" (the coached month plus
// after_offset_months), against the same change for comparable uncoached
// peers (same role and segment, not coached on that competency around
// then) over the same months: a difference in differences,
//
//   DiD = mean(after - before | coached) - mean(after - before | uncoached).
//
// A run of consecutive coached months is one episode, starting at its first
// month. Rep-months without a value on either side are left out.

#include <string>
#include <vector>

#include "libs/base/period.h"

namespace cs::coaching {

// One rep's before/after pair.
struct DriverChange {
  std::string rep_id;
  double before = 0;
  double after = 0;
};

struct DidResult {
  double coached_change = 0;    // mean after - before, coached group
  double uncoached_change = 0;  // same, comparison group
  double difference_in_differences = 0;
  int coached_reps = 0;  // distinct reps behind each mean
  int uncoached_reps = 0;
  int coached_pairs = 0;  // before/after pairs behind each mean
  int uncoached_pairs = 0;
};

// Means of empty groups are 0 (and so is the DiD when either is empty).
DidResult DifferenceInDifferences(const std::vector<DriverChange>& coached,
                                  const std::vector<DriverChange>& uncoached);

// The start months of coaching episodes among `coached_months` (sorted or
// not; duplicates allowed): each month whose previous month is not coached.
std::vector<Period> EpisodeStarts(std::vector<Period> coached_months);

}  // namespace cs::coaching
