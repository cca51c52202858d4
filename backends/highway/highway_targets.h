// The Highway square and copy kernels of every compiled target, and the runtime-dispatched ones.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "squarebench/executor.h"

namespace sqb {

struct HighwayKernels {
  ChunkFn<float> f32 = nullptr;
  ChunkFn<double> f64 = nullptr;
};

// One operation's kernels under each store policy.
struct HighwayKernelSet {
  HighwayKernels regular;
  HighwayKernels streaming;           // non-temporal stores, fenced before each chunk returns
  HighwayKernels streaming_unfenced;  // the same, with the fence left to the caller (FenceStreams)
};

// One compiled target: its Highway bit and name ("AVX3"), lane counts, and kernels.
struct HighwayTarget {
  std::int64_t bit = 0;
  std::string name;
  std::size_t lanes_f32 = 0;
  std::size_t lanes_f64 = 0;
  HighwayKernelSet square;
  HighwayKernelSet copy;
};

// Every target compiled in, best first.
const std::vector<HighwayTarget>& CompiledHighwayTargets();

// Kernels that dispatch at each call (HWY_DYNAMIC_DISPATCH) to the best target this CPU supports,
// and that target (as hwy::SupportedTargets(), or the test mock of it, allows).
HighwayKernelSet DispatchedHighwayKernels(Operation op);
const HighwayTarget& DispatchedHighwayTarget();
// Orders the calling thread's non-temporal stores (sfence), after unfenced streaming kernels.
void FenceStreams();

}  // namespace sqb
