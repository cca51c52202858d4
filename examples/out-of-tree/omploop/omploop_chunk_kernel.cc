// The omploop chunk kernel: the reference element op under `#pragma omp simd`, a backend that
// brings its own library (OpenMP, found by its line in CMakeLists.txt) and reports its version.
#include <cstddef>
#include <string>

#include "squarebench/executor.h"
#include "squarebench/registration.h"
#include "squarebench/square.h"

namespace example {
namespace {

template <typename T>
void SquareSimd(const T* x, T* y, std::size_t n) {
#pragma omp simd
  for (std::size_t i = 0; i < n; ++i) y[i] = sqb::Square(x[i]);
}

SQB_REGISTER_CHUNK_KERNEL((sqb::ChunkKernelInfo{
    .name = "omploop",
    .description = "OpenMP simd loop",
    .provenance = {.fingerprint =
                       [] {
                         return sqb::FingerprintLines{
                             {"example.openmp_simd", "_OPENMP " + std::to_string(_OPENMP)}};
                       },
                   .environment_prefixes = {"OMP_"}},
    .resolve =
        [](const sqb::CellParams&) {
          return sqb::ChunkFns{SquareSimd<float>, SquareSimd<double>, "omp simd"};
        },
}));

}  // namespace
}  // namespace example
