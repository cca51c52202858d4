// The cell of every composed backend: an executor spreading a chunk kernel over host arrays.
#include "harness/chunked_cell.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "squarebench/clock.h"
#include "squarebench/page_buffer.h"

namespace sqb {
namespace {

// The best of this many alternating rounds, each of at least kProbeSeconds, decides between a
// kernel and its alternative (ChunkFns::alternative).
constexpr int kProbeRounds = 3;
constexpr double kProbeSeconds = 0.5e-3;

template <typename T>
ChunkFn<T> Fenced(const ChunkFns& fns) {
  if constexpr (std::is_same_v<T, float>) return fns.f32;
  if constexpr (std::is_same_v<T, double>) return fns.f64;
}
template <typename T>
ChunkFn<T> Unfenced(const ChunkFns& fns) {
  if constexpr (std::is_same_v<T, float>) return fns.f32_unfenced;
  if constexpr (std::is_same_v<T, double>) return fns.f64_unfenced;
}

template <typename T>
class ChunkedCell final : public Cell {
 public:
  ChunkedCell(const CellParams& params, std::unique_ptr<Executor> executor, const ChunkFns& fns,
              bool out_of_process)
      : n_(params.elements),
        offset_(params.offset),
        huge_pages_(KnobValue(params, kHugePagesKnob.name) == "on"),
        out_of_process_(out_of_process),
        executor_(std::move(executor)) {
    kernel_ = KernelOf(fns);
    if (fns.alternative != nullptr) alternative_ = KernelOf(*fns.alternative);
    if (kernel_.chunk == nullptr || (alternative_ && alternative_->chunk == nullptr))
      throw CellError("chunk kernel has no " + std::string(Name(params.dtype)));
  }

  void Setup(const FillFn& fill) override {
    shared_ = out_of_process_ && executor_->WantsSharedArrays();
    x_buffer_ = PageBuffer(n_ * sizeof(T), huge_pages_, shared_);
    y_buffer_ = PageBuffer((n_ + offset_) * sizeof(T), huge_pages_, shared_);
    x_ = static_cast<T*>(x_buffer_.data());
    y_ = static_cast<T*>(y_buffer_.data()) + offset_;
    // First touch under the same binding and split as the timed runs.
    executor_->Bind();
    if (out_of_process_) {
      FillOutOfProcess(fill);
    } else {
      executor_->ForEachRange(
          n_, [&](std::size_t b, std::size_t e) { fill(b, e, x_, y_); },
          [](std::size_t, std::size_t) {});
    }
    executor_->Unbind();
    if (alternative_) ChooseByProbe();
    AddPagesToSummary();
  }

  void Bind() override { executor_->Bind(); }
  void Unbind() override { executor_->Unbind(); }

  void Run() override {
    if (out_of_process_) {
      executor_->ForEachChunk(run_job_);
      return;
    }
    executor_->ForEachRange(
        n_, [this](std::size_t b, std::size_t e) { kernel_.chunk(x_ + b, y_ + b, e - b); },
        [this](std::size_t b, std::size_t e) { PrefetchInputs(b, e); });
    if (kernel_.fence != nullptr) kernel_.fence();
  }

  HostArrays ReadBack() override { return {x_, y_, n_}; }
  std::string Placement() const override { return executor_->Placement(); }
  // The executor's part is asked for each time: some know theirs only once they have run.
  std::string Summary() const override {
    return JoinSummaries(JoinSummaries(executor_->Summary(), kernel_.summary), pages_);
  }
  std::vector<std::string> Choices() const override { return choices_; }
  std::vector<EventCount> Events() const override { return executor_->Events(); }
  std::optional<Participation> LastParticipation() const override {
    return executor_->LastParticipation();
  }
  double AgreeOnSample(double batch_seconds) override {
    return executor_->AgreeOnSample(batch_seconds);
  }

 private:
  // A chunk function as this cell calls it: with the fence once per call when every range runs
  // on this thread and the kernel offers that split (ChunkFns), else fenced per range.
  struct Kernel {
    ChunkFn<T> chunk = nullptr;
    void (*fence)() = nullptr;
    std::string summary;
    std::string label;
  };
  Kernel KernelOf(const ChunkFns& fns) const {
    const bool fence_once = Unfenced<T>(fns) != nullptr && fns.fence != nullptr &&
                            !out_of_process_ && executor_->OnCallingThreadOnly();
    if (fence_once) return {Unfenced<T>(fns), fns.fence, fns.summary, fns.label};
    return {Fenced<T>(fns), nullptr, fns.summary, fns.label};
  }
  void Use(const Kernel& k) {
    kernel_ = k;
    if (out_of_process_) run_job_ = Job(nullptr);
  }

  // Times the kernel and its alternative on this cell's arrays, bound and spread as the timed
  // runs (untimed for the report), and keeps the faster: best of kProbeRounds alternating rounds.
  void ChooseByProbe() {
    const Kernel candidates[2] = {kernel_, *alternative_};
    double best[2] = {std::numeric_limits<double>::infinity(),
                      std::numeric_limits<double>::infinity()};
    executor_->Bind();
    Run();  // warm: caches, TLB, the executor's threads
    auto start = Clock::now();
    Run();
    const double once = std::max(SecondsBetween(start, Clock::now()), 1e-9);
    const auto calls = static_cast<int>(std::clamp(std::ceil(kProbeSeconds / once), 1.0, 1e6));
    for (int round = 0; round < kProbeRounds; ++round) {
      for (int i = 0; i < 2; ++i) {
        Use(candidates[i]);
        start = Clock::now();
        for (int call = 0; call < calls; ++call) Run();
        best[i] = std::min(best[i], SecondsBetween(start, Clock::now()) / calls);
      }
    }
    executor_->Unbind();
    const int chosen = best[1] < best[0] ? 1 : 0;
    Use(candidates[chosen]);
    const auto gbps = [this](double seconds) { return 2.0 * n_ * sizeof(T) / seconds / 1e9; };
    choices_.push_back(fmt::format(
        "{}: {:.1f} GB/s vs {:.1f} with {} (best of {} probe rounds)", candidates[chosen].label,
        gbps(best[chosen]), gbps(best[1 - chosen]), candidates[1 - chosen].label, kProbeRounds));
  }

  static std::string JoinSummaries(const std::string& a, const std::string& b) {
    return a.empty() || b.empty() ? a + b : a + ", " + b;
  }

  // Workers in other processes can run only a plain function: the harness's fills are one (a
  // FillFn holding anything else, as a test's may, fills here, on the calling thread).
  void FillOutOfProcess(const FillFn& fill) {
    executor_->Attach(x_buffer_.data(), x_buffer_.bytes(), y_buffer_.data(), y_buffer_.bytes());
    const FillRangeFn* plain = fill.target<FillRangeFn>();
    if (plain == nullptr) {
      fill(0, n_, x_, y_);
    } else {
      executor_->ForEachChunk(Job(*plain));
    }
    run_job_ = Job(nullptr);
  }

  ChunkJob Job(FillRangeFn fill) const {
    ChunkJob job{.dtype = std::is_same_v<T, float> ? DType::kF32 : DType::kF64,
                 .x = x_,
                 .y = y_,
                 .n = n_,
                 .fill = fill};
    if (fill == nullptr) {
      if constexpr (std::is_same_v<T, float>) job.f32 = kernel_.chunk;
      if constexpr (std::is_same_v<T, double>) job.f64 = kernel_.chunk;
    }
    return job;
  }

  // Only x: its loads are what a chunk waits for. Stores retire through the store buffer, and a
  // prefetch for write would undo what streaming stores save.
  void PrefetchInputs(std::size_t begin, std::size_t end) const {
    constexpr std::size_t kLine = 64 / sizeof(T);
    for (std::size_t i = begin; i < end; i += kLine) __builtin_prefetch(x_ + i, 0, 3);
  }

  // Huge pages are part of what ran, and THP is a request, not a promise: the summary says how
  // much of the arrays the kernel backed with them.
  void AddPagesToSummary() {
    if (!huge_pages_) return;
    const std::string policy = shared_ ? PageBuffer::SharedHugePagePolicy() : "";
    if (policy == "never" || policy == "deny") {
      pages_ = "no huge pages: shared memory, and shmem_enabled is " + policy + " here";
      return;
    }
    const double share = std::min(x_buffer_.HugePageShare(), y_buffer_.HugePageShare());
    std::string pages = "huge pages";
    if (share < 0) pages += ": share unknown";
    if (share >= 0 && share < 0.99) pages += fmt::format(": {:.0f}%", 100 * share);
    pages_ = pages;
  }

  std::size_t n_;
  std::size_t offset_;
  bool huge_pages_;
  bool out_of_process_;
  bool shared_ = false;  // the arrays are in shared memory
  std::unique_ptr<Executor> executor_;
  Kernel kernel_;
  std::optional<Kernel> alternative_;  // until Setup chooses between the two
  std::vector<std::string> choices_;
  std::string pages_;  // what the OS made of a request for huge pages; "" when none
  PageBuffer x_buffer_;
  PageBuffer y_buffer_;
  T* x_ = nullptr;
  T* y_ = nullptr;
  ChunkJob run_job_;
};

}  // namespace

std::unique_ptr<Cell> MakeChunkedCell(const CellParams& params, std::unique_ptr<Executor> executor,
                                      const ChunkFns& fns, bool out_of_process) {
  if (params.dtype == DType::kF32)
    return std::make_unique<ChunkedCell<float>>(params, std::move(executor), fns, out_of_process);
  return std::make_unique<ChunkedCell<double>>(params, std::move(executor), fns, out_of_process);
}

}  // namespace sqb
