// The pool executor, the fork-join floor: persistent pinned workers of our own, woken by an epoch
// counter they spin on briefly before sleeping on a futex; the caller runs the first range itself.
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <climits>
#include <cstdint>
#include <exception>
#include <mutex>
#include <optional>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "squarebench/affinity.h"
#include "squarebench/executor.h"
#include "squarebench/registration.h"

namespace sqb {
namespace {

// Written by hand rather than with std::atomic::wait: libstdc++'s wait spins and yields on its own
// schedule and keeps its waiter count in a shared table, and the floor is exactly what this file
// measures, so every step of the hand-off is ours.
void FutexWait(std::atomic<std::uint32_t>& word, std::uint32_t expected) {
  syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(&word), FUTEX_WAIT_PRIVATE, expected, nullptr,
          nullptr, 0);
}
void FutexWakeAll(std::atomic<std::uint32_t>& word) {
  syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(&word), FUTEX_WAKE_PRIVATE, INT_MAX, nullptr,
          nullptr, 0);
}

inline void CpuRelax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield");
#endif
}

// How long a worker spins for the next epoch before it sleeps: far longer than the gap between two
// calls of one timed batch, far shorter than the harness's 1 ms idle check before every sample, so
// the workers are asleep whenever another cell is timed.
constexpr auto kSpinFor = std::chrono::microseconds(50);

class PoolExecutor final : public Executor {
 public:
  explicit PoolExecutor(const CellParams& p)
      : threads_(p.threads), pin_(p.binding == Binding::kCores), ran_(threads_) {
    workers_.reserve(static_cast<std::size_t>(threads_ - 1));
    try {
      for (int i = 1; i < threads_; ++i) {
        const int cpu = pin_ ? BindingCpu(i) : -1;
        workers_.emplace_back([this, i, cpu] { WorkerLoop(i, cpu); });
      }
    } catch (const std::system_error& e) {
      Stop();
      throw CellError(std::string("cannot start a pool thread: ") + e.what());
    }
  }

  ~PoolExecutor() override { Stop(); }

  // Same static split as openmp and tbb; range 0 is the caller's.
  void ForEachRange(std::size_t n, RangeFn body, RangeFn) override {
    n_ = n;
    body_ = &body;
    error_ = nullptr;
    pending_.store(threads_ - 1, std::memory_order_relaxed);
    Publish();
    RunRange(0);
    // The caller spins: the workers finish within the time of one range. Oversubscribed (more
    // threads than CPUs), a worker may need the caller's CPU, so it yields after a while.
    for (int spins = 0; pending_.load(std::memory_order_acquire) != 0; ++spins) {
      if (spins < 4096) {
        CpuRelax();
      } else {
        std::this_thread::yield();
      }
    }
    body_ = nullptr;
    if (error_) std::rethrow_exception(error_);
  }

  void Bind() override {
    if (pin_) PinCurrentThread(BindingCpu(0));
  }
  void Unbind() override {
    if (pin_) RestoreCurrentThread();
  }
  std::string Placement() const override { return DescribePlacement(pin_, threads_); }
  std::optional<Participation> LastParticipation() const override {
    const auto ran = std::count(ran_.begin(), ran_.end(), true);
    return Participation{.threads = static_cast<int>(ran)};
  }

 private:
  // A new epoch: the job is written before it (release), and sleepers are woken. The seq_cst pair
  // (epoch here, sleepers_ in the worker) guarantees that either this sees the sleeper or the
  // sleeper's futex sees the new epoch, so no wake-up is lost.
  void Publish() {
    epoch_.fetch_add(1, std::memory_order_seq_cst);
    if (sleepers_.load(std::memory_order_seq_cst) > 0) FutexWakeAll(epoch_);
  }

  void Stop() {
    stopping_.store(true, std::memory_order_relaxed);
    Publish();
    for (auto& t : workers_) t.join();
  }

  void RunRange(int index) {
    const Range r = StaticRange(n_, static_cast<std::size_t>(threads_), index);
    ran_[static_cast<std::size_t>(index)] = r.begin < r.end;
    if (r.begin >= r.end) return;
    try {
      (*body_)(r.begin, r.end);
    } catch (...) {
      std::lock_guard lock(error_mutex_);
      if (!error_) error_ = std::current_exception();
    }
  }

  void WorkerLoop(int index, int cpu) {
    if (cpu >= 0) PinCurrentThread(cpu);
    std::uint32_t seen = 0;  // workers start before the first epoch is published
    for (;;) {
      seen = AwaitNewEpoch(seen);
      if (stopping_.load(std::memory_order_relaxed)) return;
      RunRange(index);
      pending_.fetch_sub(1, std::memory_order_release);
    }
  }

  std::uint32_t AwaitNewEpoch(std::uint32_t seen) {
    const auto give_up = std::chrono::steady_clock::now() + kSpinFor;
    for (int spins = 0;; ++spins) {
      const std::uint32_t now = epoch_.load(std::memory_order_acquire);
      if (now != seen) return now;
      if (spins % 64 == 63 && std::chrono::steady_clock::now() > give_up) break;
      CpuRelax();
    }
    for (;;) {
      sleepers_.fetch_add(1, std::memory_order_seq_cst);
      FutexWait(epoch_, seen);
      sleepers_.fetch_sub(1, std::memory_order_relaxed);
      const std::uint32_t now = epoch_.load(std::memory_order_acquire);
      if (now != seen) return now;
    }
  }

  const int threads_;
  const bool pin_;
  std::vector<std::thread> workers_;
  // The job of the current epoch, written by the caller before it publishes the epoch.
  std::size_t n_ = 0;
  RangeFn* body_ = nullptr;
  std::vector<char> ran_;  // by range: whether it had elements in the last call (read after it)
  std::mutex error_mutex_;
  std::exception_ptr error_;
  alignas(64) std::atomic<std::uint32_t> epoch_{0};
  alignas(64) std::atomic<int> pending_{0};
  alignas(64) std::atomic<int> sleepers_{0};
  std::atomic<bool> stopping_{false};
};

SQB_REGISTER_EXECUTOR((ExecutorInfo{
    .name = "pool",
    .description = "persistent pinned threads of our own, epoch + futex hand-off (fork-join floor)",
    .parallel = true,
    .in_default_run = true,
    .unavailable_reason = [] { return std::string(); },
    .make = [](const CellParams& p) -> std::unique_ptr<Executor> {
      return std::make_unique<PoolExecutor>(p);
    },
}));

}  // namespace
}  // namespace sqb
