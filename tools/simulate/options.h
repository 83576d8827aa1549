#pragma once

// What the simulator generates: the size of the synthetic org, the time
// window and the tenant. Every field has a default that gives the documented
// reproducible default run.

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace cs::simulate {

struct SimOptions {
  // Seed of every random draw; same seed and options => byte-identical output.
  uint64_t seed = 42;
  // Org size. One VP on top; directors manage managers, managers manage reps
  // (round-robin). Reps are about 1/4 SDRs and 3/4 account executives.
  int directors = 2;
  int managers = 5;
  int reps = 40;
  // Full calendar months of history before the month of `end_day`; the
  // month of `end_day` is generated up to (excluding) `end_day`.
  int months = 4;
  // First day NOT generated (activity stops at 00:00 UTC of this day).
  absl::CivilDay end_day = absl::CivilDay(2026, 11, 20);
  // CloudEvents tenantid of every record.
  std::string tenant = "acme";
  // The org's own e-mail domain (people are first.last@<domain>).
  std::string email_domain = "acme.example";
};

// The generated time range, derived from SimOptions.
struct Window {
  absl::CivilDay first_day;  // first day of the first full month
  absl::CivilDay end_day;    // exclusive
  absl::Time start;          // first_day 00:00 UTC
  absl::Time end;            // end_day 00:00 UTC
  // CRM history starts earlier: deals open at the window start were created
  // before it (their CRM changes are emitted, their calls and meetings not).
  absl::Time crm_start;
};

Window WindowOf(const SimOptions& options);

// OK, or INVALID_ARGUMENT naming the flag-level field that is out of range.
absl::Status ValidateOptions(const SimOptions& options);

}  // namespace cs::simulate
