#include "tools/simulate/simulation.h"

#include <algorithm>
#include <map>

#include "libs/base/status.h"
#include "tools/simulate/activity_model.h"

namespace cs::simulate {
namespace {

struct KindInfo {
  std::string_view topic;
  std::string_view observation;
};

KindInfo InfoOf(EmitKind kind) {
  switch (kind) {
    case EmitKind::kPerson: return {kTopicOrg, "person"};
    case EmitKind::kSfOpportunity:
    case EmitKind::kSfLineItem:
    case EmitKind::kHubspotBatch: return {kTopicCrm, "deal_change"};
    case EmitKind::kDial:
    case EmitKind::kGongCall: return {kTopicCalls, "call"};
    case EmitKind::kMeeting: return {kTopicCalendar, "meeting"};
  }
  return {kTopicOrg, "person"};
}

std::string_view VendorOf(const Org& org, const World& world, const Emission& e) {
  switch (e.kind) {
    case EmitKind::kPerson: return "hr";
    case EmitKind::kSfOpportunity:
    case EmitKind::kSfLineItem: return "salesforce";
    case EmitKind::kHubspotBatch: return "hubspot";
    case EmitKind::kDial:
      return org.people[world.dials[e.index].rep].dialer == DialerSystem::kSalesloft ? "salesloft"
                                                                                     : "outreach";
    case EmitKind::kGongCall: return "gong";
    case EmitKind::kMeeting:
      return world.meetings[e.index].system == CalendarSystem::kGoogle ? "google" : "microsoft";
  }
  return "";
}

std::string_view CeTypeOf(std::string_view vendor, EmitKind kind) {
  if (kind == EmitKind::kSfLineItem) return "com.salesforce.cdc.OpportunityLineItemChangeEvent";
  if (vendor == "salesforce") return "com.salesforce.cdc.OpportunityChangeEvent";
  if (vendor == "hubspot") return "com.hubspot.webhook.batch";
  if (vendor == "gong") return "io.gong.calls.extensive";
  if (vendor == "salesloft") return "com.salesloft.webhook.call";
  if (vendor == "outreach") return "io.outreach.webhook.call";
  if (vendor == "google") return "com.google.calendar.event";
  if (vendor == "microsoft") return "com.microsoft.graph.event";
  return "io.coachstream.hr.person";
}

// CRM updates delivered after a newer update of the same deal: the
// deliberate late updates, plus any that the random delays happened to swap.
int64_t CountLateUpdates(const std::vector<Emission>& plan) {
  std::map<int, absl::Time> newest;
  int64_t late = 0;
  for (const Emission& e : plan) {
    const bool deal = e.kind == EmitKind::kSfOpportunity || e.kind == EmitKind::kHubspotBatch;
    if (!deal || e.duplicate) continue;
    auto [it, fresh] = newest.emplace(e.index, e.event_at);
    if (fresh) continue;
    late += e.event_at < it->second;
    it->second = std::max(it->second, e.event_at);
  }
  return late;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Simulation>> Simulation::Create(const SimOptions& options) {
  CS_RETURN_IF_ERROR(ValidateOptions(options));
  std::unique_ptr<Simulation> sim(new Simulation());
  sim->org_ = BuildOrg(options);
  sim->world_ = BuildWorld(sim->org_);
  sim->plan_ = PlanEmissions(sim->org_, sim->world_);
  sim->Count();
  return sim;
}

void Simulation::Count() {
  const EncodeContext ctx{org_, world_};
  for (const Emission& e : plan_) {
    const KindInfo info = InfoOf(e.kind);
    const std::string_view vendor = VendorOf(org_, world_, e);
    ++totals_.records;
    ++totals_.per_topic[std::string(info.topic)];
    ++totals_.per_vendor[std::string(vendor)];
    ++totals_.per_ce_type[std::string(CeTypeOf(vendor, e.kind))];
    totals_.duplicates += e.duplicate;
    totals_.delayed += e.delayed;
    if (e.kind == EmitKind::kSfOpportunity && !e.duplicate &&
        world_.deals[e.index].steps[e.step].kind == DealStepKind::kGap) {
      ++totals_.gap_events;
    }
    totals_.observations[std::string(info.observation)] += ObservationsOf(ctx, e);
    totals_.canonical_events_at_most += CanonicalEventsAtMost(ctx, e);
  }
  totals_.late_updates = CountLateUpdates(plan_);
}

SimRecord Simulation::Record(size_t i) const {
  return EncodeEmission(EncodeContext{org_, world_}, plan_[i]);
}

absl::Status Simulation::Emit(RecordSink& sink) const {
  const EncodeContext ctx{org_, world_};
  for (const Emission& e : plan_) CS_RETURN_IF_ERROR(sink.Write(EncodeEmission(ctx, e)));
  return absl::OkStatus();
}

}  // namespace cs::simulate
