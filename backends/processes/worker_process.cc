// One worker process of the processes executor: fork, the child's loop, and reaping.
#include "worker_process.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <string>
#include <thread>

#include "squarebench/backend.h"
#include "squarebench/clock.h"

namespace sqb {
namespace {

// Pipes as large as the system lets an unprivileged process make them: fewer, larger copies.
constexpr int kPipeBytes = 1 << 20;

// The child's I/O: whole buffers or nothing (false on end of file or an error).
bool ReadAll(int fd, void* data, std::size_t bytes) {
  auto* p = static_cast<char*>(data);
  while (bytes > 0) {
    const ssize_t got = read(fd, p, bytes);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return false;
    p += got;
    bytes -= static_cast<std::size_t>(got);
  }
  return true;
}

bool WriteAll(int fd, const void* data, std::size_t bytes) {
  const auto* p = static_cast<const char*>(data);
  while (bytes > 0) {
    const ssize_t put = write(fd, p, bytes);
    if (put < 0 && errno == EINTR) continue;
    if (put <= 0) return false;
    p += put;
    bytes -= static_cast<std::size_t>(put);
  }
  return true;
}

// Streams one piped order: x arrives a block at a time, is squared into the worker's own buffer,
// and goes back; the pipes' capacity bounds what is in flight each way.
bool ServePiped(const WorkerOrder& o, int in, int out, char* x, char* y, std::size_t block) {
  const std::size_t size = SizeOf(o.job.dtype), per_block = block / size;
  for (std::size_t i = o.begin; i < o.end; i += per_block) {
    const std::size_t count = std::min(per_block, o.end - i);
    if (!ReadAll(in, x, count * size)) return false;
    if (o.job.dtype == DType::kF32) {
      o.job.f32(reinterpret_cast<const float*>(x), reinterpret_cast<float*>(y), count);
    } else {
      o.job.f64(reinterpret_cast<const double*>(x), reinterpret_cast<double*>(y), count);
    }
    if (!WriteAll(out, y, count * size)) return false;
  }
  return true;
}

[[noreturn]] void ServeOrders(int in, int out, std::size_t block) {
  const auto map = [block] {
    void* p = mmap(nullptr, block, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) _exit(3);
    return static_cast<char*>(p);
  };
  char* x = map();
  char* y = map();
  WorkerOrder o;
  while (ReadAll(in, &o, sizeof o)) {  // end of file: the executor is done with this worker
    if (o.piped) {
      if (!ServePiped(o, in, out, x, y, block)) _exit(4);
    } else {
      RunChunkJob(o.job, o.begin, o.end);
      const char done = 1;
      if (!WriteAll(out, &done, 1)) _exit(4);
    }
  }
  _exit(0);
}

// Everything the child does before serving: only async-signal-safe calls, since other threads
// of the parent may have held any lock at the fork.
[[noreturn]] void BecomeWorker(pid_t parent, int in, int out, int cpu, std::size_t block) {
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent) _exit(0);  // the parent died before the line above
  struct sigaction ignore {};
  ignore.sa_handler = SIG_IGN;
  for (int s : {SIGINT, SIGTERM, SIGHUP}) sigaction(s, &ignore, nullptr);
  // Only its own two pipe ends stay open: a sibling's inherited write end would keep that
  // sibling's pipe from ever reporting end of file.
  const int lo = std::min(in, out), hi = std::max(in, out);
  close_range(3, static_cast<unsigned>(lo - 1), 0);
  close_range(static_cast<unsigned>(lo + 1), static_cast<unsigned>(hi - 1), 0);
  close_range(static_cast<unsigned>(hi + 1), ~0U, 0);
  if (cpu >= 0) {
    cpu_set_t mask;
    CPU_ZERO(&mask);
    CPU_SET(cpu, &mask);
    sched_setaffinity(0, sizeof mask, &mask);
  }
  ServeOrders(in, out, block);
}

void MakePipe(int fds[2]) {
  if (pipe2(fds, O_CLOEXEC) != 0)
    throw CellError(std::string("cannot make a pipe: ") + std::strerror(errno));
  fcntl(fds[1], F_SETPIPE_SZ, kPipeBytes);  // best effort: the size is read back below
}

}  // namespace

WorkerProcess::WorkerProcess(int index, int cpu) : index_(index) {
  int down[2], up[2];
  MakePipe(down);
  try {
    MakePipe(up);
  } catch (...) {
    close(down[0]);
    close(down[1]);
    throw;
  }
  const int capacity = fcntl(down[1], F_GETPIPE_SZ);
  block_bytes_ = static_cast<std::size_t>(capacity > 0 ? capacity : 1 << 16);
  const pid_t parent = getpid();
  pid_ = fork();
  if (pid_ == 0) BecomeWorker(parent, down[0], up[1], cpu, block_bytes_);
  const int fork_errno = errno;
  close(down[0]);
  close(up[1]);
  to_worker_ = down[1];
  from_worker_ = up[0];
  if (pid_ < 0) {
    close(to_worker_);
    close(from_worker_);
    throw CellError(std::string("cannot fork a worker process: ") + std::strerror(fork_errno));
  }
  fcntl(to_worker_, F_SETFL, O_NONBLOCK);
  fcntl(from_worker_, F_SETFL, O_NONBLOCK);
}

WorkerProcess::~WorkerProcess() {
  Close();
  Reap(1.0);
}

void WorkerProcess::Close() {
  if (to_worker_ >= 0) close(to_worker_);
  if (from_worker_ >= 0) close(from_worker_);
  to_worker_ = from_worker_ = -1;
}

std::string WorkerProcess::DescribeEnd() {
  Reap(1.0);
  const std::string who =
      "worker process " + std::to_string(index_) + " (pid " + std::to_string(pid_) + ")";
  if (WIFSIGNALED(status_)) {
    const char* abbrev = sigabbrev_np(WTERMSIG(status_));
    return who + " was killed by " +
           (abbrev ? std::string("SIG") + abbrev : "signal " + std::to_string(WTERMSIG(status_)));
  }
  if (WIFEXITED(status_))
    return who + " exited with status " + std::to_string(WEXITSTATUS(status_));
  return who + " stopped answering";
}

// Waits for the worker to end (its pipe closed, it exits at once); after `grace_s`, kills it.
void WorkerProcess::Reap(double grace_s) {
  if (pid_ <= 0 || reaped_) return;
  const auto start = Clock::now();
  for (;;) {
    const pid_t got = waitpid(pid_, &status_, WNOHANG);
    if (got == pid_ || (got < 0 && errno != EINTR)) break;
    if (SecondsBetween(start, Clock::now()) > grace_s) {
      kill(pid_, SIGKILL);
      while (waitpid(pid_, &status_, 0) < 0 && errno == EINTR) {
      }
      break;
    }
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  reaped_ = true;
}

}  // namespace sqb
