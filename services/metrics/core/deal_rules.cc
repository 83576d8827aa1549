#include "services/metrics/core/deal_rules.h"

#include <algorithm>
#include <tuple>

#include "libs/base/status.h"
#include "services/metrics/core/agg_ops.h"
#include "services/metrics/core/time_util.h"

namespace cs::metrics {
namespace {

using coachstream::v1::ChangeKind;
using coachstream::v1::CloseCredit;
using coachstream::v1::Date;
using coachstream::v1::DealEvent;
using coachstream::v1::DealStage;
using coachstream::v1::DealState;
using coachstream::v1::Event;
using coachstream::v1::OpenDealEntry;
using coachstream::v1::RepPeriodAgg;

constexpr int64_t kSecondsPerDay = 86400;

bool IsOpenStage(DealStage s) {
  return s >= coachstream::v1::DEAL_STAGE_PROSPECTING && s <= coachstream::v1::DEAL_STAGE_NEGOTIATION;
}
bool IsClosedStage(DealStage s) {
  return s == coachstream::v1::DEAL_STAGE_CLOSED_WON || s == coachstream::v1::DEAL_STAGE_CLOSED_LOST;
}
uint32_t StageBit(DealStage s) { return 1u << static_cast<int>(s); }
bool DateSet(const Date& d) { return d.year() != 0; }
bool DateBefore(const Date& a, const Date& b) {
  return std::make_tuple(a.year(), a.month(), a.day()) < std::make_tuple(b.year(), b.month(), b.day());
}

// The deal after the change, normalised: a closed deal's stage is
// CLOSED_WON or CLOSED_LOST whatever the vendor said.
struct Snapshot {
  std::string_view owner;
  DealStage stage = coachstream::v1::DEAL_STAGE_UNSPECIFIED;
  bool closed = false;
  bool won = false;
  bool deleted = false;
  int64_t amount = 0;
  const Date* close_date = nullptr;
  int32_t discount = 0;
  const std::string* name = nullptr;
  const std::string* currency = nullptr;
};

Snapshot Normalise(const Event& event) {
  const DealEvent& d = event.deal();
  Snapshot n;
  n.owner = d.owner_id().empty() ? std::string_view(event.rep_id()) : std::string_view(d.owner_id());
  n.closed = d.is_closed() || IsClosedStage(d.stage());
  n.won = n.closed && (d.is_won() || d.stage() == coachstream::v1::DEAL_STAGE_CLOSED_WON);
  n.stage = !n.closed ? d.stage()
            : n.won   ? coachstream::v1::DEAL_STAGE_CLOSED_WON
                      : coachstream::v1::DEAL_STAGE_CLOSED_LOST;
  n.deleted = d.change() == coachstream::v1::CHANGE_KIND_DELETED;
  n.amount = d.amount().amount_minor();
  n.close_date = &d.close_date();
  n.discount = d.discount_bps();
  n.name = &d.name();
  n.currency = &d.amount().currency_code();
  return n;
}

// While a deal is open its index entry holds the latest activity time
// (activity updates only the entry); bring the deal's copy up to date.
void SyncLastActivity(const Slot<OpenDealEntry>& entry, DealState* s) {
  if (entry.present && entry.value.last_activity_s() > s->last_activity_s()) {
    s->set_last_activity_s(entry.value.last_activity_s());
  }
}

// One accepted snapshot (or activity) applied to one deal's state.
class DealTransition {
 public:
  DealTransition(Ledger& ledger, std::string_view tenant, std::string_view deal_id, absl::Time t)
      : ledger_(ledger), tenant_(tenant), deal_id_(deal_id), t_(t), t_s_(absl::ToUnixSeconds(t)) {}

  absl::Status FirstSight(const DealEvent& d, const Snapshot& n, DealState* s);
  absl::Status Apply(const Snapshot& n, DealState* s);
  // Activity at t: closes a stall interval of the owner if the gap was long.
  absl::Status Touch(DealState* s);
  // Records the stall interval [last + threshold, t) of `owner`, if any.
  absl::Status RecordStall(std::string_view owner, int64_t last_activity_s);
  absl::Status WriteOpenIndex(const DealState& s);

 private:
  absl::StatusOr<AggRefs> AggsAt(std::string_view rep, absl::Time at) {
    CS_ASSIGN_OR_RETURN(int32_t day, ledger_.RepDay(tenant_, rep, at));
    return ledger_.Aggs(tenant_, rep, day);
  }
  // Keeps, adjusts or reverses the stored close credit for snapshot `n`;
  // returns the stage a flipped close is to be credited from.
  absl::StatusOr<DealStage> SettleCloseCredit(const Snapshot& n, DealState* s);
  absl::Status CreditClose(const Snapshot& n, DealStage from, DealState* s);
  absl::Status ReverseClose(DealState* s);
  absl::Status AdjustWin(const Snapshot& n, DealState* s);
  absl::Status CreditAdvance(std::string_view rep, DealStage from, DealState* s);
  absl::Status MoveOpenPipeline(const DealState& s, const Snapshot& n, bool was_open, bool now_open);
  absl::Status DeleteOpenIndex(std::string_view rep);

  Ledger& ledger_;
  std::string_view tenant_;
  std::string_view deal_id_;
  absl::Time t_;
  int64_t t_s_;
};

absl::Status DealTransition::FirstSight(const DealEvent& d, const Snapshot& n, DealState* s) {
  // Best guess of the creator when the first snapshot seen is an owner
  // change (the create may arrive later on another partition, and will then
  // be stale): the owner before that change.
  const bool transfer = d.change() != coachstream::v1::CHANGE_KIND_CREATED && !d.previous_owner_id().empty();
  s->set_owner_id(transfer ? d.previous_owner_id() : std::string(n.owner));
  DealStage prior = d.previous_stage() != coachstream::v1::DEAL_STAGE_UNSPECIFIED ? d.previous_stage()
                    : n.closed ? coachstream::v1::DEAL_STAGE_UNSPECIFIED
                               : n.stage;
  s->set_stage(prior);
  s->set_closed(IsClosedStage(prior));
  s->set_won(prior == coachstream::v1::DEAL_STAGE_CLOSED_WON);
  s->set_amount_minor(n.amount);
  *s->mutable_close_date() = DateSet(d.previous_close_date()) ? d.previous_close_date() : *n.close_date;
  s->set_discount_bps(n.discount);
  int64_t created_s = HasTime(d.created_at()) ? d.created_at().seconds() : t_s_;
  s->set_created_at_s(created_s);
  s->set_stage_entered_at_s(created_s);
  s->set_last_activity_s(t_s_);  // the stall clock starts when the deal is first seen

  CS_ASSIGN_OR_RETURN(AggRefs created, AggsAt(s->owner_id(), absl::FromUnixSeconds(created_s)));
  const bool open = !s->closed();
  created.ForEach([&](RepPeriodAgg& a) {
    a.set_opportunities_created(a.opportunities_created() + 1);
    a.set_pipeline_created_minor(a.pipeline_created_minor() + n.amount);
    if (open) MoveOpenDeal(&a, +1, n.amount, created.day);
  });
  return absl::OkStatus();
}

absl::Status DealTransition::Apply(const Snapshot& n, DealState* s) {
  const bool was_open = !s->closed() && !s->deleted();
  const bool now_open = !n.closed && !n.deleted;
  const bool owner_changed = s->owner_id() != n.owner;
  const bool touched = owner_changed || s->stage() != n.stage || was_open != now_open ||
                       s->deleted() != n.deleted;
  if (was_open && touched) CS_RETURN_IF_ERROR(Touch(s));  // ends the old owner's stall interval

  CS_ASSIGN_OR_RETURN(DealStage flip_from, SettleCloseCredit(n, s));
  if (n.closed && !n.deleted && !s->has_close_credit()) {
    CS_RETURN_IF_ERROR(CreditClose(n, was_open ? s->stage() : flip_from, s));
  } else if (was_open && now_open && IsOpenStage(s->stage()) && IsOpenStage(n.stage) &&
             n.stage > s->stage()) {
    CS_RETURN_IF_ERROR(CreditAdvance(n.owner, s->stage(), s));
  }

  CS_RETURN_IF_ERROR(MoveOpenPipeline(*s, n, was_open, now_open));

  if (now_open && DateSet(s->close_date()) && DateSet(*n.close_date) &&
      DateBefore(s->close_date(), *n.close_date)) {
    CS_ASSIGN_OR_RETURN(AggRefs slip, AggsAt(n.owner, t_));
    slip.ForEach([](RepPeriodAgg& a) { a.set_close_date_slips(a.close_date_slips() + 1); });
    s->set_close_date_slips(s->close_date_slips() + 1);
  }
  if (s->stage() != n.stage) s->set_stage_entered_at_s(t_s_);
  if (now_open && (!was_open || owner_changed)) {
    s->set_last_activity_s(std::max(s->last_activity_s(), t_s_));  // reopened or handed over
  }

  s->set_owner_id(std::string(n.owner));
  s->set_stage(n.stage);
  s->set_closed(n.closed);
  s->set_won(n.won);
  s->set_deleted(n.deleted);
  s->set_amount_minor(n.amount);
  *s->mutable_close_date() = *n.close_date;
  s->set_discount_bps(n.discount);
  s->set_name(*n.name);
  s->set_currency_code(*n.currency);
  if (now_open) CS_RETURN_IF_ERROR(WriteOpenIndex(*s));
  return absl::OkStatus();
}

absl::StatusOr<DealStage> DealTransition::SettleCloseCredit(const Snapshot& n, DealState* s) {
  if (!s->has_close_credit()) return coachstream::v1::DEAL_STAGE_UNSPECIFIED;
  const CloseCredit& c = s->close_credit();
  if (n.closed && !n.deleted && n.won == c.won()) {
    if (c.won() && (c.amount_minor() != n.amount || c.discount_bps() != n.discount)) {
      CS_RETURN_IF_ERROR(AdjustWin(n, s));
    }
    return coachstream::v1::DEAL_STAGE_UNSPECIFIED;
  }
  // Reopened, deleted, or flipped won <-> lost: the new close (if any) is
  // credited from the stage the old one was.
  const DealStage from = n.closed && !n.deleted ? c.from_stage() : coachstream::v1::DEAL_STAGE_UNSPECIFIED;
  CS_RETURN_IF_ERROR(ReverseClose(s));
  return from;
}

absl::Status DealTransition::Touch(DealState* s) {
  if (t_s_ <= s->last_activity_s()) return absl::OkStatus();
  CS_RETURN_IF_ERROR(RecordStall(s->owner_id(), s->last_activity_s()));
  s->set_last_activity_s(t_s_);
  return absl::OkStatus();
}

absl::Status DealTransition::RecordStall(std::string_view owner, int64_t last_activity_s) {
  const int64_t threshold = int64_t{ledger_.options().stalled_after_days} * kSecondsPerDay;
  if (t_s_ - last_activity_s <= threshold) return absl::OkStatus();
  // The deal was stalled from last + threshold until now: record the
  // interval as +1/-1 deltas so that a period-end sum counts it.
  CS_ASSIGN_OR_RETURN(AggRefs began, AggsAt(owner, absl::FromUnixSeconds(last_activity_s + threshold)));
  began.ForEach([](RepPeriodAgg& a) { a.set_stalled_delta(a.stalled_delta() + 1); });
  CS_ASSIGN_OR_RETURN(AggRefs ended, AggsAt(owner, t_));
  ended.ForEach([](RepPeriodAgg& a) { a.set_stalled_delta(a.stalled_delta() - 1); });
  return absl::OkStatus();
}

absl::Status DealTransition::CreditClose(const Snapshot& n, DealStage from, DealState* s) {
  CS_ASSIGN_OR_RETURN(int32_t day, ledger_.RepDay(tenant_, n.owner, t_));
  CS_ASSIGN_OR_RETURN(AggRefs aggs, ledger_.Aggs(tenant_, n.owner, day));
  CloseCredit c;
  c.set_rep_id(std::string(n.owner));
  c.set_day(day);
  c.set_won(n.won);
  c.set_amount_minor(n.amount);
  c.set_discount_bps(n.discount);
  const bool count_stage = IsOpenStage(from) && (s->decided_stages() & StageBit(from)) == 0;
  if (count_stage) {
    c.set_from_stage(from);
    s->set_decided_stages(s->decided_stages() | StageBit(from));
  }
  int32_t cycle = -1;
  if (n.won && s->created_at_s() > 0) {
    cycle = static_cast<int32_t>(std::max<int64_t>(0, (t_s_ - s->created_at_s()) / kSecondsPerDay));
  }
  c.set_cycle_days(cycle);
  const int max_samples = ledger_.options().max_cycle_samples;
  aggs.ForEach([&](RepPeriodAgg& a) {
    if (n.won) {
      a.set_deals_won(a.deals_won() + 1);
      AddWon(&a, n.amount, n.discount, +1);
      AddCycleSample(&a, cycle, max_samples);
      if (count_stage) AddAt(a.mutable_stage_advanced(), from, 1);
    } else {
      a.set_deals_lost(a.deals_lost() + 1);
      a.set_lost_amount_minor(a.lost_amount_minor() + n.amount);
      if (count_stage) AddAt(a.mutable_stage_lost(), from, 1);
    }
  });
  *s->mutable_close_credit() = std::move(c);
  return absl::OkStatus();
}

absl::Status DealTransition::ReverseClose(DealState* s) {
  const CloseCredit c = s->close_credit();
  s->clear_close_credit();
  CS_ASSIGN_OR_RETURN(AggRefs aggs, ledger_.Aggs(tenant_, c.rep_id(), c.day()));
  const DealStage from = c.from_stage();
  const bool stage_counted = IsOpenStage(from);
  aggs.ForEach([&](RepPeriodAgg& a) {
    if (c.won()) {
      a.set_deals_won(a.deals_won() - 1);
      AddWon(&a, c.amount_minor(), c.discount_bps(), -1);
      RemoveCycleSample(&a, c.cycle_days());
      if (stage_counted) AddAt(a.mutable_stage_advanced(), from, -1);
    } else {
      a.set_deals_lost(a.deals_lost() - 1);
      a.set_lost_amount_minor(a.lost_amount_minor() - c.amount_minor());
      if (stage_counted) AddAt(a.mutable_stage_lost(), from, -1);
    }
  });
  if (stage_counted) s->set_decided_stages(s->decided_stages() & ~StageBit(from));
  return absl::OkStatus();
}

absl::Status DealTransition::AdjustWin(const Snapshot& n, DealState* s) {
  CloseCredit* c = s->mutable_close_credit();
  CS_ASSIGN_OR_RETURN(AggRefs aggs, ledger_.Aggs(tenant_, c->rep_id(), c->day()));
  aggs.ForEach([&](RepPeriodAgg& a) {
    AddWon(&a, c->amount_minor(), c->discount_bps(), -1);
    AddWon(&a, n.amount, n.discount, +1);
  });
  c->set_amount_minor(n.amount);
  c->set_discount_bps(n.discount);
  return absl::OkStatus();
}

absl::Status DealTransition::CreditAdvance(std::string_view rep, DealStage from, DealState* s) {
  if ((s->decided_stages() & StageBit(from)) != 0) return absl::OkStatus();
  s->set_decided_stages(s->decided_stages() | StageBit(from));
  CS_ASSIGN_OR_RETURN(AggRefs aggs, AggsAt(rep, t_));
  aggs.ForEach([&](RepPeriodAgg& a) { AddAt(a.mutable_stage_advanced(), from, 1); });
  return absl::OkStatus();
}

absl::Status DealTransition::MoveOpenPipeline(const DealState& s, const Snapshot& n, bool was_open,
                                              bool now_open) {
  const bool owner_changed = s.owner_id() != n.owner;
  if (was_open && (!now_open || owner_changed)) {
    CS_ASSIGN_OR_RETURN(AggRefs out, AggsAt(s.owner_id(), t_));
    out.ForEach([&](RepPeriodAgg& a) { MoveOpenDeal(&a, -1, s.amount_minor(), out.day); });
    CS_RETURN_IF_ERROR(DeleteOpenIndex(s.owner_id()));
  }
  if (now_open && (!was_open || owner_changed)) {
    CS_ASSIGN_OR_RETURN(AggRefs in, AggsAt(n.owner, t_));
    in.ForEach([&](RepPeriodAgg& a) { MoveOpenDeal(&a, +1, n.amount, in.day); });
  } else if (was_open && now_open && s.amount_minor() != n.amount) {
    CS_ASSIGN_OR_RETURN(AggRefs changed, AggsAt(n.owner, t_));
    const int64_t delta = n.amount - s.amount_minor();
    changed.ForEach(
        [&](RepPeriodAgg& a) { a.set_open_pipeline_delta_minor(a.open_pipeline_delta_minor() + delta); });
  }
  return absl::OkStatus();
}

absl::Status DealTransition::WriteOpenIndex(const DealState& s) {
  CS_ASSIGN_OR_RETURN(Slot<OpenDealEntry> * slot, ledger_.OpenDeal(tenant_, s.owner_id(), deal_id_));
  OpenDealEntry& e = slot->value;
  e.set_amount_minor(s.amount_minor());
  e.set_last_activity_s(s.last_activity_s());
  e.set_stage(s.stage());
  e.set_name(s.name());
  *e.mutable_close_date() = s.close_date();
  e.set_close_date_slips(s.close_date_slips());
  e.set_created_at_s(s.created_at_s());
  e.set_stage_entered_at_s(s.stage_entered_at_s());
  e.set_currency_code(s.currency_code());
  slot->present = true;
  ledger_.MarkDirty(slot);
  return absl::OkStatus();
}

absl::Status DealTransition::DeleteOpenIndex(std::string_view rep) {
  CS_ASSIGN_OR_RETURN(Slot<OpenDealEntry> * slot, ledger_.OpenDeal(tenant_, rep, deal_id_));
  slot->value.Clear();
  slot->present = false;
  ledger_.MarkDirty(slot);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<ApplyResult> ApplyDealEvent(Ledger& ledger, const Event& event, absl::Time t) {
  const DealEvent& d = event.deal();
  if (d.change() == coachstream::v1::CHANGE_KIND_GAP) return ApplyResult::kIgnored;
  const std::string_view tenant = event.tenant_id();
  CS_ASSIGN_OR_RETURN(Slot<DealState> * slot, ledger.Deal(tenant, d.deal_id()));
  DealState* s = &slot->value;
  const int64_t t_us = absl::ToUnixMicros(t);
  if (slot->present) {
    const auto version = std::make_tuple(d.source_version(), t_us);
    const auto stored = std::make_tuple(s->source_version(), s->occurred_at_us());
    if (version == stored) return ApplyResult::kDuplicate;  // this version again
    if (version < stored) return ApplyResult::kStale;
  }
  const Snapshot n = Normalise(event);
  DealTransition transition(ledger, tenant, d.deal_id(), t);
  if (!slot->present) {
    CS_RETURN_IF_ERROR(transition.FirstSight(d, n, s));
  } else if (!s->closed() && !s->deleted()) {
    CS_ASSIGN_OR_RETURN(Slot<OpenDealEntry> * entry, ledger.OpenDeal(tenant, s->owner_id(), d.deal_id()));
    SyncLastActivity(*entry, s);
  }
  if (s->created_at_s() == 0 && HasTime(d.created_at())) s->set_created_at_s(d.created_at().seconds());
  CS_RETURN_IF_ERROR(transition.Apply(n, s));
  s->set_source_version(d.source_version());
  s->set_occurred_at_us(t_us);
  slot->present = true;
  ledger.MarkDirty(slot);
  return ApplyResult::kApplied;
}

absl::Status RecordDealActivity(Ledger& ledger, std::string_view tenant, std::string_view deal_id,
                                absl::Time t) {
  if (ledger.DeferDealActivity(tenant, deal_id, t)) return absl::OkStatus();
  CS_ASSIGN_OR_RETURN(Slot<DealState> * slot, ledger.Deal(tenant, deal_id));
  const DealState& s = slot->value;
  if (!slot->present || s.closed() || s.deleted()) return absl::OkStatus();
  CS_ASSIGN_OR_RETURN(Slot<OpenDealEntry> * entry, ledger.OpenDeal(tenant, s.owner_id(), deal_id));
  // Activity rewrites only the small index entry, which holds the
  // authoritative last-activity time of an open deal; the deal's own copy
  // catches up on its next snapshot (SyncLastActivity). The deal itself is
  // left untouched so that its stored bytes do not depend on batching.
  const int64_t last = std::max(s.last_activity_s(), entry->present ? entry->value.last_activity_s() : 0);
  const int64_t t_s = absl::ToUnixSeconds(t);
  if (t_s <= last) return absl::OkStatus();
  DealTransition transition(ledger, tenant, deal_id, t);
  CS_RETURN_IF_ERROR(transition.RecordStall(s.owner_id(), last));
  if (!entry->present) {
    DealState copy = s;
    copy.set_last_activity_s(t_s);
    return transition.WriteOpenIndex(copy);
  }
  entry->value.set_last_activity_s(t_s);
  ledger.MarkDirty(entry);
  return absl::OkStatus();
}

}  // namespace cs::metrics
