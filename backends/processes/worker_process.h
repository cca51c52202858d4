// One worker process of the processes executor: forked from the caller, it serves orders read
// from a pipe until the pipe closes, and never outlives the executor that started it.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <string>

#include "squarebench/executor.h"

namespace sqb {

// What one call asks of one worker: its range of a job. Plain data, written to the worker's pipe
// in one write (smaller than PIPE_BUF, so never split).
struct WorkerOrder {
  ChunkJob job;
  std::size_t begin = 0;
  std::size_t end = 0;
  // false: compute in the shared arrays, then answer one byte. true: read x[begin, end) from the
  // pipe in blocks of WorkerProcess::block_bytes(), and write each block of y back.
  bool piped = false;
};

class WorkerProcess {
 public:
  // Forks the worker. It runs only system calls and the job's functions: forked beside the
  // caller's OpenMP and TBB threads, it may take no lock they could hold (no malloc, no stdio).
  // It ignores SIGINT, SIGTERM and SIGHUP (the parent decides), is killed when the thread that
  // forked it ends (PR_SET_PDEATHSIG), and is pinned to `cpu` when that is >= 0.
  WorkerProcess(int index, int cpu);
  // Closes its pipes and waits for it; one that does not exit within a second is killed.
  ~WorkerProcess();
  // Closes its pipes: the worker exits. Closing every worker's first lets them exit together.
  void Close();
  WorkerProcess(const WorkerProcess&) = delete;
  WorkerProcess& operator=(const WorkerProcess&) = delete;

  int to_worker() const { return to_worker_; }      // the parent's write end, non-blocking
  int from_worker() const { return from_worker_; }  // the parent's read end, non-blocking
  std::size_t block_bytes() const { return block_bytes_; }
  pid_t pid() const { return pid_; }

  // After the worker's pipe broke: reaps it and says how it ended, e.g. "worker process 1 (pid
  // 4242) was killed by SIGKILL".
  std::string DescribeEnd();

 private:
  void Reap(double grace_s);

  int index_;
  pid_t pid_ = -1;
  int to_worker_ = -1;
  int from_worker_ = -1;
  std::size_t block_bytes_ = 0;
  bool reaped_ = false;
  int status_ = 0;  // as waitpid gave it, once reaped
};

}  // namespace sqb
