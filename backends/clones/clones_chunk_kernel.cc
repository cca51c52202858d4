// The clones chunk kernel: the plain loop, vectorised by GCC once per ISA level. `auto` is one
// function with target_clones, which the loader resolves for this CPU (an ifunc); the levels are
// forced through copies of the loop with target(...) at Highway's flags (isa.h).
#include <string>
#include <vector>

#include "squarebench/isa.h"
#include "squarebench/registration.h"
#include "squarebench/square.h"

namespace sqb {
namespace {

// The loop of the scalar kernel, inlined into each copy and vectorised with that copy's ISA.
template <typename T>
[[gnu::always_inline]] inline void PlainLoop(const T* x, T* y, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) y[i] = Square<T>(x[i]);
}

}  // namespace
}  // namespace sqb

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define SQB_CLONES_X86 1
// GCC takes one option per clone, so the dispatched clones are the x86-64 levels nearest to
// Highway's flags: v4 = AVX3's + avx512cd, v3 = AVX2's + lzcnt, movbe, v2 = SSE4's + ssse3, cx16.
#define SQB_CLONES target_clones("arch=x86-64-v4", "arch=x86-64-v3", "arch=x86-64-v2", "default")
// C names, so that the clones and their resolver (GCC: "<name>.<clone>", "<name>.resolver") can
// be named below.
extern "C" {
__attribute__((SQB_CLONES)) void sqb_clones_square_f32(const float* x, float* y, std::size_t n) {
  sqb::PlainLoop(x, y, n);
}
__attribute__((SQB_CLONES)) void sqb_clones_square_f64(const double* x, double* y, std::size_t n) {
  sqb::PlainLoop(x, y, n);
}
// What the loader's resolver returns on this CPU, and the clones it may return.
void* sqb_clones_resolver() __asm__("sqb_clones_square_f32.resolver");
void sqb_clones_v4() __asm__("sqb_clones_square_f32.arch_x86_64_v4");
void sqb_clones_v3() __asm__("sqb_clones_square_f32.arch_x86_64_v3");
void sqb_clones_v2() __asm__("sqb_clones_square_f32.arch_x86_64_v2");
void sqb_clones_default() __asm__("sqb_clones_square_f32.default");
}

// The forced copies, each level in its own namespace (named for the objdump test's allowlist).
#define SQB_FORCED_COPY(level, flags)                                                          \
  namespace sqb::clones_##level {                                                              \
    __attribute__((target(flags))) void SquareF32(const float* x, float* y, std::size_t n) {   \
      PlainLoop(x, y, n);                                                                      \
    }                                                                                          \
    __attribute__((target(flags))) void SquareF64(const double* x, double* y, std::size_t n) { \
      PlainLoop(x, y, n);                                                                      \
    }                                                                                          \
  }
SQB_FORCED_COPY(avx3, "avx512f,avx512vl,avx512dq,avx512bw")
SQB_FORCED_COPY(avx2, "avx2,fma,bmi,bmi2,f16c")
SQB_FORCED_COPY(sse4, "sse4.2,popcnt")
#endif

namespace sqb {
namespace {

void SquareF32(const float* x, float* y, std::size_t n) { PlainLoop(x, y, n); }
void SquareF64(const double* x, double* y, std::size_t n) { PlainLoop(x, y, n); }

std::vector<IsaKernels> Forced() {
#ifdef SQB_CLONES_X86
  return {{IsaLevel::kAvx3, clones_avx3::SquareF32, clones_avx3::SquareF64},
          {IsaLevel::kAvx2, clones_avx2::SquareF32, clones_avx2::SquareF64},
          {IsaLevel::kSse4, clones_sse4::SquareF32, clones_sse4::SquareF64},
          {IsaLevel::kSse2, SquareF32, SquareF64}};
#else
  return {{IsaLevel::kSse2, SquareF32, SquareF64}};
#endif
}

// The clone the resolver picks here, by address.
std::string ResolvedClone() {
#ifdef SQB_CLONES_X86
  const void* picked = sqb_clones_resolver();
  const std::pair<void (*)(), const char*> clones[] = {{sqb_clones_v4, "x86-64-v4"},
                                                       {sqb_clones_v3, "x86-64-v3"},
                                                       {sqb_clones_v2, "x86-64-v2"},
                                                       {sqb_clones_default, "default"}};
  for (const auto& [fn, name] : clones)
    if (reinterpret_cast<const void*>(fn) == picked) return name;
  return "unknown";
#else
  return "none (no target_clones here)";
#endif
}

ChunkKernelInfo Info() {
  ChunkKernelInfo info = PerIsaChunkKernel("clones", "the plain loop", Forced());
  const std::string resolved = ResolvedClone();
  // In the default run on one core and under OpenMP: what one attribute on the plain loop buys,
  // with no per-ISA build and no library.
  info.in_default_run = true;
  info.default_executors = {kSerialExecutor, "openmp"};
  info.description = "plain loop, GCC target_clones (auto: the loader picked " + resolved +
                     "; levels: target(...) copies)";
  info.resolve = [forced = info.resolve, resolved](const CellParams& p) {
    if (p.variant != kIsaDispatchVariant) return forced(p);
#ifdef SQB_CLONES_X86
    return ChunkFns{sqb_clones_square_f32, sqb_clones_square_f64,
                    resolved + " (target_clones), regular stores"};
#else
    return ChunkFns{SquareF32, SquareF64, "the plain loop, regular stores"};
#endif
  };
  return info;
}

SQB_REGISTER_CHUNK_KERNEL(Info());

}  // namespace
}  // namespace sqb
