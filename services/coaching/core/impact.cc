#include "services/coaching/core/impact.h"

#include <algorithm>
#include <set>

namespace cs::coaching {
namespace {

struct GroupMean {
  double mean = 0;
  int reps = 0;
  int pairs = 0;
};

GroupMean Mean(const std::vector<DriverChange>& changes) {
  GroupMean g;
  std::set<std::string> reps;
  double sum = 0;
  for (const DriverChange& c : changes) {
    sum += c.after - c.before;
    reps.insert(c.rep_id);
  }
  g.pairs = static_cast<int>(changes.size());
  g.reps = static_cast<int>(reps.size());
  g.mean = g.pairs > 0 ? sum / g.pairs : 0;
  return g;
}

}  // namespace

DidResult DifferenceInDifferences(const std::vector<DriverChange>& coached,
                                  const std::vector<DriverChange>& uncoached) {
  const GroupMean c = Mean(coached);
  const GroupMean u = Mean(uncoached);
  DidResult r;
  r.coached_change = c.mean;
  r.uncoached_change = u.mean;
  r.coached_reps = c.reps;
  r.uncoached_reps = u.reps;
  r.coached_pairs = c.pairs;
  r.uncoached_pairs = u.pairs;
  r.difference_in_differences = c.pairs > 0 && u.pairs > 0 ? c.mean - u.mean : 0;
  return r;
}

std::vector<Period> EpisodeStarts(std::vector<Period> months) {
  std::sort(months.begin(), months.end());
  months.erase(std::unique(months.begin(), months.end()), months.end());
  std::vector<Period> starts;
  for (size_t i = 0; i < months.size(); ++i) {
    if (i == 0 || NextPeriod(months[i - 1]) != months[i]) starts.push_back(months[i]);
  }
  return starts;
}

}  // namespace cs::coaching
