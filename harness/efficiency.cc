// Efficiency: each cell's throughput against its ceiling, the fastest copy spread the same way.
#include "harness/efficiency.h"

#include <algorithm>

namespace sqb {
namespace {

const Timing* TimingOf(const CellRecord& c, bool kernel_only) {
  if (!kernel_only) return &c.wall;
  return c.kernel_only ? &*c.kernel_only : nullptr;
}

}  // namespace

const CellRecord* Ceiling(const Report& r, const CellRecord& cell, bool kernel_only) {
  const CellRecord* best = nullptr;
  for (const CellRecord& c : r.cells) {
    if (c.operation != Operation::kCopy || c.status != CellStatus::kOk) continue;
    if (c.params.dtype != cell.params.dtype || c.params.elements != cell.params.elements ||
        c.params.offset != cell.params.offset || c.ceiling_set != cell.ceiling_set) {
      continue;
    }
    const Timing* t = TimingOf(c, kernel_only);
    if (t != nullptr &&
        (best == nullptr || t->stats.median < TimingOf(*best, kernel_only)->stats.median))
      best = &c;
  }
  return best;
}

std::optional<Efficiency> RateAgainstCeiling(const Report& r, const CellRecord& cell,
                                             bool kernel_only) {
  const Timing* t = TimingOf(cell, kernel_only);
  if (cell.status != CellStatus::kOk || t == nullptr || t->stats.median <= 0) return std::nullopt;
  const CellRecord* ceiling = Ceiling(r, cell, kernel_only);
  if (ceiling == nullptr) return std::nullopt;
  return Efficiency{ceiling, 100 * TimingOf(*ceiling, kernel_only)->stats.median / t->stats.median};
}

std::vector<SizeEfficiency> FastestPerSize(const Report& r) {
  std::vector<SizeEfficiency> out;
  for (const CellRecord& c : r.cells) {
    if (c.operation != Operation::kSquare || c.status != CellStatus::kOk || c.wall.stats.n == 0)
      continue;
    auto it = std::find_if(out.begin(), out.end(), [&](const SizeEfficiency& s) {
      const CellParams& p = s.fastest->params;
      return p.dtype == c.params.dtype && p.elements == c.params.elements &&
             p.offset == c.params.offset;
    });
    if (it == out.end()) {
      out.push_back({&c, std::nullopt});
    } else if (c.wall.stats.median < it->fastest->wall.stats.median) {
      it->fastest = &c;
    }
  }
  for (SizeEfficiency& s : out) s.efficiency = RateAgainstCeiling(r, *s.fastest);
  return out;
}

}  // namespace sqb
