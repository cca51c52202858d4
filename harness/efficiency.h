// Efficiency: each cell's throughput against its ceiling, the fastest copy spread the same way.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "harness/record.h"

namespace sqb {

// The ceiling a cell is rated against: the fastest verified copy of the same dtype, size and
// offset in the same ceiling set, by wall time, or with kernel_only by device-side time (among
// copies that have one). Null when there is none.
const CellRecord* Ceiling(const Report& r, const CellRecord& cell, bool kernel_only = false);

// A verified cell's GB/s as a percentage of its ceiling's (100 for the ceiling itself).
struct Efficiency {
  const CellRecord* ceiling = nullptr;
  double percent = 0;
};
std::optional<Efficiency> RateAgainstCeiling(const Report& r, const CellRecord& cell,
                                             bool kernel_only = false);

// Per (dtype, size, offset) of a report: the fastest verified square cell and its efficiency.
struct SizeEfficiency {
  const CellRecord* fastest = nullptr;
  std::optional<Efficiency> efficiency;  // nullopt when it has no ceiling
};
std::vector<SizeEfficiency> FastestPerSize(const Report& r);

}  // namespace sqb
