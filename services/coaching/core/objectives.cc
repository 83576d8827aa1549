#include "services/coaching/core/objectives.h"

namespace cs::coaching {
namespace {

using coachstream::v1::DriverValue;
using coachstream::v1::ObjectiveProgress;

constexpr ObjectiveProgress kMet = coachstream::v1::OBJECTIVE_PROGRESS_MET;
constexpr ObjectiveProgress kOnTrack = coachstream::v1::OBJECTIVE_PROGRESS_ON_TRACK;
constexpr ObjectiveProgress kOffTrack = coachstream::v1::OBJECTIVE_PROGRESS_OFF_TRACK;
constexpr ObjectiveProgress kNoData = coachstream::v1::OBJECTIVE_PROGRESS_NO_DATA;

const DriverValue* Find(const coachstream::v1::RepDrivers& rep, std::string_view name) {
  for (const DriverValue& v : rep.drivers()) {
    if (v.driver() == name) return &v;
  }
  return nullptr;
}

bool IsCount(const DriverInfo& info) {
  return info.kind == DriverKind::kCount || info.kind == DriverKind::kSnapshot;
}

int64_t MinSample(const DriverInfo& info, const ObjectiveOptions& o) {
  switch (info.trial) {
    case Trial::kCall:
      return o.min_sample_calls;
    case Trial::kMeeting:
      return o.min_sample_meetings;
    case Trial::kDeal:
      return o.min_sample_deals;
    case Trial::kNone:
      return 1;
  }
  return 1;
}

bool HasData(const DriverInfo& info, const DriverValue& v, const ObjectiveOptions& o) {
  if (IsCount(info)) return true;  // zero calls is a fact, not missing data
  return v.denominator() > 0 && v.sample_size() >= MinSample(info, o);
}

ObjectiveProgress CountProgress(Direction better, double value, double target, double elapsed) {
  if (better == Direction::kHigherIsBetter) {
    if (value >= target) return kMet;
    if (elapsed >= 1) return kOffTrack;
    return value >= target * elapsed ? kOnTrack : kOffTrack;
  }
  if (value > target) return kOffTrack;  // a cap already exceeded stays exceeded
  if (elapsed >= 1) return kMet;
  return value <= target * elapsed ? kOnTrack : kOffTrack;
}

ObjectiveProgress LevelProgress(Direction better, double value, double target, double elapsed,
                                std::optional<double> baseline) {
  if (!IsWorse(better, value, target)) return kMet;
  if (elapsed >= 1) return kOffTrack;
  const double start = baseline.value_or(target);
  const double expected = start + (target - start) * elapsed;
  return IsWorse(better, value, expected) ? kOffTrack : kOnTrack;
}

}  // namespace

std::optional<DriverValue> PeriodDriverValue(const coachstream::v1::RepDrivers& rep,
                                             std::string_view driver) {
  const DriverInfo* info = FindDriverInfo(driver);
  if (info == nullptr || !info->derived()) {
    const DriverValue* v = Find(rep, driver);
    return v != nullptr ? std::optional<DriverValue>(*v) : std::nullopt;
  }
  const DriverValue* num = Find(rep, info->numerator_driver);
  const DriverValue* den = Find(rep, info->denominator_driver);
  if (num == nullptr || den == nullptr) return std::nullopt;
  DriverValue v;
  v.set_driver(std::string(driver));
  v.set_unit(std::string(info->unit));
  v.set_numerator(num->value());
  v.set_denominator(den->value());
  v.set_value(den->value() > 0 ? num->value() / den->value() : 0);
  v.set_sample_size(static_cast<int64_t>(den->value()));
  return v;
}

ObjectiveStatus EvaluateObjective(const DriverInfo& info, double target, const ObjectiveInputs& in,
                                  const ObjectiveOptions& options) {
  ObjectiveStatus status;
  if (!in.current || !HasData(info, *in.current, options)) return status;
  status.current_value = in.current->value();
  if (IsCount(info)) {
    status.progress = CountProgress(info.direction, status.current_value, target, in.elapsed);
    return status;
  }
  std::optional<double> baseline;
  if (in.baseline && HasData(info, *in.baseline, options)) baseline = in.baseline->value();
  status.progress = LevelProgress(info.direction, status.current_value, target, in.elapsed, baseline);
  return status;
}

}  // namespace cs::coaching
