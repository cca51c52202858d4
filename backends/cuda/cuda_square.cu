// The CUDA kernels (f32, f64): the one element op of kernels/square.h, and a copy with the same
// shape for its ceiling; and their launch wrappers. C++17: nvcc here cannot compile C++20.
#include "cuda_square.h"
#include "squarebench/square.h"

namespace sqb::cuda {
namespace {

__device__ inline float SquareOf(float v) { return SqbSquareF32(v); }
__device__ inline double SquareOf(double v) { return SqbSquareF64(v); }

template <Map kMap, typename T>
__device__ inline T Apply(T v) {
  if constexpr (kMap == Map::kSquare) {
    return SquareOf(v);
  } else {
    return v;
  }
}

// Grid-stride loop: the grid is sized to the device, not to n, and each thread walks n in steps
// of the whole grid, so consecutive threads touch consecutive elements (coalesced). Each step
// loads kElementsPerThread elements a grid apart before storing any, so that each thread has that
// many loads in flight; the last, shorter step takes one element at a time.
template <Map kMap, typename T>
__global__ void MapKernel(const T* __restrict__ x, T* __restrict__ y, std::size_t n) {
  const std::size_t stride = static_cast<std::size_t>(blockDim.x) * gridDim.x;
  std::size_t i = static_cast<std::size_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  for (; i + (kElementsPerThread - 1) * stride < n; i += kElementsPerThread * stride) {
    T v[kElementsPerThread];
#pragma unroll
    for (int k = 0; k < kElementsPerThread; ++k) v[k] = x[i + k * stride];
#pragma unroll
    for (int k = 0; k < kElementsPerThread; ++k) y[i + k * stride] = Apply<kMap>(v[k]);
  }
  for (; i < n; i += stride) y[i] = Apply<kMap>(x[i]);
}

template <typename T>
cudaError_t Launch(Map map, const T* x, T* y, std::size_t y_offset, std::size_t n, int blocks,
                   cudaStream_t stream) {
  if (map == Map::kSquare) {
    MapKernel<Map::kSquare, T><<<blocks, kThreadsPerBlock, 0, stream>>>(x, y + y_offset, n);
  } else {
    MapKernel<Map::kCopy, T><<<blocks, kThreadsPerBlock, 0, stream>>>(x, y + y_offset, n);
  }
  return cudaGetLastError();
}

}  // namespace

cudaError_t LaunchF32(Map map, const float* x, float* y, std::size_t y_offset, std::size_t n,
                      int blocks, cudaStream_t stream) {
  return Launch(map, x, y, y_offset, n, blocks, stream);
}

cudaError_t LaunchF64(Map map, const double* x, double* y, std::size_t y_offset, std::size_t n,
                      int blocks, cudaStream_t stream) {
  return Launch(map, x, y, y_offset, n, blocks, stream);
}

}  // namespace sqb::cuda
