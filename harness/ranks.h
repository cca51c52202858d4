// The processes one run is measured on: MPI ranks in lock-step, or this process alone.
#pragma once

#include <memory>
#include <string>
#include <vector>

namespace sqb {

// Collectives every rank calls in the same order; with one process alone, each is immediate.
class Ranks {
 public:
  virtual ~Ranks() = default;
  virtual int Rank() const { return 0; }
  virtual int Size() const { return 1; }
  // Among the ranks on this rank's host (MPI_COMM_TYPE_SHARED).
  virtual int LocalRank() const { return 0; }
  virtual int LocalSize() const { return 1; }
  // The most ranks any one host runs: they share its memory.
  virtual int MaxLocalSize() const { return 1; }
  virtual std::string Host() const;
  // The MPI library's own version line; "" alone.
  virtual std::string Library() const { return ""; }
  // Returns when every rank has called it, waiting as the MPI library does (it may spin).
  virtual void Barrier() {}
  // The same, sleeping between polls: a waiting rank takes no core from the one that runs.
  virtual void SleepingBarrier() {}
  // Each value becomes its maximum (its sum) over the ranks: one reduction.
  virtual void Max(std::vector<double>& /*values*/) {}
  virtual void Sum(std::vector<double>& /*values*/) {}
  // `text` as `root` gave it, on every rank. Broadcast and Gather wait sleeping, as
  // SleepingBarrier does: they wait on one rank's work (planning, a fingerprint, a cell's end).
  virtual std::string Broadcast(const std::string& text, int /*root*/ = 0) { return text; }
  // On rank 0: every rank's text, by rank; elsewhere: empty.
  virtual std::vector<std::string> Gather(const std::string& text) { return {text}; }
  // Ends every rank's process with `code`, now (MPI_Abort).
  [[noreturn]] virtual void Abort(int code);
};

// How many ranks a launcher says this process is one of (mpiexec's, srun's or Hydra's variables),
// and which; {0, 0} when none launched it. Reading the environment costs nothing: MPI_Init, which
// takes 0.3 s and starts a daemon, runs only when a launcher is seen.
struct Launch {
  int rank = 0;
  int size = 0;
  bool launched() const { return size > 0; }
};
Launch LaunchFromEnvironment();

// The ranks this process was launched among (MPI_Init, once); this process alone when no
// launcher started it. Throws std::runtime_error when a launcher started it and this build has
// no MPI.
std::unique_ptr<Ranks> JoinRanks();

// True when this build can run across MPI ranks.
bool BuiltWithMpi();

// The process's CPU set as a list, e.g. "0-3,8".
std::string ProcessCpuList();

}  // namespace sqb
