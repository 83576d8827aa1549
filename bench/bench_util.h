#pragma once

// Small helpers every benchmark uses: "--name=value" flags, the CPU time
// and memory of a process from /proc, and the machine's CPU model for the
// header line of a report.

#include <sys/types.h>

#include <cstdint>
#include <string>

namespace cs::bench {

// The value of "--name=value" in argv, or nullptr. `name` includes "--".
const char* FlagText(int argc, char** argv, const char* name);
// The same as an integer, or `fallback` when absent.
int64_t Flag(int argc, char** argv, const char* name, int64_t fallback);

// utime + stime of process `pid`, seconds (0 if it cannot be read).
double ProcessCpuSeconds(pid_t pid);
// A "VmRSS" / "VmHWM" style field of /proc/<pid>/status, MiB.
double ProcessMemMiB(pid_t pid, const std::string& field);
// "model name" of the first CPU in /proc/cpuinfo.
std::string CpuModel();

}  // namespace cs::bench
