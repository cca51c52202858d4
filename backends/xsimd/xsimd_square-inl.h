// The xsimd loop: xsimd::batch at the best architecture the level's flags allow (avx512bw,
// fma3<avx2>, sse4_2, sse2). Compiled once per x86 level, in namespace SQB_ISA_NAMESPACE.
#include <cstddef>
#include <xsimd/xsimd.hpp>

#include "squarebench/isa_kernels.h"
#include "squarebench/square.h"

namespace sqb::SQB_ISA_NAMESPACE {
namespace {

using Arch = xsimd::default_arch;
template <typename T>
using Batch = xsimd::batch<T, Arch>;

// Whole batches, then the scalar remainder. xsimd 8.1 has no streaming store: regular stores only.
template <typename T>
void SquareChunk(const T* x, T* y, std::size_t n) {
  std::size_t i = 0;
  for (; i + Batch<T>::size <= n; i += Batch<T>::size) {
    const Batch<T> v = Batch<T>::load_unaligned(x + i);
    (v * v).store_unaligned(y + i);
  }
  for (; i < n; ++i) y[i] = Square<T>(x[i]);
}

}  // namespace

constinit const IsaKernels kKernels{SQB_ISA_LEVEL, SquareChunk<float>, SquareChunk<double>,
                                    Batch<float>::size, Batch<double>::size};

}  // namespace sqb::SQB_ISA_NAMESPACE
