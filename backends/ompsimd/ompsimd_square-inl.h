// The ompsimd loop: the plain loop under `#pragma omp simd` (-fopenmp-simd: the directive, no
// runtime). Compiled once per x86 level, in namespace SQB_ISA_NAMESPACE (see isa.h).
#include <cstddef>

#include "squarebench/isa_kernels.h"
#include "squarebench/square.h"

namespace sqb::SQB_ISA_NAMESPACE {
namespace {

// The directive asserts no dependence between iterations: the compiler vectorises at the width
// it picks for the level. `nontemporal(y)` (OpenMP 5.0) would ask for streaming stores; GCC 12
// accepts it and emits regular stores, so it is not offered.
template <typename T>
void SquareChunk(const T* x, T* y, std::size_t n) {
#pragma omp simd
  for (std::size_t i = 0; i < n; ++i) y[i] = Square<T>(x[i]);
}

}  // namespace

constinit const IsaKernels kKernels{SQB_ISA_LEVEL, SquareChunk<float>, SquareChunk<double>};

}  // namespace sqb::SQB_ISA_NAMESPACE
