// The CUDA square kernels (f32, f64) over the one element op of kernels/square.h, and their
// launch wrappers. C++17: nvcc here cannot compile C++20.
#include "cuda_square.h"
#include "squarebench/square.h"

namespace sqb::cuda {
namespace {

__device__ inline float SquareOf(float v) { return SqbSquareF32(v); }
__device__ inline double SquareOf(double v) { return SqbSquareF64(v); }

// Grid-stride loop: the grid is sized to the device, not to n, and each thread walks n in steps
// of the whole grid, so consecutive threads touch consecutive elements (coalesced).
template <typename T>
__global__ void Square(const T* __restrict__ x, T* __restrict__ y, std::size_t n) {
  const std::size_t stride = static_cast<std::size_t>(blockDim.x) * gridDim.x;
  for (std::size_t i = static_cast<std::size_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < n;
       i += stride)
    y[i] = SquareOf(x[i]);
}

template <typename T>
cudaError_t Launch(const T* x, T* y, std::size_t y_offset, std::size_t n, int blocks,
                   cudaStream_t stream) {
  Square<T><<<blocks, kThreadsPerBlock, 0, stream>>>(x, y + y_offset, n);
  return cudaGetLastError();
}

}  // namespace

cudaError_t LaunchSquareF32(const float* x, float* y, std::size_t y_offset, std::size_t n,
                            int blocks, cudaStream_t stream) {
  return Launch(x, y, y_offset, n, blocks, stream);
}

cudaError_t LaunchSquareF64(const double* x, double* y, std::size_t y_offset, std::size_t n,
                            int blocks, cudaStream_t stream) {
  return Launch(x, y, y_offset, n, blocks, stream);
}

}  // namespace sqb::cuda
