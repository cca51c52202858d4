// Executors spread a range over threads; chunk kernels compute one chunk. Backends compose the two.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "squarebench/backend.h"
#include "squarebench/dtype.h"
#include "squarebench/function_ref.h"

namespace sqb {

using RangeFn = FunctionRef<void(std::size_t begin, std::size_t end)>;

// How one chunk is computed: y[i] = op(x[i]) for i in [0, n). Pointers may have any alignment.
// Runs on the executor's threads and returns with its stores ordered (a kernel using
// non-temporal stores fences before returning).
template <typename T>
using ChunkFn = void (*)(const T* x, T* y, std::size_t n);

// Writes x[begin, end) with the inputs and y[begin, end) with a poison value (see FillFn).
using FillRangeFn = void (*)(std::size_t begin, std::size_t end, void* x, void* y);

// One call of an out-of-process executor, as plain data that can be copied into shared memory:
// what a worker in another process needs to compute its ranges. The arrays are in memory shared
// with every process forked after Executor::Attach; the function pointers are valid in processes
// forked from this one (the same image), not in other executables.
struct ChunkJob {
  DType dtype = DType::kF32;
  void* x = nullptr;
  void* y = nullptr;  // the offset already applied
  std::size_t n = 0;
  // Exactly one is set: the first touch, or the chunk function of `dtype`.
  FillRangeFn fill = nullptr;
  ChunkFn<float> f32 = nullptr;
  ChunkFn<double> f64 = nullptr;
};

// What a worker calls for each of its ranges.
inline void RunChunkJob(const ChunkJob& job, std::size_t begin, std::size_t end) {
  if (job.fill != nullptr) {
    job.fill(begin, end, job.x, job.y);
  } else if (job.dtype == DType::kF32) {
    job.f32(static_cast<const float*>(job.x) + begin, static_cast<float*>(job.y) + begin,
            end - begin);
  } else {
    job.f64(static_cast<const double*>(job.x) + begin, static_cast<double*>(job.y) + begin,
            end - begin);
  }
}

// How work is spread. One instance per cell, configured from its params (threads, binding, knobs).
class Executor {
 public:
  virtual ~Executor() = default;
  // Calls body over disjoint ranges covering [0, n) and returns when all are done. The split must
  // depend only on n and the params, so the first touch in Setup and every timed Run map the same
  // pages to the same threads. prefetch(begin, end) is a hint that body(begin, end) comes soon;
  // an executor that does other work in between may call it first, others ignore it.
  virtual void ForEachRange(std::size_t n, RangeFn body, RangeFn prefetch) = 0;
  // Pin / unpin the executor's threads as the binding asks (untimed, around each batch).
  virtual void Bind() {}
  virtual void Unbind() {}
  virtual std::string Placement() const = 0;
  // True when every range of ForEachRange runs on the calling thread.
  virtual bool OnCallingThreadOnly() const { return false; }
  // How the work was spread, beyond the name and placement (e.g. "16 tasks x 4096"); may be "".
  virtual std::string Summary() const { return ""; }
  // Events of the last ForEachRange call (see Cell::Events).
  virtual std::vector<EventCount> Events() const { return {}; }
  // Who ran the last call (see Cell::LastParticipation).
  virtual std::optional<Participation> LastParticipation() const { return std::nullopt; }
  // Across processes, after each timed batch (see Cell::AgreeOnSample).
  virtual double AgreeOnSample(double batch_seconds) { return batch_seconds; }

  // Out-of-process executors only (ExecutorInfo::out_of_process), which the harness calls instead
  // of ForEachRange. Attach: untimed, once, when the cell's arrays exist in shared memory; workers
  // forked from here on share them at the same addresses. ForEachChunk: as ForEachRange, with the
  // work described by `job` instead of a closure; RunChunkJob computes one range of it. Its
  // workers end with it: the destructor waits for every process it started.
  virtual void Attach(void* /*x_base*/, std::size_t /*x_bytes*/, void* /*y_base*/,
                      std::size_t /*y_bytes*/) {}
  virtual void ForEachChunk(const ChunkJob& /*job*/) {
    throw CellError("this executor does not run chunks out of process");
  }
  // Out-of-process executors only: false when the workers get x and send y back some other way
  // (over pipes), so the arrays stay private to the caller and Attach's workers never see them.
  virtual bool WantsSharedArrays() const { return true; }
};

struct ExecutorInfo {
  std::string name;
  std::string description;
  bool parallel = false;
  bool in_default_run = false;
  std::vector<KnobInfo> knobs;
  // Its ranges run in other processes: arrays go to shared memory and ForEachChunk replaces
  // ForEachRange (see Executor::Attach).
  bool out_of_process = false;
  Provenance provenance;
  std::function<std::string()> unavailable_reason;  // "" when it can run here
  std::function<std::unique_ptr<Executor>(const CellParams&)> make;
};

struct ChunkFns {
  ChunkFn<float> f32 = nullptr;
  ChunkFn<double> f64 = nullptr;
  std::string summary;  // what was resolved, for the report; may be ""
  // Optional, for kernels that fence: the same functions without the closing fence, and the fence
  // alone (for the calling thread). An executor whose ranges all run on the calling thread then
  // fences once per call instead of once per range.
  ChunkFn<float> f32_unfenced = nullptr;
  ChunkFn<double> f64_unfenced = nullptr;
  void (*fence)() = nullptr;
  // Optional, for a choice left to measurement (as `--stores auto`): another way to compute the
  // same chunks. The cell times both on its own arrays, spread and bound as its timed runs, after
  // its first touch, and keeps the faster; its Choices() say which, with the two speeds.
  std::shared_ptr<const ChunkFns> alternative;
  std::string label;  // with an alternative: what tells the two apart, e.g. "streaming stores"
};

struct ChunkKernelInfo {
  std::string name;
  std::string description;
  Operation operation = Operation::kSquare;
  bool in_default_run = false;
  // When non-empty, the default run composes this kernel only with these executors.
  std::vector<std::string> default_executors;
  LazyList variants;  // empty when none; [0] is the default
  std::vector<KnobInfo> knobs;
  // A copy ceiling (operation kCopy): composed with each executor, it is measured next to every
  // square backend of that executor, once per entry here (knob values that replace the rated
  // cell's), or once with the rated cell's own knobs when this is empty.
  bool copy_ceiling = false;
  std::vector<std::map<std::string, std::string>> ceiling_knobs;
  Provenance provenance;
  std::function<std::string(const std::string& variant)> unavailable_reason;
  // The chunk functions for a cell's params (variant, knobs, size), as resolved on this machine.
  std::function<ChunkFns(const CellParams&)> resolve;
};

// The name of executor `e` composed with chunk kernel `k`: the serial executor and the scalar
// kernel are implied, so serial+scalar = "serial", openmp+scalar = "openmp", serial+memcpy =
// "memcpy", openmp+memcpy = "openmp+memcpy".
std::string ComposeName(const std::string& e, const std::string& k);

// The index-th of `parts` contiguous ranges splitting [0, n), with inner boundaries on multiples of
// kSplitAlign elements, so no two threads write one cache line of an aligned array.
inline constexpr std::size_t kSplitAlign = 16;
struct Range {
  std::size_t begin;
  std::size_t end;
};
inline Range StaticRange(std::size_t n, std::size_t parts, std::size_t index) {
  const std::size_t blocks = (n + kSplitAlign - 1) / kSplitAlign;
  const std::size_t per = blocks / parts, extra = blocks % parts;
  const std::size_t first = index * per + (index < extra ? index : extra);
  const std::size_t last = first + per + (index < extra ? 1 : 0);
  const auto clamp = [n](std::size_t block) {
    return block * kSplitAlign < n ? block * kSplitAlign : n;
  };
  return {clamp(first), clamp(last)};
}

// The executor and the chunk kernel a composed name leaves implied; both are always built.
inline constexpr char kSerialExecutor[] = "serial";
inline constexpr char kScalarChunkKernel[] = "scalar";

}  // namespace sqb
