// What a per-ISA translation unit (squarebench_add_backend's PER_ISA) defines: its level and its
// kernels. Only <cstddef> besides: it is compiled once per level, and isa.h has the rest.
#pragma once

#include <cstddef>

namespace sqb {

// Best first. Each level's compile flags are Highway's for its target of that name, so a
// per-ISA kernel and `highway@<level>` are compared at equal ISA (cmake/SquarebenchBackends.cmake):
// AVX3 = -mavx512f -mavx512vl -mavx512dq -mavx512bw, AVX2 = -mavx2 -mfma -mbmi -mbmi2 -mf16c,
// SSE4 = -msse4.2 -mpopcnt, SSE2 = the project's own flags (x86-64's baseline).
enum class IsaLevel { kAvx3, kAvx2, kSse4, kSse2 };

// One level's kernels, defined by a per-ISA translation unit as constant data (no code of that
// TU may run before the CPU is checked: no static initialisers there). Lanes are 0 where the
// compiler, not the model, chooses the vector width.
struct IsaKernels {
  IsaLevel level = IsaLevel::kSse2;
  void (*f32)(const float* x, float* y, std::size_t n) = nullptr;  // a ChunkFn<float>
  void (*f64)(const double* x, double* y, std::size_t n) = nullptr;
  std::size_t lanes_f32 = 0;
  std::size_t lanes_f64 = 0;
};

}  // namespace sqb
