#pragma once

// Process-wide shutdown request, set by SIGTERM/SIGINT.
// InstallShutdownHandlers() must be called once from main before threads start.

#include "absl/time/time.h"

namespace cs {

void InstallShutdownHandlers();
bool ShutdownRequested();
// Blocks until shutdown is requested or `timeout` passes; true if requested.
bool WaitForShutdown(absl::Duration timeout = absl::InfiniteDuration());
// Requests shutdown from inside the process (tests, fatal errors in a worker).
void RequestShutdown();

}  // namespace cs
