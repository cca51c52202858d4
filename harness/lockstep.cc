// MPI ranks kept in step through a plan: agreements, turns, and the rank rows gathered to rank 0.
#include "harness/lockstep.h"

#include "harness/rank_messages.h"

namespace sqb {

void Lockstep::StartTogether() {
  if (ranks_) ranks_->Barrier();
}

void Lockstep::InTurns(const std::function<void()>& turn) {
  if (!ranks_) return turn();
  for (int r = 0; r < ranks_->Size(); ++r) {
    if (r == ranks_->Rank()) turn();
    ranks_->SleepingBarrier();
  }
}

Lockstep::Agreed Lockstep::Agree(double seconds, double kernel_seconds, bool failed, bool sum) {
  if (!ranks_) return {seconds, seconds, kernel_seconds, -1};
  const int size = ranks_->Size();
  // The failing rank with the lowest index has the largest size - rank.
  std::vector<double> v = {seconds, kernel_seconds,
                           failed ? static_cast<double>(size - ranks_->Rank()) : 0.0,
                           stop_.load() ? 1.0 : 0.0};
  ranks_->Max(v);
  Agreed a{v[0], v[0], v[1], v[2] > 0 ? size - static_cast<int>(v[2]) : -1};
  stopped_ = stopped_ || v[3] > 0;
  if (sum) {
    std::vector<double> t = {seconds, kernel_seconds};
    ranks_->Sum(t);
    a.sum_s = t[0];
    a.kernel_s = t[1];
  }
  return a;
}

std::pair<CellStatus, std::string> Lockstep::FailureOf(int rank, CellStatus status,
                                                       const std::string& message) {
  if (!ranks_) return {status, message};
  const std::string text =
      ranks_->Broadcast(std::to_string(static_cast<int>(status)) + message, rank);
  return {static_cast<CellStatus>(text.at(0) - '0'), text.substr(1)};
}

double Lockstep::Max(double value) {
  if (!ranks_) return value;
  std::vector<double> v = {value};
  ranks_->Max(v);
  return v[0];
}

std::vector<RankRecord> Lockstep::Gather(const RankRecord& mine) {
  if (!ranks_) return {mine};
  std::vector<RankRecord> rows;
  for (const std::string& text : ranks_->Gather(RankRowToText(mine)))
    rows.push_back(RankRowFromText(text));
  return rows;
}

}  // namespace sqb
