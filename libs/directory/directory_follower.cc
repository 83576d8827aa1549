#include "libs/directory/directory_follower.h"

#include <unistd.h>

#include "libs/base/log.h"

namespace cs::directory {

absl::StatusOr<std::unique_ptr<DirectoryFollower>> DirectoryFollower::Start(FollowerOptions options,
                                                                            DirectoryCache* cache) {
  std::unique_ptr<DirectoryFollower> f(new DirectoryFollower());
  f->options_ = std::move(options);
  f->cache_ = cache;
  kafka::ConsumerOptions co;
  co.client = f->options_.client;
  co.client.client_id += "-directory";
  // Never joins the group (manual assignment); the id only satisfies librdkafka.
  co.group_id = "coachstream-directory-follower-" + std::to_string(getpid());
  co.topics = {f->options_.topic};
  co.read_whole_topics = true;
  auto consumer = kafka::Consumer::Create(co);
  if (!consumer.ok()) return consumer.status();
  f->consumer_ = std::move(*consumer);
  f->thread_ = std::thread([p = f.get()] { p->Run(); });
  return f;
}

DirectoryFollower::~DirectoryFollower() { Stop(); }

void DirectoryFollower::Stop() {
  if (stop_.exchange(true)) return;
  if (thread_.joinable()) thread_.join();
  if (consumer_) (void)consumer_->Close();
}

bool DirectoryFollower::WaitCaughtUp(absl::Duration timeout) {
  return caught_up_.WaitForNotificationWithTimeout(timeout);
}

void DirectoryFollower::Run() {
  while (!stop_) {
    auto batch = consumer_->Poll(1000, absl::Milliseconds(200));
    if (!batch.ok()) {
      log::Error("directory consumer failed", {{"error", batch.status().ToString()}});
      absl::SleepFor(absl::Seconds(1));
      continue;
    }
    for (const kafka::Message& m : *batch) {
      if (m.is_null) {
        size_t slash = m.key.find('/');
        if (slash != std::string::npos) cache_->Remove(m.key.substr(0, slash), m.key.substr(slash + 1));
        applied_.fetch_add(1);
        continue;
      }
      coachstream::v1::Person person;
      if (!person.ParseFromString(m.value) || person.person_id().empty()) {
        log::Warn("undecodable directory record skipped", {{"partition", m.partition}, {"offset", m.offset}});
        continue;
      }
      if (cache_->Upsert(person) && options_.on_person) options_.on_person(person);
      applied_.fetch_add(1);
    }
    if (!caught_up_.HasBeenNotified() && batch->empty()) {
      auto done = consumer_->CaughtUp(absl::Seconds(2));
      if (done.ok() && *done) {
        caught_up_.Notify();
        log::Info("directory loaded", {{"people", cache_->size()}});
      }
    }
  }
}

}  // namespace cs::directory
