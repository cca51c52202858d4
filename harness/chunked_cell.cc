// The cell of every composed backend: an executor spreading a chunk kernel over host arrays.
#include "harness/chunked_cell.h"

#include <fmt/format.h>

#include <algorithm>
#include <string>

#include "squarebench/page_buffer.h"

namespace sqb {
namespace {

template <typename T>
class ChunkedCell final : public Cell {
 public:
  // fenced: the chunk function; unfenced and fence: the optional pair used instead when every
  // range runs on this thread (see ChunkFns).
  ChunkedCell(const CellParams& params, std::unique_ptr<Executor> executor, ChunkFn<T> fenced,
              ChunkFn<T> unfenced, void (*fence)(), std::string summary)
      : n_(params.elements),
        offset_(params.offset),
        huge_pages_(KnobValue(params, kHugePagesKnob.name) == "on"),
        executor_(std::move(executor)),
        summary_(JoinSummaries(executor_->Summary(), summary)) {
    const bool fence_once =
        unfenced != nullptr && fence != nullptr && executor_->OnCallingThreadOnly();
    chunk_ = fence_once ? unfenced : fenced;
    fence_ = fence_once ? fence : nullptr;
    if (chunk_ == nullptr)
      throw CellError("chunk kernel has no " + std::string(Name(params.dtype)));
  }

  void Setup(const FillFn& fill) override {
    x_buffer_ = PageBuffer(n_ * sizeof(T), huge_pages_);
    y_buffer_ = PageBuffer((n_ + offset_) * sizeof(T), huge_pages_);
    x_ = static_cast<T*>(x_buffer_.data());
    y_ = static_cast<T*>(y_buffer_.data()) + offset_;
    // First touch under the same binding and split as the timed runs.
    executor_->Bind();
    executor_->ForEachRange(
        n_, [&](std::size_t b, std::size_t e) { fill(b, e, x_, y_); },
        [](std::size_t, std::size_t) {});
    executor_->Unbind();
    AddPagesToSummary();
  }

  void Bind() override { executor_->Bind(); }
  void Unbind() override { executor_->Unbind(); }

  void Run() override {
    executor_->ForEachRange(
        n_, [this](std::size_t b, std::size_t e) { chunk_(x_ + b, y_ + b, e - b); },
        [this](std::size_t b, std::size_t e) { PrefetchInputs(b, e); });
    if (fence_ != nullptr) fence_();
  }

  HostArrays ReadBack() override { return {x_, y_, n_}; }
  std::string Placement() const override { return executor_->Placement(); }
  std::string Summary() const override { return summary_; }
  std::vector<EventCount> Events() const override { return executor_->Events(); }

 private:
  static std::string JoinSummaries(const std::string& a, const std::string& b) {
    return a.empty() || b.empty() ? a + b : a + ", " + b;
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
    const double share = std::min(x_buffer_.HugePageShare(), y_buffer_.HugePageShare());
    std::string pages = "huge pages";
    if (share < 0) pages += ": share unknown";
    if (share >= 0 && share < 0.99) pages += fmt::format(": {:.0f}%", 100 * share);
    summary_ = JoinSummaries(summary_, pages);
  }

  std::size_t n_;
  std::size_t offset_;
  bool huge_pages_;
  std::unique_ptr<Executor> executor_;
  std::string summary_;
  ChunkFn<T> chunk_ = nullptr;
  void (*fence_)() = nullptr;
  PageBuffer x_buffer_;
  PageBuffer y_buffer_;
  T* x_ = nullptr;
  T* y_ = nullptr;
};

}  // namespace

std::unique_ptr<Cell> MakeChunkedCell(const CellParams& params, std::unique_ptr<Executor> executor,
                                      const ChunkFns& fns) {
  if (params.dtype == DType::kF32)
    return std::make_unique<ChunkedCell<float>>(params, std::move(executor), fns.f32,
                                                fns.f32_unfenced, fns.fence, fns.summary);
  return std::make_unique<ChunkedCell<double>>(params, std::move(executor), fns.f64,
                                               fns.f64_unfenced, fns.fence, fns.summary);
}

}  // namespace sqb
