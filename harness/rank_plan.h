// A plan of one process spread over MPI ranks, and each rank's share of a cell.
#pragma once

#include <string>

#include "harness/plan.h"
#include "harness/ranks.h"

namespace sqb {

// Turns a plan of one process into the plan of `ranks` processes measuring in lock-step: every
// cell once per MPI mode (each its own cell), its elements the total over the ranks. `total`: the
// planned sizes are totals, split across the ranks (strong scaling); else each rank's (weak
// scaling). Levels follow one rank's share. Throws UsageError when a total is out of range.
void SpreadOverRanks(Plan& plan, int ranks, const std::vector<std::string>& modes, bool total,
                     const CacheSizes& caches);

// What this rank runs of a cell spread over ranks (the cell's params when `ranks` is nullptr):
// its share of the elements and, on a device backend, the device after the cell's by its local
// rank (round-robin when they are fewer).
CellParams OwnParams(const PlannedCell& p, const Ranks* ranks);

// This rank's share of a total: the first `total % ranks` ranks take one element more.
std::uint64_t RankShare(std::uint64_t total, int ranks, int rank);

}  // namespace sqb
