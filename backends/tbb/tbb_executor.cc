// The oneTBB executor: parallel_for with a static_partitioner in an arena of the cell's size.
#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/info.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/partitioner.h>
#include <oneapi/tbb/task_arena.h>
#include <oneapi/tbb/task_scheduler_observer.h>
#include <oneapi/tbb/version.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <optional>
#include <vector>

#include "squarebench/affinity.h"
#include "squarebench/executor.h"
#include "squarebench/registration.h"

namespace sqb {
namespace {

// oneTBB's way to pin workers: pinned as they enter the arena and restored as they leave, so a
// worker that later serves another arena is never left pinned. The calling thread enters the arena
// on every execute(); it is pinned once per batch in Bind() instead, keeping syscalls off the
// timed path.
class PinningObserver final : public tbb::task_scheduler_observer {
 public:
  explicit PinningObserver(tbb::task_arena& arena) : tbb::task_scheduler_observer(arena) {
    observe(true);
  }
  ~PinningObserver() override { observe(false); }
  void on_scheduler_entry(bool is_worker) override {
    if (is_worker) PinCurrentThread(BindingCpu(tbb::this_task_arena::current_thread_index()));
  }
  void on_scheduler_exit(bool is_worker) override {
    if (is_worker) RestoreCurrentThread();
  }
};

class TbbExecutor final : public Executor {
 public:
  explicit TbbExecutor(const CellParams& p)
      : threads_(p.threads), arena_(p.threads), stamps_(static_cast<std::size_t>(p.threads)) {
    arena_.initialize();
    if (p.binding == Binding::kCores) observer_ = std::make_unique<PinningObserver>(arena_);
  }

  // static_partitioner: one subrange per thread with a deterministic thread affinity, so first
  // touch and runs map the same pages to the same threads (as OpenMP's static schedule).
  // Each subrange stamps its arena slot with the call's number: who ran is read untimed, after.
  void ForEachRange(std::size_t n, RangeFn body, RangeFn) override {
    const std::uint64_t call = ++calls_;
    arena_.execute([&] {
      tbb::parallel_for(
          tbb::blocked_range<std::size_t>(0, n),
          [&](const tbb::blocked_range<std::size_t>& r) {
            const auto slot =
                static_cast<std::size_t>(tbb::this_task_arena::current_thread_index());
            if (slot < stamps_.size()) stamps_[slot].store(call, std::memory_order_relaxed);
            body(r.begin(), r.end());
          },
          tbb::static_partitioner());
    });
  }
  std::optional<Participation> LastParticipation() const override {
    const auto ran = std::count_if(stamps_.begin(), stamps_.end(), [this](const auto& s) {
      return s.load(std::memory_order_relaxed) == calls_;
    });
    return Participation{.threads = static_cast<int>(ran)};
  }
  // The calling thread takes slot 0 of the arena (one slot is reserved for it). More threads than
  // cores need TBB's process-wide worker limit raised; only while this cell runs, since the
  // smallest live limit wins.
  void Bind() override {
    if (threads_ > tbb::info::default_concurrency())
      limit_.emplace(tbb::global_control::max_allowed_parallelism, threads_);
    if (observer_) PinCurrentThread(BindingCpu(0));
  }
  void Unbind() override {
    if (observer_) RestoreCurrentThread();
    limit_.reset();
  }
  std::string Placement() const override {
    return DescribePlacement(observer_ != nullptr, threads_);
  }

 private:
  int threads_;
  tbb::task_arena arena_;
  std::unique_ptr<PinningObserver> observer_;
  std::optional<tbb::global_control> limit_;
  std::uint64_t calls_ = 0;
  std::vector<std::atomic<std::uint64_t>> stamps_;  // by arena slot: the last call it ran in
};

FingerprintLines Fingerprint() {
  return {{"lib.tbb", std::string(TBB_runtime_version()) + " (header " TBB_VERSION_STRING ")"}};
}

SQB_REGISTER_EXECUTOR((ExecutorInfo{
    .name = "tbb",
    .description = "oneTBB parallel_for, static_partitioner, task_arena per cell",
    .parallel = true,
    .in_default_run = true,
    .provenance = {.fingerprint = Fingerprint, .environment_prefixes = {"TBB_"}},
    .unavailable_reason = [] { return std::string(); },
    .make = [](const CellParams& p) -> std::unique_ptr<Executor> {
      return std::make_unique<TbbExecutor>(p);
    },
}));

}  // namespace
}  // namespace sqb
