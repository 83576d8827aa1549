#include "services/metrics/core/write_run.h"

#include <vector>

namespace cs::metrics {

void VisitMerged(std::span<const WriteRun* const> runs, MutationVisitor visit) {
  std::vector<WriteRun::Cursor> cursors;
  cursors.reserve(runs.size());
  for (const WriteRun* run : runs) {
    if (!run->empty()) cursors.emplace_back(*run);
  }
  while (true) {
    WriteRun::Cursor* next = nullptr;
    for (WriteRun::Cursor& c : cursors) {
      if (!c.done() && (next == nullptr || c.key() < next->key())) next = &c;
    }
    if (next == nullptr) return;
    visit(next->op(), next->key(), next->value());
    next->Next();
  }
}

}  // namespace cs::metrics
