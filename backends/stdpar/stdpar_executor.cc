// The stdpar executor: the C++ standard's own parallel algorithm, std::for_each(par_unseq) over
// blocks of the range, as libstdc++ runs it on oneTBB.
#include <fmt/format.h>
#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/info.h>
#include <oneapi/tbb/task_arena.h>
#include <oneapi/tbb/version.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <execution>
#include <numeric>
#include <optional>
#include <vector>

#include "squarebench/affinity.h"
#include "squarebench/executor.h"
#include "squarebench/registration.h"

namespace sqb {
namespace {

// Blocks per thread: enough for a dynamic scheduler to balance, few enough to stay cheap.
constexpr std::size_t kBlocksPerThread = 8;

class StdparExecutor final : public Executor {
 public:
  explicit StdparExecutor(const CellParams& p)
      : threads_(p.threads), arena_(p.threads), stamps_(static_cast<std::size_t>(p.threads)) {
    arena_.initialize();
  }

  // libstdc++ parallelises a random-access range it can split: over a vector of block indices it
  // runs on the arena's threads, over std::views::iota on one. The standard offers no thread
  // count: an arena of the cell's size is the only way to set it.
  void ForEachRange(std::size_t n, RangeFn body, RangeFn) override {
    if (n != split_n_) Split(n);
    const std::uint64_t call = ++calls_;
    arena_.execute([&] {
      std::for_each(std::execution::par_unseq, blocks_.begin(), blocks_.end(),
                    [&](std::size_t block) {
                      Stamp(call);
                      const Range r = StaticRange(n, blocks_.size(), block);
                      body(r.begin, r.end);
                    });
    });
  }

  // No pinning: the standard has no notion of placement, and its threads are whichever of TBB's
  // workers join the arena. More threads than cores need TBB's process-wide limit raised, only
  // while this cell runs (as the tbb executor does).
  void Bind() override {
    if (threads_ > tbb::info::default_concurrency())
      limit_.emplace(tbb::global_control::max_allowed_parallelism, threads_);
  }
  void Unbind() override { limit_.reset(); }
  std::string Placement() const override { return DescribePlacement(false, threads_); }
  std::string Summary() const override {
    return fmt::format(
        "{} blocks handed out dynamically (first touch and runs may map a page to different "
        "threads)",
        blocks_.size());
  }
  std::optional<Participation> LastParticipation() const override {
    const auto ran = std::count_if(stamps_.begin(), stamps_.end(), [this](const auto& s) {
      return s.load(std::memory_order_relaxed) == calls_;
    });
    return Participation{.threads = static_cast<int>(ran)};
  }

 private:
  void Split(std::size_t n) {
    const std::size_t lines = (n + kSplitAlign - 1) / kSplitAlign;
    blocks_.resize(std::min(lines, kBlocksPerThread * static_cast<std::size_t>(threads_)));
    std::iota(blocks_.begin(), blocks_.end(), std::size_t{0});
    split_n_ = n;
  }

  void Stamp(std::uint64_t call) {
    const auto slot = static_cast<std::size_t>(tbb::this_task_arena::current_thread_index());
    if (slot < stamps_.size()) stamps_[slot].store(call, std::memory_order_relaxed);
  }

  int threads_;
  tbb::task_arena arena_;
  std::optional<tbb::global_control> limit_;
  std::vector<std::size_t> blocks_;
  std::size_t split_n_ = ~std::size_t{0};
  std::uint64_t calls_ = 0;
  std::vector<std::atomic<std::uint64_t>> stamps_;  // by arena slot: the last call it ran in
};

// The library under the standard algorithms: libstdc++'s parallel backend and the TBB it runs on.
FingerprintLines Fingerprint() {
#if defined(_PSTL_PAR_BACKEND_TBB)
  const char* backend = "libstdc++ PSTL, TBB backend";
#else
  const char* backend = "libstdc++ PSTL, serial backend";
#endif
  return {{"lib.stdpar", fmt::format("{} (libstdc++ {}; TBB {})", backend, _GLIBCXX_RELEASE,
                                     TBB_runtime_version())}};
}

SQB_REGISTER_EXECUTOR((ExecutorInfo{
    .name = "stdpar",
    .description = "std::for_each(par_unseq) over blocks, libstdc++ on oneTBB, dynamic split",
    .parallel = true,
    .in_default_run = false,
    .provenance = {.fingerprint = Fingerprint, .environment_prefixes = {"TBB_"}},
    .unavailable_reason =
        [] {
#if defined(_PSTL_PAR_BACKEND_TBB)
          return std::string();
#else
          return std::string("libstdc++ found no TBB: its parallel algorithms would run serially");
#endif
        },
    .make = [](const CellParams& p) -> std::unique_ptr<Executor> {
      return std::make_unique<StdparExecutor>(p);
    },
}));

}  // namespace
}  // namespace sqb
