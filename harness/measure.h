// The measurement engine: the harness owns the clock. Setup, calibration, shuffled rounds of
// samples, verification, statistics and flags, for every group of a plan.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "harness/plan.h"
#include "harness/ranks.h"
#include "harness/record.h"

namespace sqb {

struct MeasureSettings {
  int samples = 25;          // target per cell; never fewer than kMinSamples
  double min_time_s = 2e-3;  // a sample (batch of calls) lasts at least this, and >= 1000x timer
                             // resolution
  double max_time_s = 1.0;   // per cell and repetition; cuts samples toward kMinSamples, not below
  std::uint64_t seed = 1;    // round order shuffling
  // Bytes of the last-level cache: a cell whose working set is over twice this, with calls of
  // >= 10 ms, gets no warm-up call before a sample (nothing to warm). 0 = unknown: always warm.
  std::uint64_t last_level_cache_bytes = 0;
  // > 0: the whole plan should end this many seconds after it starts. Before each group the
  // per-cell budget (max_time_s) is cut to what the rest of the plan can afford; never below
  // kMinSamples samples, so a tight deadline can still be overrun.
  double deadline_s = 0;
  // Independent repetitions of every cell: each a fresh cell (new arrays, first-touched again,
  // a new executor) measured in rounds with the others' same repetition, one after another.
  int repeat = 1;
  // For testing comparisons only: every timed batch of calls is stretched by this fraction of its
  // own time (0.1: 10% slower), spinning on the clock inside the timed region.
  double injected_slowdown = 0;
  // MPI: the ranks measuring the plan in lock-step, each on its own arrays and its share of each
  // cell's elements; the records (rank 0's are the report) carry one row per rank. nullptr: this
  // process alone.
  Ranks* ranks = nullptr;
};
inline constexpr int kMinSamples = 9;

// Progress lines (e.g. for a terminal); may be empty.
using ProgressFn = std::function<void(const std::string& line)>;

// What a deadline did to the per-cell budgets, for the report.
struct BudgetUse {
  double min_cell_budget_s = 0;  // the smallest and largest per-cell budget applied
  double max_cell_budget_s = 0;
  bool cut = false;  // some cell got less than settings.max_time_s
};

// Measures every group of the plan and appends one record per cell to *cells. Checks *stop between
// samples; when it is set, stops and returns false (what was measured is kept, flagged). Across
// MPI ranks, every rank calls it with the same plan and settings, and a stop on any rank stops all
// after the current sample.
bool MeasurePlan(const Plan& plan, const MeasureSettings& settings, const std::atomic<bool>& stop,
                 const ProgressFn& progress, std::vector<CellRecord>* cells,
                 BudgetUse* budget_use = nullptr);

}  // namespace sqb
