#pragma once

// Materialises org.directory.v1 (compacted; key tenant/person_id, value a
// coachstream.v1.Person, null = deleted) into a DirectoryCache: reads every
// partition from the beginning on start, then follows new records, on its
// own thread. Each instance keeps its own full copy (the directory is small:
// people, not events).

#include <atomic>
#include <functional>
#include <memory>
#include <thread>

#include "absl/status/statusor.h"
#include "absl/synchronization/notification.h"
#include "libs/directory/directory_cache.h"
#include "libs/kafka/consumer.h"

namespace cs::directory {

struct FollowerOptions {
  kafka::ClientOptions client;
  std::string topic = "org.directory.v1";
  // Called on the follower thread after a person is added or changed.
  std::function<void(const coachstream::v1::Person&)> on_person;
};

class DirectoryFollower {
 public:
  static absl::StatusOr<std::unique_ptr<DirectoryFollower>> Start(FollowerOptions options,
                                                                  DirectoryCache* cache);
  ~DirectoryFollower();

  // Blocks until everything on the topic at start-up has been read, or
  // `timeout`; false on timeout.
  bool WaitCaughtUp(absl::Duration timeout);
  void Stop();
  int64_t records_applied() const { return applied_.load(); }

 private:
  DirectoryFollower() = default;
  void Run();

  FollowerOptions options_;
  DirectoryCache* cache_ = nullptr;
  std::unique_ptr<kafka::Consumer> consumer_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::atomic<int64_t> applied_{0};
  absl::Notification caught_up_;
};

}  // namespace cs::directory
