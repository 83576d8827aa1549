// Prospecting: each rep's working days, their dials, the discovery meetings
// those dials book (SDRs hand theirs to an account executive of the team),
// and the deals that held discovery meetings turn into.

#include <algorithm>

#include "tools/simulate/activity_internal.h"

namespace cs::simulate::internal {
namespace {

// Chance of a day off on any working day (about one a month).
constexpr double kPtoRate = 0.045;

struct Samplers {
  explicit Samplers(Rng& rng) : connect(rng), book(rng), opportunity(rng), win(rng) {}
  RateSampler connect, book, opportunity, win;
};

Dial MakeDial(absl::Time at, const RepProfile& p, Samplers& s, Rng& rng) {
  Dial d;
  d.dialed_at = at;
  if (s.connect.Next(p.connect_rate, rng)) {
    const bool booked = s.book.Next(p.book_rate, rng);
    d.disposition = booked ? Disposition::kMeetingBooked : Disposition::kConnected;
    d.ring_s = static_cast<int>(rng.Int(6, 18));
    d.talk_s = static_cast<int>(Clamp(rng.LogNormal(booked ? 330 : 140, 0.45), 35, 1800));
    return d;
  }
  const size_t kind = rng.Weighted({0.55, 0.35, 0.05, 0.05});
  d.disposition = kind == 0   ? Disposition::kNoAnswer
                  : kind == 1 ? Disposition::kVoicemail
                  : kind == 2 ? Disposition::kBusy
                              : Disposition::kWrongNumber;
  d.ring_s = static_cast<int>(rng.Int(12, 27));
  // A voicemail message is recorded after the ring; still not a conversation.
  d.talk_s = d.disposition == Disposition::kVoicemail ? static_cast<int>(rng.Int(15, 35)) : 0;
  return d;
}

// Who holds a meeting a dial booked: an account executive themself; for an
// SDR, one of the team's account executives on board by then. The SDR is
// not invited: the metrics count the booking for the SDR (from the call)
// and the meeting as held, not booked, for the AE (DRIVERS.md,
// meetings_booked).
int MeetingOwner(const Builder& b, const Person& booker, absl::CivilDay day, Rng& rng) {
  if (booker.role == Role::kAccountExecutive) return booker.index;
  std::vector<int> aes;
  for (int r : b.org.ReportsOf(booker.manager)) {
    const Person& p = b.org.people[r];
    if (p.role == Role::kAccountExecutive && p.start_date <= day) aes.push_back(r);
  }
  return aes.empty() ? booker.index : rng.Pick(aes);
}

// The discovery meeting a booked dial sets up, on the owner's calendar.
Meeting BookedMeeting(Builder& b, const Person& booker, const Person& owner, absl::Time booked_at,
                      Rng& rng) {
  const absl::TimeZone tz = b.Zone(owner.time_zone);
  Meeting m;
  m.system = owner.calendar;
  m.kind = MeetingKind::kCustomer;
  m.organizer = owner.index;
  m.internal = {owner.index};
  m.account = b.NewAccount(owner.segment, rng);
  const Account& a = b.world.accounts[m.account];
  for (size_t i = 0; i < a.contacts.size() && i < 2; ++i) m.contacts.push_back(static_cast<int>(i));
  m.title = "Discovery: " + a.name + " / " + std::string(b.org.options.tenant);
  if (booker.index != owner.index) m.title += " (booked by " + booker.first_name + ")";
  m.created_at = booked_at + absl::Minutes(rng.Int(3, 25));
  absl::CivilDay day = AddWorkdays(absl::ToCivilDay(booked_at, tz), static_cast<int>(rng.Int(1, 6)));
  m.start = BusinessSlot(day, tz, rng);
  m.end = m.start + absl::Minutes(owner.segment == "smb" ? 30 : 45);
  return m;
}

void MaybeCancel(Meeting& m, double rate, Rng& rng) {
  if (!rng.Chance(rate)) return;
  m.cancelled = true;
  m.changed_at = std::max(m.created_at + absl::Minutes(30), m.start - absl::Hours(rng.Int(2, 40)));
}

struct RepContext {
  const Person* rep;
  RepProfile profile;
  absl::TimeZone tz;
  Samplers* samplers;
};

// An account executive's discovery meeting: on the calendar, and (if held)
// maybe the start of a deal.
void HoldDiscovery(Builder& b, const RepContext& ctx, Meeting m, Rng& rng) {
  const bool held = !m.cancelled && m.end < b.org.window.end;
  const absl::Time meeting_end = m.end;
  const int account = m.account;
  b.AddMeeting(std::move(m));
  if (!held || !ctx.samplers->opportunity.Next(ctx.profile.opp_rate, rng)) return;
  const absl::Time created = meeting_end + absl::Minutes(rng.Int(20, 26 * 60));
  const bool won = ctx.samplers->win.Next(ctx.profile.win_rate, rng);
  GenerateDeal(b, ctx.rep->index, ctx.profile, account, created, won, rng);
}

// One working day of one rep.
void SimulateDay(Builder& b, const RepContext& ctx, absl::CivilDay day, double ramp, Rng& rng) {
  const Person& rep = *ctx.rep;
  const RepProfile& p = ctx.profile;
  const int n = rng.Poisson(p.dials_per_day * ramp);
  std::vector<int> minutes(n);
  for (int& m : minutes) m = static_cast<int>(rng.Int(8 * 60 + 30, 17 * 60));
  std::sort(minutes.begin(), minutes.end());
  for (int minute : minutes) {
    Dial d = MakeDial(LocalTime(day, minute, ctx.tz) + absl::Seconds(rng.Int(0, 59)), p, *ctx.samplers, rng);
    d.rep = rep.index;
    const absl::Time ended = d.dialed_at + absl::Seconds(d.ring_s + d.talk_s);
    if (b.InWindow(d.dialed_at) && ended < b.org.window.end) {
      d.call_id = rep.dialer == DialerSystem::kSalesloft ? b.ids.SalesloftCall() : b.ids.OutreachCall();
      b.world.dials.push_back(d);
    }
    if (d.disposition != Disposition::kMeetingBooked) continue;
    const Person& owner = b.org.people[MeetingOwner(b, rep, day, rng)];
    Meeting m = BookedMeeting(b, rep, owner, ended, rng);
    MaybeCancel(m, p.no_show_rate, rng);
    if (owner.role != Role::kAccountExecutive) {
      b.AddMeeting(std::move(m));  // an SDR without AEs holds it alone
    } else if (owner.index == rep.index) {
      HoldDiscovery(b, ctx, std::move(m), rng);
    } else {
      b.handoffs[owner.index].push_back(std::move(m));
    }
  }
}

}  // namespace

void GenerateRep(Builder& b, int index) {
  const Person& rep = b.org.people[index];
  Rng rng = Rng::Derive(b.org.options.seed, "rep", static_cast<uint64_t>(index));
  Samplers samplers(rng);
  RepContext ctx{&rep, ProfileFor(rep, b.org.options.seed), b.Zone(rep.time_zone), &samplers};
  // Everyone starts early so the window opens with a pipeline; only CRM
  // changes are emitted before window.start.
  const absl::CivilDay first = std::max(absl::ToCivilDay(b.org.window.crm_start, ctx.tz), rep.start_date);
  const absl::CivilDay end = absl::ToCivilDay(b.org.window.end, ctx.tz) + 1;
  for (absl::CivilDay day = first; day < end; ++day) {
    if (!IsWorkday(day) || rng.Chance(kPtoRate)) continue;
    // New hires ramp up over their first weeks.
    const double tenure_days = static_cast<double>(day - rep.start_date);
    const double ramp = rep.new_hire ? Clamp(0.3 + tenure_days / 20.0, 0.3, 0.8) : 1.0;
    SimulateDay(b, ctx, day, ramp, rng);
  }
  // Meetings the team's SDRs booked for this AE (SDRs are generated first).
  auto handoffs = b.handoffs.extract(index);
  if (handoffs.empty()) return;
  std::stable_sort(handoffs.mapped().begin(), handoffs.mapped().end(),
                   [](const Meeting& x, const Meeting& y) { return x.created_at < y.created_at; });
  for (Meeting& m : handoffs.mapped()) HoldDiscovery(b, ctx, std::move(m), rng);
}

}  // namespace cs::simulate::internal
