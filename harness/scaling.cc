// Thread scaling: speedups and parallel efficiency from the cells of one report.
#include "harness/scaling.h"

#include "harness/fit.h"

namespace sqb {
namespace {

bool Measured(const CellRecord& c) {
  return c.status == CellStatus::kOk && c.wall.stats.n > 0 && c.operation == Operation::kSquare;
}

bool SameSize(const CellParams& a, const CellParams& b) {
  return a.dtype == b.dtype && a.elements == b.elements && a.offset == b.offset;
}

// The same series at another thread count: everything equal but the threads.
bool SameSeries(const CellParams& a, const CellParams& b) {
  return SameSize(a, b) && a.backend == b.backend && a.binding == b.binding && a.knobs == b.knobs;
}

}  // namespace

std::vector<ScalingPoint> AnalyzeScaling(const Report& r) {
  bool varies = false;
  for (const CellRecord& a : r.cells)
    for (const CellRecord& b : r.cells)
      varies = varies || (Measured(a) && Measured(b) && SameSeries(a.params, b.params) &&
                          a.params.threads != b.params.threads);
  std::vector<ScalingPoint> out;
  if (!varies) return out;
  for (const CellRecord& c : r.cells) {
    if (!Measured(c)) continue;
    const CellRecord* one = nullptr;
    const CellRecord* best = nullptr;
    for (const CellRecord& o : r.cells) {
      if (!Measured(o) || o.params.threads != 1 || !SameSize(o.params, c.params)) continue;
      if (SameSeries(o.params, c.params)) one = &o;
      if (best == nullptr || o.wall.stats.median < best->wall.stats.median) best = &o;
    }
    if (one == nullptr) continue;
    ScalingPoint p;
    p.series = SeriesLabel(r, c, /*with_threads=*/false);
    p.dtype = c.params.dtype;
    p.elements = c.params.elements;
    p.level = c.level;
    p.threads = c.params.threads;
    p.gbps = GigabytesPerSecond(c.params, c.wall.stats.median);
    p.speedup = one->wall.stats.median / c.wall.stats.median;
    p.efficiency = p.speedup / c.params.threads;
    p.best_single = SeriesLabel(r, *best, /*with_threads=*/false);
    p.over_best_single = best->wall.stats.median / c.wall.stats.median;
    out.push_back(p);
  }
  return out;
}

}  // namespace sqb
