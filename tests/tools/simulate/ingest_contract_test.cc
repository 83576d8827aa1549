// The contract between the simulator and ingest: every record parses with
// the ingest parser library, yields exactly the vendor items the simulator
// counted, and names only people the HR feed published.

#include <map>
#include <set>
#include <variant>

#include <gtest/gtest.h>

#include "tests/tools/simulate/parsed_fixture.h"
#include "tests/tools/simulate/sim_fixture.h"

namespace cs::simulate {
namespace {

using cs::ingest::Attendee;
using cs::ingest::CallObs;
using cs::ingest::DealChange;
using cs::ingest::MeetingObs;
using cs::ingest::PersonObs;
using cs::ingest::System;
using testing::DefaultParsedRun;
using testing::DefaultSimulation;

// The org directory as the HR feed describes it.
struct Directory {
  std::map<std::pair<System, std::string>, std::string> by_system_id;
  std::map<std::string, std::string> by_email;
  std::map<std::string, std::string> manager_of;

  explicit Directory(const testing::ParsedRun& run) {
    for (const auto& item : run.items) {
      const auto* p = std::get_if<PersonObs>(&item.obs);
      if (p == nullptr) continue;
      for (const auto& [system, id] : p->system_ids) by_system_id[{system, id}] = p->person_id;
      for (const std::string& e : p->emails) by_email[e] = p->person_id;
      manager_of[p->person_id] = p->manager_id;
    }
  }
  bool Knows(System system, const std::string& id) const { return by_system_id.count({system, id}) > 0; }
  std::string Email(const std::string& e) const {
    auto it = by_email.find(e);
    return it == by_email.end() ? "" : it->second;
  }
};

bool Internal(const std::string& email) { return email.ends_with("@acme.example"); }

TEST(IngestContractTest, EveryRecordParses) {
  const auto& run = DefaultParsedRun();
  EXPECT_EQ(run.record_errors.size(), 0u);
  for (size_t i = 0; i < run.record_errors.size() && i < 10; ++i) ADD_FAILURE() << run.record_errors[i];
  int rejected = 0, ignored = 0;
  for (const auto& item : run.items) {
    if (const auto* r = std::get_if<cs::ingest::Rejected>(&item.obs)) {
      if (++rejected <= 10) ADD_FAILURE() << "record " << item.record << " " << r->source_ref << ": " << r->status;
    }
    if (const auto* g = std::get_if<cs::ingest::Ignored>(&item.obs)) {
      if (++ignored <= 10) ADD_FAILURE() << "record " << item.record << " ignored: " << g->message;
    }
  }
  EXPECT_EQ(rejected, 0);
  EXPECT_EQ(ignored, 0);
  for (const auto& env : run.envelopes) ASSERT_EQ(env.tenant_id, "acme");
}

TEST(IngestContractTest, ObservationCountsMatchTheTruth) {
  std::map<std::string, int64_t> got;
  for (const auto& item : DefaultParsedRun().items) {
    if (std::holds_alternative<DealChange>(item.obs)) ++got["deal_change"];
    if (std::holds_alternative<CallObs>(item.obs)) ++got["call"];
    if (std::holds_alternative<MeetingObs>(item.obs)) ++got["meeting"];
    if (std::holds_alternative<PersonObs>(item.obs)) ++got["person"];
  }
  EXPECT_EQ(got, DefaultSimulation().totals().observations);
}

TEST(IngestContractTest, EveryVendorIdentityResolves) {
  const auto& run = DefaultParsedRun();
  const Directory dir(run);
  EXPECT_EQ(dir.manager_of.size(), DefaultSimulation().org().people.size());
  int unresolved = 0;
  auto fail = [&](size_t record, const std::string& what) {
    if (++unresolved <= 10) ADD_FAILURE() << "record " << record << ": " << what;
  };
  for (const auto& item : run.items) {
    if (const auto* d = std::get_if<DealChange>(&item.obs)) {
      if (d->owner_user_id.has_value() && !dir.Knows(d->system, d->owner_user_id.value())) {
        fail(item.record, "deal owner " + d->owner_user_id.value());
      }
    } else if (const auto* c = std::get_if<CallObs>(&item.obs)) {
      if (!dir.Knows(c->rep.system, c->rep.user_id)) fail(item.record, "call rep " + c->rep.user_id);
      if (!c->rep.email.empty() && dir.Email(c->rep.email).empty()) fail(item.record, c->rep.email);
    } else if (const auto* m = std::get_if<MeetingObs>(&item.obs)) {
      for (const Attendee& a : m->attendees) {
        if (Internal(a.email) && dir.Email(a.email).empty()) fail(item.record, "attendee " + a.email);
      }
    }
  }
  EXPECT_EQ(unresolved, 0);
}

// 1:1s are exactly the rep and their manager; customer meetings have a
// customer; internal meetings have three or more colleagues.
TEST(IngestContractTest, MeetingShapes) {
  const auto& run = DefaultParsedRun();
  const Directory dir(run);
  std::map<std::string, MeetingKind> kind_of;
  for (const Meeting& m : DefaultSimulation().world().meetings) kind_of[m.id] = m.kind;
  std::map<MeetingKind, int> seen;
  for (const auto& item : run.items) {
    const auto* m = std::get_if<MeetingObs>(&item.obs);
    if (m == nullptr || m->minimal) continue;
    ASSERT_TRUE(kind_of.count(m->meeting_id)) << m->meeting_id;
    const MeetingKind kind = kind_of[m->meeting_id];
    ++seen[kind];
    std::vector<std::string> internal;
    int external = 0;
    for (const Attendee& a : m->attendees) {
      if (a.resource) continue;
      if (Internal(a.email)) internal.push_back(dir.Email(a.email));
      else ++external;
    }
    ASSERT_TRUE(m->start_at && m->end_at && *m->end_at > *m->start_at) << m->meeting_id;
    if (kind == MeetingKind::kOneOnOne) {
      ASSERT_EQ(internal.size(), 2u) << m->meeting_id;
      EXPECT_EQ(external, 0);
      const bool managed = dir.manager_of.at(internal[1]) == internal[0] ||
                           dir.manager_of.at(internal[0]) == internal[1];
      EXPECT_TRUE(managed) << m->meeting_id;
    } else if (kind == MeetingKind::kCustomer) {
      EXPECT_GE(external, 1) << m->meeting_id;
    } else {
      EXPECT_GE(internal.size(), 3u) << m->meeting_id;
      EXPECT_EQ(external, 0);
    }
  }
  EXPECT_GT(seen[MeetingKind::kOneOnOne], 300);
  EXPECT_GT(seen[MeetingKind::kCustomer], 3000);
  EXPECT_GT(seen[MeetingKind::kInternal], 50);
}

// Line-item updates carry no OpportunityId (CometD sends changed fields
// only): the ingest ties them through the line item's CREATE, which must
// come first.
TEST(IngestContractTest, LineItemsAreTiedToTheirOpportunity) {
  std::map<std::string, std::string> opportunity_of;
  int updates = 0;
  for (const auto& item : DefaultParsedRun().items) {
    const auto* d = std::get_if<DealChange>(&item.obs);
    if (d == nullptr || d->line_item_id.empty()) continue;
    if (d->change == cs::ingest::Change::kCreated) {
      ASSERT_FALSE(d->deal_id.empty());
      opportunity_of[d->line_item_id] = d->deal_id;
      continue;
    }
    ++updates;
    EXPECT_TRUE(d->deal_id.empty());
    EXPECT_TRUE(opportunity_of.count(d->line_item_id)) << d->line_item_id << " updated before its CREATE";
    EXPECT_TRUE(d->discount_bps.has_value());
  }
  EXPECT_GT(updates, 20);
}

TEST(IngestContractTest, NastiesAreThere) {
  const auto& run = DefaultParsedRun();
  const SimTotals& t = DefaultSimulation().totals();
  int gaps = 0, late = 0;
  std::map<std::string, int64_t> newest;  // deal -> highest version delivered so far
  std::set<std::string> deal_event_ids;
  int64_t deal_changes = 0;
  for (const auto& item : run.items) {
    const auto* d = std::get_if<DealChange>(&item.obs);
    if (d == nullptr) continue;
    ++deal_changes;
    deal_event_ids.insert(d->event_id);
    gaps += d->change == cs::ingest::Change::kGap;
    if (!d->line_item_id.empty() || DefaultSimulation().plan()[item.record].duplicate) continue;
    int64_t& v = newest[d->deal_id];
    late += d->version < v;
    v = std::max(v, d->version);
  }
  EXPECT_EQ(gaps, 1);
  EXPECT_EQ(late, t.late_updates);
  EXPECT_GE(late, 3);  // the deliberate ones (random delays may add one)
  // Duplicated deliveries carry the same event ids: the ingest collapses them.
  int64_t duplicate_changes = 0;
  for (const auto& item : run.items) {
    if (std::holds_alternative<DealChange>(item.obs) && DefaultSimulation().plan()[item.record].duplicate) {
      ++duplicate_changes;
    }
  }
  EXPECT_GT(duplicate_changes, 0);
  EXPECT_EQ(static_cast<int64_t>(deal_event_ids.size()), deal_changes - duplicate_changes);
  std::set<std::pair<std::string, std::string>> ce_ids;
  int64_t repeated = 0;
  const Simulation& sim = DefaultSimulation();
  for (size_t i = 0; i < sim.size(); ++i) {
    const SimRecord r = sim.Record(i);
    repeated += !ce_ids.insert({r.topic, r.ce.id}).second;
  }
  EXPECT_EQ(repeated, t.duplicates);
}

}  // namespace
}  // namespace cs::simulate
