// MPI ranks kept in step through a plan: whatever could differ between ranks (a sample's time, a
// failure, a stop) is agreed in one collective after each step, so no rank waits on a collective
// the others skip. With no ranks (this process alone) every call is immediate and local.
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "harness/ranks.h"
#include "harness/record.h"

namespace sqb {

class Lockstep {
 public:
  // `ranks` == nullptr: this process alone; `stop` is the local stop request (a signal).
  Lockstep(Ranks* ranks, const std::atomic<bool>& stop) : ranks_(ranks), stop_(stop) {}

  bool Alone() const { return ranks_ == nullptr; }
  int Rank() const { return ranks_ ? ranks_->Rank() : 0; }
  int Size() const { return ranks_ ? ranks_->Size() : 1; }
  // Whether to stop: alone, the signal now; across ranks, what the last agreement decided.
  bool Stopped() const { return ranks_ ? stopped_ : stop_.load(); }

  // Right before a timed batch measured on all ranks at once: they start together (a barrier).
  void StartTogether();
  // Runs `turn` on one rank after another, in rank order, while the others sleep in a barrier.
  // `turn` must not throw.
  void InTurns(const std::function<void()>& turn);

  struct Agreed {
    double max_s = 0;      // the slowest rank's seconds
    double sum_s = 0;      // all ranks' seconds added (with `sum`; else = max_s)
    double kernel_s = 0;   // device kernel seconds: max, or sum with `sum`
    int failed_rank = -1;  // the first rank where the step failed; -1: none
  };
  // After every step of a cell (setup, a batch, verification), on every rank: one reduction of
  // its seconds, its failure and the stop request (two with `sum`).
  Agreed Agree(double seconds, double kernel_seconds, bool failed, bool sum);
  // The status and message of `rank`'s failure, as given there, on every rank.
  std::pair<CellStatus, std::string> FailureOf(int rank, CellStatus status,
                                               const std::string& message);
  // The largest of each rank's value (e.g. the time since the plan started).
  double Max(double value);
  // On rank 0: every rank's row, by rank; elsewhere: empty.
  std::vector<RankRecord> Gather(const RankRecord& mine);

 private:
  Ranks* ranks_;
  const std::atomic<bool>& stop_;
  bool stopped_ = false;
};

}  // namespace sqb
