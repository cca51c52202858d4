// The cell of every composed backend: an executor spreading a chunk kernel over host arrays.
#include "harness/chunked_cell.h"

#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <type_traits>

#include "squarebench/page_buffer.h"

namespace sqb {
namespace {

template <typename T>
class ChunkedCell final : public Cell {
 public:
  // fenced: the chunk function; unfenced and fence: the optional pair used instead when every
  // range runs on this thread (see ChunkFns).
  ChunkedCell(const CellParams& params, std::unique_ptr<Executor> executor, ChunkFn<T> fenced,
              ChunkFn<T> unfenced, void (*fence)(), std::string summary, bool out_of_process)
      : n_(params.elements),
        offset_(params.offset),
        huge_pages_(KnobValue(params, kHugePagesKnob.name) == "on"),
        out_of_process_(out_of_process),
        executor_(std::move(executor)),
        kernel_summary_(std::move(summary)) {
    const bool fence_once = unfenced != nullptr && fence != nullptr && !out_of_process &&
                            executor_->OnCallingThreadOnly();
    chunk_ = fence_once ? unfenced : fenced;
    fence_ = fence_once ? fence : nullptr;
    if (chunk_ == nullptr)
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
        n_, [this](std::size_t b, std::size_t e) { chunk_(x_ + b, y_ + b, e - b); },
        [this](std::size_t b, std::size_t e) { PrefetchInputs(b, e); });
    if (fence_ != nullptr) fence_();
  }

  HostArrays ReadBack() override { return {x_, y_, n_}; }
  std::string Placement() const override { return executor_->Placement(); }
  // The executor's part is asked for each time: some know theirs only once they have run.
  std::string Summary() const override {
    return JoinSummaries(JoinSummaries(executor_->Summary(), kernel_summary_), pages_);
  }
  std::vector<EventCount> Events() const override { return executor_->Events(); }
  std::optional<Participation> LastParticipation() const override {
    return executor_->LastParticipation();
  }
  double AgreeOnSample(double batch_seconds) override {
    return executor_->AgreeOnSample(batch_seconds);
  }

 private:
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
      if constexpr (std::is_same_v<T, float>) job.f32 = chunk_;
      if constexpr (std::is_same_v<T, double>) job.f64 = chunk_;
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
  std::string kernel_summary_;
  std::string pages_;  // what the OS made of a request for huge pages; "" when none
  ChunkFn<T> chunk_ = nullptr;
  void (*fence_)() = nullptr;
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
    return std::make_unique<ChunkedCell<float>>(params, std::move(executor), fns.f32,
                                                fns.f32_unfenced, fns.fence, fns.summary,
                                                out_of_process);
  return std::make_unique<ChunkedCell<double>>(params, std::move(executor), fns.f64,
                                               fns.f64_unfenced, fns.fence, fns.summary,
                                               out_of_process);
}

}  // namespace sqb
