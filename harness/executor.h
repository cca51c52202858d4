// Executors spread a range over threads; chunk kernels compute one chunk. Backends compose the two.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "harness/backend.h"
#include "harness/function_ref.h"

namespace sqb {

using RangeFn = FunctionRef<void(std::size_t begin, std::size_t end)>;

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
};

struct ExecutorInfo {
  std::string name;
  std::string description;
  bool parallel = false;
  bool in_default_run = false;
  std::vector<KnobInfo> knobs;
  std::function<std::string()> unavailable_reason;  // "" when it can run here
  std::function<std::unique_ptr<Executor>(const CellParams&)> make;
};

// How one chunk is computed: y[i] = op(x[i]) for i in [0, n). Pointers may have any alignment.
// Runs on the executor's threads and returns with its stores ordered (a kernel using
// non-temporal stores fences before returning).
template <typename T>
using ChunkFn = void (*)(const T* x, T* y, std::size_t n);

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
};

struct ChunkKernelInfo {
  std::string name;
  std::string description;
  Operation operation = Operation::kSquare;
  bool in_default_run = false;
  // When non-empty, the default run composes this kernel only with these executors.
  std::vector<std::string> default_executors;
  std::vector<std::string> variants;  // empty when none; [0] is the default
  std::vector<KnobInfo> knobs;
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

inline constexpr char kSerialExecutor[] = "serial";
inline constexpr char kScalarChunkKernel[] = "scalar";
// The chunk kernels the copy ceilings are made of (backends/memcpy, backends/highway).
inline constexpr char kMemcpyChunkKernel[] = "memcpy";
inline constexpr char kCopyChunkKernel[] = "copy";

}  // namespace sqb
