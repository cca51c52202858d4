// Launch wrappers for the CUDA kernels, square and copy: plain C++, defined in cuda_square.cu by
// nvcc.
#pragma once

#include <cuda_runtime_api.h>

#include <cstddef>

namespace sqb::cuda {

// Threads per block of every launch: a multiple of the warp size that fills an SM in whole blocks.
inline constexpr int kThreadsPerBlock = 256;
// Independent elements each thread loads before it stores any: the loads a thread keeps in
// flight. One per thread leaves a GPU's memory system mostly idle (an H200 needs tens of MiB in
// flight to reach its bandwidth); a whole grid of four keeps it busy.
inline constexpr int kElementsPerThread = 4;

// What a kernel writes to y[y_offset + i] for x[i]: its square, or x[i] itself (the copy ceiling,
// with the square kernel's launch shape and access pattern).
enum class Map { kSquare, kCopy };

// Queues y[y_offset + i] = map(x[i]) for i in [0, n) on `stream`, as `blocks` blocks of
// kThreadsPerBlock threads striding over n (any blocks >= 1 covers any n >= 1). Returns the
// launch's error only; the kernel's own errors surface at the next synchronisation.
cudaError_t LaunchF32(Map map, const float* x, float* y, std::size_t y_offset, std::size_t n,
                      int blocks, cudaStream_t stream);
cudaError_t LaunchF64(Map map, const double* x, double* y, std::size_t y_offset, std::size_t n,
                      int blocks, cudaStream_t stream);

}  // namespace sqb::cuda
