// Launch wrappers for the CUDA square kernels: plain C++, defined in cuda_square.cu by nvcc.
#pragma once

#include <cuda_runtime_api.h>

#include <cstddef>

namespace sqb::cuda {

// Threads per block of every launch: a multiple of the warp size that fills an SM in whole blocks.
inline constexpr int kThreadsPerBlock = 256;

// Queues y[y_offset + i] = x[i] * x[i] for i in [0, n) on `stream`, as `blocks` blocks of
// kThreadsPerBlock threads striding over n (any blocks >= 1 covers any n >= 1). Returns the
// launch's error only; the kernel's own errors surface at the next synchronisation.
cudaError_t LaunchSquareF32(const float* x, float* y, std::size_t y_offset, std::size_t n,
                            int blocks, cudaStream_t stream);
cudaError_t LaunchSquareF64(const double* x, double* y, std::size_t y_offset, std::size_t n,
                            int blocks, cudaStream_t stream);

}  // namespace sqb::cuda
