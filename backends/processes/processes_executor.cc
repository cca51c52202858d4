// The processes executor, the post's multiprocessing.Pool: a pool of forked worker processes, one
// per thread, alive for the cell; x and y either stay in shared memory or travel over pipes.
#include <fmt/format.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "squarebench/affinity.h"
#include "squarebench/executor.h"
#include "squarebench/registration.h"
#include "worker_process.h"

namespace sqb {
namespace {

const KnobInfo kTransportKnob{
    .name = "transport",
    .values = {"shared", "pipe"},
    .default_value = "shared",
    .description =
        "processes: x and y in shared memory (a go/done byte crosses), or copied over "
        "pipes each call (as Pool.map pickles)"};

// Workers start as Python's default on Linux starts them, by fork, and for the same reasons: the
// child has this image, so the job's function pointers are valid in it, and the shared arrays are
// already mapped at the same addresses; nothing is re-initialised, as a re-executed binary would
// (its static constructors start PoCL, for one). The price of fork beside live threads is paid by
// the child doing nothing but system calls and the job's functions (see WorkerProcess).
class ProcessesExecutor final : public Executor {
 public:
  explicit ProcessesExecutor(const CellParams& p)
      : threads_(p.threads),
        pin_(p.binding == Binding::kCores),
        piped_(KnobValue(p, kTransportKnob.name) == "pipe") {}

  ~ProcessesExecutor() override {
    for (auto& w : workers_) w->Close();
  }

  bool WantsSharedArrays() const override { return !piped_; }

  void Attach(void*, std::size_t, void*, std::size_t) override {
    for (int i = 0; i < threads_; ++i)
      workers_.push_back(std::make_unique<WorkerProcess>(i, pin_ ? BindingCpu(i) : -1));
  }

  void ForEachRange(std::size_t, RangeFn, RangeFn) override {
    throw CellError("processes: ranges run in worker processes, only as chunk jobs");
  }

  // Piped, the first touch is the caller's: the arrays are its own, and the workers never see
  // them.
  void ForEachChunk(const ChunkJob& job) override {
    if (workers_.empty()) throw CellError("processes: ForEachChunk before Attach");
    if (!broken_.empty()) throw CellError(broken_);
    served_ = 0;
    if (piped_ && job.fill != nullptr) {
      RunChunkJob(job, 0, job.n);
      return;
    }
    const std::size_t size = SizeOf(job.dtype);
    flows_.clear();
    for (int i = 0; i < threads_; ++i) {
      const Range r = StaticRange(job.n, static_cast<std::size_t>(threads_), i);
      if (r.begin >= r.end) continue;
      const WorkerOrder order{.job = job, .begin = r.begin, .end = r.end, .piped = piped_};
      if (write(workers_[i]->to_worker(), &order, sizeof order) != sizeof order) Lost(i);
      const std::size_t bytes = piped_ ? (r.end - r.begin) * size : 1;
      flows_.push_back({i, piped_ ? 0 : bytes, 0, bytes,
                        static_cast<const char*>(job.x) + r.begin * size,
                        piped_ ? static_cast<char*>(job.y) + r.begin * size : nullptr});
    }
    Pump();
    served_ = static_cast<int>(flows_.size());
  }

  std::string Placement() const override { return DescribePlacement(pin_, threads_); }
  std::string Summary() const override {
    const std::string start = fmt::format("{} forked worker processes", threads_);
    if (!piped_) return start + ", arrays in shared memory, a go/done byte over pipes";
    const std::size_t block = workers_.empty() ? 0 : workers_.front()->block_bytes();
    return start + fmt::format(", x and y copied over pipes in {} KiB blocks", block >> 10);
  }
  std::optional<Participation> LastParticipation() const override {
    return Participation{.threads = served_};
  }

 private:
  // One worker's traffic in one call: x out (piped only) and y, or the done byte, back.
  struct Flow {
    int worker;
    std::size_t sent, received, bytes;
    const char* x;
    char* y;  // nullptr: the answer is the done byte
  };

  // Moves every flow to its end without blocking on any one worker: the workers stream, so each
  // needs the caller to take its y while it still sends x.
  void Pump() {
    for (;;) {
      fds_.clear();
      for (const Flow& f : flows_) {
        const WorkerProcess& w = *workers_[f.worker];
        if (f.sent < f.bytes) fds_.push_back({w.to_worker(), POLLOUT, 0});
        if (f.received < f.bytes) fds_.push_back({w.from_worker(), POLLIN, 0});
      }
      if (fds_.empty()) return;
      if (poll(fds_.data(), fds_.size(), -1) < 0) {
        if (errno == EINTR) continue;
        throw CellError(fmt::format("processes: poll failed: {}", std::strerror(errno)));
      }
      for (const pollfd& p : fds_)
        if (p.revents != 0) Move(p);
    }
  }

  void Move(const pollfd& p) {
    for (Flow& f : flows_) {
      const WorkerProcess& w = *workers_[f.worker];
      if (p.fd == w.to_worker()) {
        if ((p.revents & (POLLERR | POLLHUP)) != 0) Lost(f.worker);  // its reading end is gone
        const ssize_t put = write(p.fd, f.x + f.sent, f.bytes - f.sent);
        if (put > 0) f.sent += static_cast<std::size_t>(put);
        if (put < 0 && errno != EAGAIN && errno != EINTR) Lost(f.worker);
        return;
      }
      if (p.fd == w.from_worker()) {
        char done = 0;
        char* into = f.y != nullptr ? f.y + f.received : &done;
        const ssize_t got = read(p.fd, into, f.bytes - f.received);
        if (got > 0) f.received += static_cast<std::size_t>(got);
        if (got == 0 || (got < 0 && errno != EAGAIN && errno != EINTR)) Lost(f.worker);
        return;
      }
    }
  }

  // A worker's pipe broke: it died (or closed it). The cell is over; so is every later call.
  [[noreturn]] void Lost(int worker) {
    broken_ = "processes: " + workers_[worker]->DescribeEnd();
    throw CellError(broken_);
  }

  int threads_;
  bool pin_;
  bool piped_;
  std::vector<std::unique_ptr<WorkerProcess>> workers_;
  std::vector<Flow> flows_;  // kept between calls, so a timed call allocates nothing
  std::vector<pollfd> fds_;
  int served_ = 0;
  std::string broken_;
};

SQB_REGISTER_EXECUTOR((ExecutorInfo{
    .name = "processes",
    .description = "a pool of forked worker processes alive for the cell (multiprocessing.Pool)",
    .parallel = true,
    .in_default_run = false,
    .knobs = {kTransportKnob},
    .out_of_process = true,
    .unavailable_reason = [] { return std::string(); },
    .make = [](const CellParams& p) -> std::unique_ptr<Executor> {
      return std::make_unique<ProcessesExecutor>(p);
    },
}));

}  // namespace
}  // namespace sqb
