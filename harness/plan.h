// Planning a run: the options a user gave, expanded into size groups of fully specified cells.
#pragma once

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "harness/plan_inputs.h"
#include "harness/record.h"
#include "harness/sizes.h"
#include "squarebench/backend.h"

namespace sqb {

// Bad input: reported as one line, exit code 2, before anything runs.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct RunOptions {
  std::vector<std::string> backends;  // empty: every default backend that can run here
  std::vector<DType> dtypes = {DType::kF32};
  std::vector<std::uint64_t> sizes;  // elements per array; empty: use levels
  std::map<DType, std::vector<std::uint64_t>> sizes_by_dtype;  // when given for a dtype: its sizes
  std::vector<std::string> levels;  // empty with empty sizes: L1, L2, L3, DRAM
  std::vector<int> threads;         // empty: all cores (parallel backends only)
  std::vector<Binding> bindings = {Binding::kCores};
  std::vector<std::uint64_t> offsets = {0};
  // Backend knobs by name (e.g. "stores" -> {"regular", "streaming"}); a backend that declares a
  // knob not given here uses the knob's default.
  std::map<std::string, std::vector<std::string>> knobs;
  // Measure each square backend's copy ceilings (BackendInfo::ceilings) next to it.
  bool ceilings = true;
};

struct PlannedCell {
  const BackendInfo* backend = nullptr;
  CellParams params;
  std::string level;        // where its working set lives, by its backend's caches
  std::string ceiling_set;  // how its work is spread; its ceilings are the copies in the same set
};

// The cells of one (dtype, size, offset): measured together, in shuffled rounds.
struct SizeGroup {
  DType dtype = DType::kF32;
  std::uint64_t elements = 0;
  std::uint64_t offset = 0;
  std::string level;  // by the CPU's caches
  // Cells measured together in rounds: all of them, unless their arrays do not fit in memory at
  // once; then batches of this many, one batch after another (1: one cell after another).
  std::size_t cells_at_once = 0;
  std::vector<PlannedCell> cells;
};

struct Plan {
  std::vector<SizeGroup> groups;
  std::vector<CellRecord> skipped;  // default backends that cannot run here, with the reason
  std::vector<std::string> notes;
};

// What the planner needs of the machine (passed in so tests can give any machine).
struct MachineLimits {
  CacheSizes caches;
  int cores = 1;
  std::uint64_t available_memory = 0;  // bytes
};
MachineLimits CurrentMachineLimits();

// Throws UsageError for unknown backends or variants, a backend asked for by name that cannot run
// here, unknown levels, bad thread counts, and sizes whose arrays do not fit in memory.
Plan MakePlan(const RunOptions& options, const MachineLimits& machine);

}  // namespace sqb
