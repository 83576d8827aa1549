#include "libs/base/shutdown.h"

#include <csignal>
#include <pthread.h>
#include <mutex>
#include <thread>

#include "absl/synchronization/notification.h"

namespace cs {
namespace {

absl::Notification& Requested() {
  static absl::Notification n;
  return n;
}

void NotifyOnce() {
  static std::once_flag once;
  std::call_once(once, [] { Requested().Notify(); });
}

}  // namespace

void InstallShutdownHandlers() {
  // Block the signals in every thread and take them synchronously in a
  // dedicated one, so the handler may use ordinary synchronization.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::signal(SIGPIPE, SIG_IGN);
  std::thread([set] {
    int sig = 0;
    sigwait(&set, &sig);
    NotifyOnce();
  }).detach();
}

bool ShutdownRequested() { return Requested().HasBeenNotified(); }

bool WaitForShutdown(absl::Duration timeout) {
  return Requested().WaitForNotificationWithTimeout(timeout);
}

void RequestShutdown() { NotifyOnce(); }

}  // namespace cs
