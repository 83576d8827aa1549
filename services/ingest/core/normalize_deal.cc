// Deal changes: line-item mapping, per-field versioned merge with the stored
// snapshot, stage mapping, previous_* fields, GAP events.

#include <algorithm>
#include <optional>
#include <string>

#include "libs/base/status.h"
#include "services/ingest/core/normalizer_internal.h"

namespace cs::ingest::internal {
namespace {

using coachstream::v1::DealEvent;

std::string DealRef(System system, std::string_view deal_id) {
  return (system == System::kSalesforce ? "opportunity/" : "deal/") + std::string(deal_id);
}

int64_t MaxVersion(const DealState& s) {
  return *std::max_element(s.versions.begin(), s.versions.end());
}

// Numbers the snapshot about to be emitted: the highest source version
// merged, raised when needed to one above the previous emission. Changes of
// one record can share a source version (HubSpot properties saved together
// share occurredAt, Salesforce CDC events of one transaction share the
// commit number), and a late change that only fills older fields leaves the
// highest version as it was; each still yields a new snapshot, which must
// not look like the one already emitted (metrics applies a deal snapshot
// only if its version is newer than the stored one).
void NumberEmission(DealState* s) {
  s->emitted_version = std::max(MaxVersion(*s), s->emitted_version + 1);
}

// Sets the field if the patch is present and strictly newer than the
// version that last set it.
template <typename T, typename Apply>
void MergeField(const Patch<T>& patch, DealField field, int64_t version, DealState* s,
                bool* applied, Apply apply) {
  if (!patch.present() || version <= s->versions[field]) return;
  s->versions[field] = version;
  *applied = true;
  apply(patch);
}

// Merges `c` into `s`; false if nothing was newer.
bool Merge(const DealChange& c, const std::string* owner_person_id, bool line_item, DealState* s) {
  bool applied = false;
  DealEvent& d = s->snapshot;
  int64_t v = c.version;
  MergeField(c.name, kFieldName, v, s, &applied, [&](auto& p) {
    p.has_value() ? d.set_name(p.value()) : d.clear_name();
  });
  MergeField(c.owner_user_id, kFieldOwner, v, s, &applied, [&](auto& p) {
    p.has_value() ? d.set_owner_id(*owner_person_id) : d.clear_owner_id();
  });
  MergeField(c.stage_label, kFieldStage, v, s, &applied, [&](auto& p) {
    p.has_value() ? d.set_stage_label(p.value()) : d.clear_stage_label();
  });
  MergeField(c.amount_minor, kFieldAmount, v, s, &applied, [&](auto& p) {
    d.mutable_amount()->set_amount_minor(p.has_value() ? p.value() : 0);
  });
  MergeField(c.currency, kFieldCurrency, v, s, &applied, [&](auto& p) {
    d.mutable_amount()->set_currency_code(p.has_value() ? p.value() : "");
  });
  MergeField(c.close_date, kFieldCloseDate, v, s, &applied, [&](auto& p) {
    if (!p.has_value()) return d.clear_close_date();
    d.mutable_close_date()->set_year(static_cast<int32_t>(p.value().year()));
    d.mutable_close_date()->set_month(p.value().month());
    d.mutable_close_date()->set_day(p.value().day());
  });
  MergeField(c.created_at, kFieldCreatedAt, v, s, &applied, [&](auto& p) {
    p.has_value() ? SetTimestamp(p.value(), d.mutable_created_at()) : d.clear_created_at();
  });
  MergeField(c.is_closed, kFieldIsClosed, v, s, &applied,
             [&](auto& p) { d.set_is_closed(p.has_value() && p.value()); });
  MergeField(c.is_won, kFieldIsWon, v, s, &applied,
             [&](auto& p) { d.set_is_won(p.has_value() && p.value()); });
  MergeField(c.discount_bps, kFieldDiscount, v, s, &applied,
             [&](auto& p) { d.set_discount_bps(p.has_value() ? p.value() : 0); });
  if (!line_item && c.change != Change::kUpdated && v > s->versions[kFieldLifecycle]) {
    s->versions[kFieldLifecycle] = v;
    s->deleted = c.change == Change::kDeleted;
    applied = true;
  }
  return applied;
}

// Stage from the label; won/closed fall back to the stage when the source
// never sent the flags (HubSpot sends dealstage before hs_is_closed_won).
void DeriveStage(const NormalizerOptions& options, System system, DealState* s) {
  DealEvent& d = s->snapshot;
  bool closed_set = s->versions[kFieldIsClosed] > 0;
  bool won_set = s->versions[kFieldIsWon] > 0;
  d.set_stage(options.stages.Map(system, d.stage_label(), closed_set && d.is_closed(),
                                 won_set && d.is_won()));
  bool won = d.stage() == coachstream::v1::DEAL_STAGE_CLOSED_WON;
  bool lost = d.stage() == coachstream::v1::DEAL_STAGE_CLOSED_LOST;
  if (!closed_set) d.set_is_closed(won || lost);
  if (!won_set) d.set_is_won(won);
}

bool SameDate(const DealEvent& a, const DealEvent& b) {
  return a.has_close_date() == b.has_close_date() &&
         a.close_date().SerializeAsString() == b.close_date().SerializeAsString();
}

// changed_fields (canonical names) and previous_* of `out` from `before`.
void Diff(const DealEvent& before, bool existed, DealEvent* out) {
  auto changed = [&](bool differs, const char* name) {
    if (differs) out->add_changed_fields(name);
    return differs;
  };
  changed(before.name() != out->name(), "name");
  if (changed(before.owner_id() != out->owner_id(), "owner_id") && existed) {
    out->set_previous_owner_id(before.owner_id());
  }
  if (changed(before.stage() != out->stage() || before.stage_label() != out->stage_label(),
              "stage") &&
      existed) {
    out->set_previous_stage(before.stage());
  }
  changed(before.amount().SerializeAsString() != out->amount().SerializeAsString(), "amount");
  if (changed(!SameDate(before, *out), "close_date") && existed && before.has_close_date()) {
    *out->mutable_previous_close_date() = before.close_date();
  }
  changed(before.created_at().SerializeAsString() != out->created_at().SerializeAsString(),
          "created_at");
  changed(before.is_closed() != out->is_closed(), "is_closed");
  changed(before.is_won() != out->is_won(), "is_won");
  changed(before.discount_bps() != out->discount_bps(), "discount_bps");
}

void Remember(const std::string& event_id, DealState* s) {
  s->recent_event_ids.push_back(event_id);
  if (s->recent_event_ids.size() > DealState::kRecentEvents) {
    s->recent_event_ids.erase(s->recent_event_ids.begin());
  }
}

// The opportunity of a line-item change, from the payload (remembered) or a
// mapping learned earlier. Returns an outcome when processing stops here.
absl::StatusOr<std::optional<ItemOutcome>> MapLineItem(const NormalizeContext& ctx,
                                                       const DealChange& c, std::string* deal_id) {
  std::string key = StateKey('l', ctx.tenant(), c.system, c.line_item_id);
  if (!c.deal_id.empty()) {
    CS_RETURN_IF_ERROR(ctx.store.Put(key, c.deal_id));
  } else {
    CS_ASSIGN_OR_RETURN(std::optional<std::string> parent, ctx.store.Get(key));
    if (!parent) {
      return MakeOutcome(OutcomeKind::kDeadLetter, c.source_ref, Reason::kUnknownParent,
                         "OpportunityLineItem " + c.line_item_id +
                             ": its opportunity is unknown; send OpportunityId in the payload "
                             "or replay the line item's CREATE");
    }
    *deal_id = *parent;
  }
  if (!c.discount_bps.present() && c.change != Change::kGap) {
    return MakeOutcome(OutcomeKind::kSkip, c.source_ref, Reason::kNoRelevantFields,
                       "line item change without Discount");
  }
  return std::optional<ItemOutcome>();
}

ItemOutcome Emit(const NormalizeContext& ctx, const DealChange& c, const std::string& deal_id,
                 const DealState& before, bool existed, const DealState& after, Change kind) {
  ItemOutcome out = MakeOutcome(OutcomeKind::kEmit, c.source_ref, Reason::kNone, "");
  coachstream::v1::Event ev = BaseEvent(ctx, c.event_id, after.snapshot.owner_id(), c.occurred_at,
                                        c.system, DealRef(c.system, deal_id));
  DealEvent* d = ev.mutable_deal();
  *d = after.snapshot;
  d->set_change(static_cast<coachstream::v1::ChangeKind>(kind));
  d->set_source_version(after.emitted_version);
  if (kind != Change::kGap) Diff(before.snapshot, existed, d);
  if (ctx.options.emit_owner_handoff && !d->previous_owner_id().empty()) {
    coachstream::v1::Event handoff = ev;
    handoff.set_event_id(c.event_id + "/handoff");
    handoff.set_rep_id(d->previous_owner_id());
    out.events.push_back(std::move(ev));
    out.events.push_back(std::move(handoff));
  } else {
    out.events.push_back(std::move(ev));
  }
  return out;
}

// A change naming no owner, of a deal whose owner change is parked:
// applied now, it would be merged into the snapshot that change emits when
// retried, and its own transition (a stage move, say) never seen
// downstream; a GAP would be dead-lettered for want of a known owner. It is
// parked under the same person and retried with it, after it (parked
// records are retried in offset order; see MustWaitBehind), unless the
// owner change has been parked for the park timeout (it is dead-lettered
// then: a deal owned by someone never in the HR feed keeps one dead
// letter, not one per change).
std::optional<ItemOutcome> WaitForOwnerChange(const NormalizeContext& ctx, const DealChange& c,
                                              const std::string& deal_id, const DealState& before) {
  if (c.owner_user_id.present() || before.pending_owner_user_id.empty()) return std::nullopt;
  if (ctx.now - absl::FromUnixMicros(before.pending_owner_since_us) >= ctx.options.park_timeout) {
    return std::nullopt;
  }
  UserRef who{c.system, before.pending_owner_user_id, ""};
  if (!MustWaitBehind(ctx, who)) return std::nullopt;
  ItemOutcome out = ParkOutcome(c.source_ref, who);
  out.message = DealRef(c.system, deal_id) + " waits for its owner change, parked for " + Describe(who);
  return out;
}

}  // namespace

absl::StatusOr<ItemOutcome> NormalizeDeal(const NormalizeContext& ctx, const DealChange& c) {
  std::string deal_id = c.deal_id;
  bool line_item = !c.line_item_id.empty();
  if (line_item) {
    CS_ASSIGN_OR_RETURN(std::optional<ItemOutcome> stop, MapLineItem(ctx, c, &deal_id));
    if (stop) return std::move(*stop);
  }
  if (deal_id.empty()) {
    return MakeOutcome(OutcomeKind::kDeadLetter, c.source_ref, Reason::kGapUnknownRecord,
                       "Salesforce gap/overflow without record ids: re-sync the entity");
  }
  std::string key = StateKey('d', ctx.tenant(), c.system, deal_id);
  CS_ASSIGN_OR_RETURN(std::optional<std::string> bytes, ctx.store.Get(key));
  DealState before;
  if (bytes) {
    CS_ASSIGN_OR_RETURN(before, DecodeDealState(*bytes));
  }
  // Whether a change of the deal was applied before (the state may hold
  // only a pending owner).
  const bool seen = bytes.has_value() && !before.snapshot.deal_id().empty();
  const std::vector<std::string>& recent = before.recent_event_ids;
  if (std::find(recent.begin(), recent.end(), c.event_id) != recent.end()) {
    return MakeOutcome(OutcomeKind::kDuplicate, c.source_ref, Reason::kNone,
                       "event " + c.event_id + " was already applied");
  }
  DealState after = before;
  Remember(c.event_id, &after);
  if (c.change == Change::kGap) {
    if (std::optional<ItemOutcome> wait = WaitForOwnerChange(ctx, c, deal_id, before)) {
      return std::move(*wait);
    }
    if (!seen || before.snapshot.owner_id().empty()) {
      return MakeOutcome(OutcomeKind::kDeadLetter, c.source_ref, Reason::kGapUnknownRecord,
                         "Salesforce gap for " + DealRef(c.system, deal_id) +
                             " which has no known state: re-read the record from the source");
    }
    NumberEmission(&after);
    CS_RETURN_IF_ERROR(ctx.store.Put(key, EncodeDealState(after)));
    return Emit(ctx, c, deal_id, before, true, after, Change::kGap);
  }
  std::string owner_id;
  if (c.owner_user_id.has_value()) {
    PersonPtr owner = ctx.directory.FindBySystemId(ctx.tenant(), c.system, c.owner_user_id.value());
    UserRef who{c.system, c.owner_user_id.value(), ""};
    if (!owner) {
      // The deal's later changes wait behind this one (below).
      if (before.pending_owner_user_id != who.user_id) {
        DealState pending = before;
        pending.pending_owner_user_id = who.user_id;
        pending.pending_owner_since_us = absl::ToUnixMicros(ctx.now);
        CS_RETURN_IF_ERROR(ctx.store.Put(key, EncodeDealState(pending)));
      }
      return ParkOutcome(c.source_ref, who);
    }
    owner_id = owner->person_id();
  } else if (std::optional<ItemOutcome> wait = WaitForOwnerChange(ctx, c, deal_id, before)) {
    return std::move(*wait);
  }
  if (c.owner_user_id.present()) {
    after.pending_owner_user_id.clear();
    after.pending_owner_since_us = 0;
  }
  after.snapshot.set_deal_id(deal_id);
  if (!Merge(c, &owner_id, line_item, &after)) {
    if (after.pending_owner_user_id != before.pending_owner_user_id) {
      DealState cleared = before;
      cleared.pending_owner_user_id.clear();
      cleared.pending_owner_since_us = 0;
      CS_RETURN_IF_ERROR(ctx.store.Put(key, EncodeDealState(cleared)));
    }
    return MakeOutcome(OutcomeKind::kStale, c.source_ref, Reason::kNone,
                       "every field is newer in the stored state (version " +
                           std::to_string(c.version) + " <= " + std::to_string(MaxVersion(before)) +
                           ")");
  }
  DeriveStage(ctx.options, c.system, &after);
  NumberEmission(&after);
  CS_RETURN_IF_ERROR(ctx.store.Put(key, EncodeDealState(after)));
  if (c.change == Change::kDeleted && !seen) {
    return MakeOutcome(OutcomeKind::kSkip, c.source_ref, Reason::kUnknownRecord,
                       "deletion of " + DealRef(c.system, deal_id) + " which was never seen");
  }
  if (after.snapshot.owner_id().empty()) {
    return MakeOutcome(OutcomeKind::kSkip, c.source_ref, Reason::kNoOwner,
                       DealRef(c.system, deal_id) + " has no owner yet: state kept");
  }
  Change kind = line_item ? Change::kUpdated : c.change;
  // Deleted by a newer lifecycle change: a create or update older than
  // the deletion (parked until its owner was known, or late) is emitted as
  // the deleted deal it now is, never as a live one.
  if (after.deleted) kind = Change::kDeleted;
  return Emit(ctx, c, deal_id, before, seen, after, kind);
}

}  // namespace cs::ingest::internal
