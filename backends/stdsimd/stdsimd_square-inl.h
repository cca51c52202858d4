// The stdsimd loop: std::experimental::native_simd (Parallelism TS v2, libstdc++), whose width
// follows the compile flags. Compiled once per x86 level, in namespace SQB_ISA_NAMESPACE.
#include <cstddef>
#include <experimental/simd>

#include "squarebench/isa_kernels.h"
#include "squarebench/square.h"

namespace sqb::SQB_ISA_NAMESPACE {
namespace {

namespace stdx = std::experimental;

// Whole vectors, then the scalar remainder: the TS has no partial load or store. Nor has it a
// streaming store, so only regular stores.
template <typename T>
void SquareChunk(const T* x, T* y, std::size_t n) {
  using V = stdx::native_simd<T>;
  std::size_t i = 0;
  for (; i + V::size() <= n; i += V::size()) {
    const V v(x + i, stdx::element_aligned);
    (v * v).copy_to(y + i, stdx::element_aligned);
  }
  for (; i < n; ++i) y[i] = Square<T>(x[i]);
}

}  // namespace

constinit const IsaKernels kKernels{SQB_ISA_LEVEL, SquareChunk<float>, SquareChunk<double>,
                                    stdx::native_simd<float>::size(),
                                    stdx::native_simd<double>::size()};

}  // namespace sqb::SQB_ISA_NAMESPACE
