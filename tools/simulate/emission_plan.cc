#include "tools/simulate/emission_plan.h"

#include <algorithm>

#include "tools/simulate/encoders.h"
#include "tools/simulate/rng.h"

namespace cs::simulate {
namespace {

Emission Make(EmitKind kind, absl::Time event_at, int index, int step = 0, int version = 0) {
  Emission e;
  e.kind = kind;
  e.event_at = event_at;
  e.index = index;
  e.step = step;
  e.version = static_cast<uint8_t>(version);
  return e;
}

class Planner {
 public:
  Planner(const Org& org, const World& world)
      : org_(org), world_(world), rng_(Rng::Derive(org.options.seed, "delivery")) {}

  std::vector<Emission> Run() {
    for (const Person& p : org_.people) People(p);
    for (size_t d = 0; d < world_.deals.size(); ++d) Deal(static_cast<int>(d));
    for (size_t i = 0; i < world_.dials.size(); ++i) Dial(static_cast<int>(i));
    for (size_t i = 0; i < world_.conversations.size(); ++i) Conversation(static_cast<int>(i));
    for (size_t i = 0; i < world_.meetings.size(); ++i) Meeting(static_cast<int>(i));
    AddNoise();
    std::stable_sort(out_.begin(), out_.end(), [](const Emission& a, const Emission& b) {
      const bool ha = a.kind == EmitKind::kPerson, hb = b.kind == EmitKind::kPerson;
      if (ha != hb) return ha;  // the HR feed first
      if (a.deliver_at != b.deliver_at) return a.deliver_at < b.deliver_at;
      return a.seq < b.seq;
    });
    return std::move(out_);
  }

 private:
  void Add(Emission e, absl::Duration latency) {
    e.deliver_at = e.event_at + latency;
    e.seq = static_cast<uint32_t>(out_.size());
    out_.push_back(e);
  }

  void People(const Person& p) {
    // New hires are entered a couple of weeks before they start.
    absl::Time updated = org_.window.crm_start - absl::Hours(24);
    if (p.new_hire) updated = absl::FromCivil(p.start_date - 14, absl::UTCTimeZone()) + absl::Hours(8);
    Add(Make(EmitKind::kPerson, updated, p.index), absl::ZeroDuration());
  }

  void Deal(int d) {
    const auto& steps = world_.deals[d].steps;
    const bool sf = world_.deals[d].crm == CrmSystem::kSalesforce;
    for (size_t i = 0; i < steps.size(); ++i) {
      const DealStep& s = steps[i];
      Emission e = Make(EmitKind::kSfOpportunity, s.at, d, static_cast<int>(i));
      absl::Duration latency = absl::Milliseconds(rng_.Int(sf ? 200 : 1000, sf ? 2500 : 30000));
      if (s.deliver_late && i + 1 < steps.size()) {
        latency = steps[i + 1].at - s.at + absl::Minutes(1) + latency;
        e.late_update = true;
      }
      if (!sf) {
        e.kind = EmitKind::kHubspotBatch;
        Add(e, latency);
        continue;
      }
      if (s.kind != DealStepKind::kLineItem) {
        e.kind = EmitKind::kSfOpportunity;
        Add(e, latency);
      }
      if (s.kind == DealStepKind::kLineItem || s.kind == DealStepKind::kDiscount) {
        e.kind = EmitKind::kSfLineItem;
        Add(e, latency + absl::Milliseconds(40));
      }
    }
  }

  void Dial(int i) {
    const cs::simulate::Dial& d = world_.dials[i];
    const absl::Time logged = d.dialed_at + absl::Seconds(d.ring_s + d.talk_s);
    Add(Make(EmitKind::kDial, logged, i), absl::Seconds(rng_.Int(1, 5)));
  }

  void Conversation(int i) {
    Add(Make(EmitKind::kGongCall, world_.conversations[i].analysed_at, i), absl::Seconds(rng_.Int(1, 60)));
  }

  void Meeting(int i) {
    const cs::simulate::Meeting& m = world_.meetings[i];
    Add(Make(EmitKind::kMeeting, m.synced_at, i), absl::Seconds(rng_.Int(2, 90)));
    const bool changed = m.cancelled || m.declined_by >= 0;
    if (changed && m.changed_at < org_.window.end) {
      Add(Make(EmitKind::kMeeting, m.changed_at, i, 0, 1), absl::Seconds(rng_.Int(2, 90)));
    }
  }

  // A few records arrive minutes late; a few are delivered twice.
  void AddNoise() {
    const size_t n = out_.size();
    for (size_t i = 0; i < n; ++i) {
      if (out_[i].kind == EmitKind::kPerson) continue;
      if (!out_[i].late_update && rng_.Chance(kDelayedFraction)) {
        out_[i].deliver_at += absl::Seconds(rng_.Int(30, 900));
        out_[i].delayed = true;
      }
      if (rng_.Chance(kDuplicateFraction)) {
        Emission dup = out_[i];
        dup.duplicate = true;
        dup.delayed = false;
        dup.deliver_at += absl::Seconds(rng_.Int(120, 3 * 3600));
        dup.seq = static_cast<uint32_t>(out_.size());
        out_.push_back(dup);
      }
    }
  }

  const Org& org_;
  const World& world_;
  Rng rng_;
  std::vector<Emission> out_;
};

}  // namespace

std::vector<Emission> PlanEmissions(const Org& org, const World& world) {
  return Planner(org, world).Run();
}

SimRecord EncodeEmission(const EncodeContext& ctx, const Emission& e) {
  SimRecord r;
  switch (e.kind) {
    case EmitKind::kPerson: r = EncodePerson(ctx, e.index, e.event_at); break;
    case EmitKind::kSfOpportunity: r = EncodeSfOpportunity(ctx, e.index, e.step); break;
    case EmitKind::kSfLineItem: r = EncodeSfLineItem(ctx, e.index, e.step); break;
    case EmitKind::kHubspotBatch: r = EncodeHubspotBatch(ctx, e.index, e.step, e.duplicate ? 1 : 0); break;
    case EmitKind::kDial: r = EncodeDial(ctx, e.index); break;
    case EmitKind::kGongCall: r = EncodeGongCall(ctx, e.index); break;
    case EmitKind::kMeeting: r = EncodeMeeting(ctx, e.index, e.version); break;
  }
  r.duplicate = e.duplicate;
  return r;
}

int ObservationsOf(const EncodeContext& ctx, const Emission& e) {
  if (e.kind != EmitKind::kHubspotBatch) return 1;
  const DealStep& s = ctx.world.deals[e.index].steps[e.step];
  switch (s.kind) {
    case DealStepKind::kCreate: return 7;  // creation + 6 properties
    case DealStepKind::kClose: return s.close_date_changed ? 4 : 3;
    default: return 1;
  }
}

int CanonicalEventsAtMost(const EncodeContext& ctx, const Emission& e) {
  if (e.duplicate) return 0;
  if (e.kind == EmitKind::kMeeting) {
    return static_cast<int>(ctx.world.meetings[e.index].internal.size());
  }
  if (e.kind == EmitKind::kSfOpportunity &&
      ctx.world.deals[e.index].steps[e.step].kind == DealStepKind::kGap) {
    return 1;  // a GAP change event (metrics ignores it)
  }
  return ObservationsOf(ctx, e);
}

}  // namespace cs::simulate
