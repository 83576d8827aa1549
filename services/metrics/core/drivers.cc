#include "services/metrics/core/drivers.h"

#include <algorithm>
#include <cmath>

namespace cs::metrics {
namespace {

using coachstream::v1::DealStage;
using coachstream::v1::RepPeriodAgg;

// Counts and amounts: a zero is a real value for every active rep.
DriverParts Count(const RepPeriodInputs& in, double value, int64_t sample) {
  DriverParts p;
  p.numerator = value;
  p.denominator = 1;
  p.sample_size = sample;
  p.benchmarkable = in.active;
  return p;
}

// Rates: a rep is a peer only with a non-zero denominator.
DriverParts Ratio(double numerator, double denominator, int64_t sample) {
  DriverParts p;
  p.numerator = numerator;
  p.denominator = denominator;
  p.sample_size = sample;
  p.benchmarkable = denominator > 0;
  return p;
}

// Rates of yes/no outcomes (a call connects, a stage converts): each
// sample is 0 or 1, so the sum of squares is the numerator.
DriverParts Binary(int64_t yes, int64_t trials) {
  DriverParts p = Ratio(yes, trials, trials);
  p.has_spread = true;
  p.sum_squares = static_cast<double>(yes);
  return p;
}

// The mean of the won deals' values, with their sum of squares.
DriverParts WonMean(const RepPeriodInputs& in, double sum, double sum_squares) {
  DriverParts p = Ratio(sum, in.agg.deals_won(), in.agg.deals_won());
  p.has_spread = true;
  p.sum_squares = sum_squares;
  return p;
}

struct Scheduled {
  int64_t customer_meetings = 0;
  int64_t one_on_ones = 0;
  int64_t one_on_one_minutes = 0;
  int64_t first_meetings = 0;
};

Scheduled ScheduledUpTo(const RepPeriodInputs& in) {
  Scheduled s;
  for (const auto& row : in.agg.scheduled_days()) {
    if (row.day() > in.as_of_day) break;
    s.customer_meetings += row.customer_meetings();
    s.one_on_ones += row.one_on_ones();
    s.one_on_one_minutes += row.one_on_one_minutes();
    s.first_meetings += row.first_meetings();
  }
  return s;
}

int64_t StageCount(const google::protobuf::RepeatedField<int64_t>& counters, DealStage stage) {
  return stage < counters.size() ? counters.Get(stage) : 0;
}

template <DealStage kStage>
DriverParts StageConversion(const RepPeriodInputs& in) {
  const int64_t advanced = StageCount(in.agg.stage_advanced(), kStage);
  const int64_t lost = StageCount(in.agg.stage_lost(), kStage);
  return Binary(advanced, advanced + lost);
}

int64_t MeetingsBooked(const RepPeriodInputs& in) {
  // The meetings the rep booked: the outcomes of their own calls, whatever
  // the role. A rep's calendar also holds meetings they did not book from a
  // call (an SDR's hand-off, demos and follow-ups of open deals), so it is
  // the record only when none of their calls in the period carries a
  // booking outcome (no dialer dispositions); counting both would double
  // count the calls that booked a meeting on the rep's own calendar.
  if (in.agg.meetings_booked_by_call() > 0) return in.agg.meetings_booked_by_call();
  return in.agg.meetings_booked_calendar();
}

int64_t RemainingQuota(const RepPeriodInputs& in) {
  if (!in.quota_minor) return 0;
  return std::max<int64_t>(0, *in.quota_minor - in.agg.won_amount_minor());
}

DriverParts MedianCycle(const RepPeriodInputs& in) {
  DriverParts p;
  p.samples.assign(in.agg.won_cycle_days().begin(), in.agg.won_cycle_days().end());
  p.sample_size = static_cast<int64_t>(p.samples.size()) + in.agg.won_cycle_unsampled();
  p.benchmarkable = !p.samples.empty();
  return p;
}

// The median time from open to close with the deals still open counted
// (they have lasted at least their age so far): taking the time to close
// as exponential, its rate is closes per open-deal-day (the maximum
// likelihood estimate with right-censored deals) and the median ln 2 over
// it. Won deals alone (median_cycle_days) miss exactly the deals that are
// slow: a rep whose deals drag has few closes in the window and many old
// open ones.
DriverParts ExpectedCycle(const RepPeriodInputs& in) {
  if (!in.open_deal_days_known) return DriverParts{};
  const int64_t closed = in.agg.deals_won() + in.agg.deals_lost();
  return Ratio(std::log(2.0) * static_cast<double>(in.open_deal_days), static_cast<double>(closed), closed);
}

const RepPeriodAgg& A(const RepPeriodInputs& in) { return in.agg; }

const DriverSpec kDrivers[] = {
    // Activity.
    {"calls_made", "count", Combine::kSum,
     [](const RepPeriodInputs& in) { return Count(in, A(in).calls_made(), A(in).calls_made()); }},
    {"calls_connected", "count", Combine::kSum,
     [](const RepPeriodInputs& in) { return Count(in, A(in).calls_connected(), A(in).calls_connected()); }},
    {"connect_rate", "ratio", Combine::kRatio,
     [](const RepPeriodInputs& in) {
       return Binary(A(in).calls_connected(), A(in).calls_made());
     }},
    {"customer_meetings_held", "count", Combine::kSum,
     [](const RepPeriodInputs& in) {
       const int64_t held = ScheduledUpTo(in).customer_meetings;
       return Count(in, held, held);
     }},
    {"first_meetings_held", "count", Combine::kSum,
     [](const RepPeriodInputs& in) {
       const int64_t held = ScheduledUpTo(in).first_meetings;
       return Count(in, held, held);
     }},
    {"meetings_booked", "count", Combine::kSum,
     [](const RepPeriodInputs& in) { return Count(in, MeetingsBooked(in), MeetingsBooked(in)); }},
    // Pipeline.
    {"opportunities_created", "count", Combine::kSum,
     [](const RepPeriodInputs& in) {
       return Count(in, A(in).opportunities_created(), A(in).opportunities_created());
     }},
    {"pipeline_created", "minor_units", Combine::kSum,
     [](const RepPeriodInputs& in) {
       return Count(in, A(in).pipeline_created_minor(), A(in).opportunities_created());
     }},
    {"open_pipeline", "minor_units", Combine::kSum,
     [](const RepPeriodInputs& in) { return Count(in, in.open_pipeline_minor, in.open_deals); }},
    {"open_deals", "count", Combine::kSum,
     [](const RepPeriodInputs& in) { return Count(in, in.open_deals, in.open_deals); }},
    {"pipeline_coverage", "ratio", Combine::kRatio,
     [](const RepPeriodInputs& in) {
       return Ratio(in.open_pipeline_minor, RemainingQuota(in), in.open_deals);
     }},
    // Conversion.
    {"stage_conversion_prospecting", "ratio", Combine::kRatio,
     StageConversion<coachstream::v1::DEAL_STAGE_PROSPECTING>},
    {"stage_conversion_qualification", "ratio", Combine::kRatio,
     StageConversion<coachstream::v1::DEAL_STAGE_QUALIFICATION>},
    {"stage_conversion_discovery", "ratio", Combine::kRatio,
     StageConversion<coachstream::v1::DEAL_STAGE_DISCOVERY>},
    {"stage_conversion_proposal", "ratio", Combine::kRatio,
     StageConversion<coachstream::v1::DEAL_STAGE_PROPOSAL>},
    {"stage_conversion_negotiation", "ratio", Combine::kRatio,
     StageConversion<coachstream::v1::DEAL_STAGE_NEGOTIATION>},
    {"deals_won", "count", Combine::kSum,
     [](const RepPeriodInputs& in) { return Count(in, A(in).deals_won(), A(in).deals_won()); }},
    {"deals_lost", "count", Combine::kSum,
     [](const RepPeriodInputs& in) { return Count(in, A(in).deals_lost(), A(in).deals_lost()); }},
    {"win_rate_count", "ratio", Combine::kRatio,
     [](const RepPeriodInputs& in) {
       return Binary(A(in).deals_won(), A(in).deals_won() + A(in).deals_lost());
     }},
    {"win_rate_amount", "ratio", Combine::kRatio,
     [](const RepPeriodInputs& in) {
       return Ratio(A(in).won_amount_minor(), A(in).won_amount_minor() + A(in).lost_amount_minor(),
                    A(in).deals_won() + A(in).deals_lost());
     }},
    {"avg_won_deal_size", "minor_units", Combine::kRatio,
     [](const RepPeriodInputs& in) {
       // Squares are stored in hundreds of minor units (agg_ops.cc).
       return WonMean(in, A(in).won_amount_minor(), 1e4 * static_cast<double>(A(in).won_amount_sq_hundreds()));
     }},
    {"median_cycle_days", "days", Combine::kMedian, MedianCycle},
    {"expected_cycle_days", "days", Combine::kRatio, ExpectedCycle},
    {"avg_discount", "bps", Combine::kRatio,
     [](const RepPeriodInputs& in) {
       return WonMean(in, A(in).won_discount_bps_sum(), static_cast<double>(A(in).won_discount_bps_sq()));
     }},
    {"close_date_slips", "count", Combine::kSum,
     [](const RepPeriodInputs& in) { return Count(in, A(in).close_date_slips(), A(in).close_date_slips()); }},
    {"stalled_deals", "count", Combine::kSum,
     [](const RepPeriodInputs& in) { return Count(in, in.stalled_deals, in.open_deals); }},
    // Call behaviour.
    {"talk_ratio", "ratio", Combine::kRatio,
     [](const RepPeriodInputs& in) {
       return Ratio(A(in).talk_ratio_ppm_sum() / 1e6, A(in).talk_ratio_calls(), A(in).talk_ratio_calls());
     }},
    {"longest_monologue", "seconds", Combine::kRatio,
     [](const RepPeriodInputs& in) {
       return Ratio(A(in).longest_monologue_s_sum(), A(in).longest_monologue_calls(),
                    A(in).longest_monologue_calls());
     }},
    {"question_rate", "per_hour", Combine::kRatio,
     [](const RepPeriodInputs& in) {
       return Ratio(A(in).question_rate_milli_sum() / 1e3, A(in).question_rate_calls(),
                    A(in).question_rate_calls());
     }},
    {"next_step_rate", "ratio", Combine::kRatio,
     [](const RepPeriodInputs& in) {
       return Binary(A(in).next_step_calls(), A(in).next_step_known_calls());
     }},
    // Coaching received.
    {"coaching_minutes", "minutes", Combine::kSum,
     [](const RepPeriodInputs& in) {
       const Scheduled s = ScheduledUpTo(in);
       const int64_t sessions = A(in).sessions_one_on_one() + A(in).sessions_micro() + s.one_on_ones;
       return Count(in, A(in).session_minutes() + s.one_on_one_minutes, sessions);
     }},
    {"sessions_one_on_one", "count", Combine::kSum,
     [](const RepPeriodInputs& in) {
       const int64_t n = A(in).sessions_one_on_one() + ScheduledUpTo(in).one_on_ones;
       return Count(in, n, n);
     }},
    {"sessions_micro", "count", Combine::kSum,
     [](const RepPeriodInputs& in) { return Count(in, A(in).sessions_micro(), A(in).sessions_micro()); }},
    {"micro_coaching_per_week", "per_week", Combine::kRatio,
     [](const RepPeriodInputs& in) {
       return Ratio(A(in).sessions_micro(), in.elapsed_days / 7.0, A(in).sessions_micro());
     }},
    // Outcome.
    {"bookings", "minor_units", Combine::kSum,
     [](const RepPeriodInputs& in) { return Count(in, A(in).won_amount_minor(), A(in).deals_won()); }},
    {"quota", "minor_units", Combine::kSum,
     [](const RepPeriodInputs& in) {
       DriverParts p = Count(in, in.quota_minor.value_or(0), in.quota_minor ? 1 : 0);
       p.benchmarkable = in.quota_minor.has_value();
       return p;
     }},
    {"attainment", "ratio", Combine::kRatio,
     [](const RepPeriodInputs& in) {
       return Ratio(A(in).won_amount_minor(), in.quota_minor.value_or(0), A(in).deals_won());
     }},
};

}  // namespace

std::span<const DriverSpec> Drivers() { return kDrivers; }

const DriverSpec* FindDriver(std::string_view name) {
  for (const DriverSpec& spec : kDrivers) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

void Accumulate(const DriverSpec& spec, const DriverParts& part, DriverParts* total) {
  total->sample_size += part.sample_size;
  total->numerator += part.numerator;
  total->benchmarkable = total->benchmarkable || part.benchmarkable;
  total->has_spread = total->has_spread || part.has_spread;
  total->sum_squares += part.sum_squares;
  switch (spec.combine) {
    case Combine::kSum: total->denominator = 1; break;
    case Combine::kRatio: total->denominator += part.denominator; break;
    case Combine::kMedian:
      total->samples.insert(total->samples.end(), part.samples.begin(), part.samples.end());
      break;
  }
}

coachstream::v1::DriverValue ToDriverValue(const DriverSpec& spec, const DriverParts& parts) {
  coachstream::v1::DriverValue v;
  v.set_driver(std::string(spec.name));
  v.set_unit(std::string(spec.unit));
  v.set_sample_size(parts.sample_size);
  double numerator = parts.numerator;
  double denominator = parts.denominator;
  if (spec.combine == Combine::kMedian) {
    std::vector<double> values(parts.samples.begin(), parts.samples.end());
    numerator = Quantile(std::move(values), 0.5);
    denominator = parts.samples.empty() ? 0 : 1;
  } else if (spec.combine == Combine::kSum) {
    denominator = 1;
  }
  v.set_numerator(numerator);
  v.set_denominator(denominator);
  v.set_value(denominator != 0 ? numerator / denominator : 0);
  return v;
}

double Quantile(std::vector<double> values, double q) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const double pos = q * static_cast<double>(values.size() - 1);
  const size_t lo = static_cast<size_t>(std::floor(pos));
  const size_t hi = std::min(lo + 1, values.size() - 1);
  return values[lo] + (pos - static_cast<double>(lo)) * (values[hi] - values[lo]);
}

}  // namespace cs::metrics
