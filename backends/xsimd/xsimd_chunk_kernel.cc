// The xsimd chunk kernel: xsimd::batch compiled per x86 level (xsimd_square-inl.h); `auto` is
// xsimd's own dispatch (xsimd::dispatch over its architectures), the levels forced by name.
#include <array>
#include <string>
#include <type_traits>
#include <xsimd/xsimd.hpp>

#include "squarebench/isa.h"
#include "squarebench/registration.h"
#include "xsimd_isa_kernels.h"

namespace sqb {
namespace {

// xsimd's architecture for each level, best first, as each level's flags make it
// (xsimd::default_arch in xsimd_square-inl.h).
#if defined(__x86_64__) || defined(__i386__)
using Archs =
    xsimd::arch_list<xsimd::avx512bw, xsimd::fma3<xsimd::avx2>, xsimd::sse4_2, xsimd::sse2>;
#else
using Archs = xsimd::arch_list<xsimd::default_arch>;
#endif

template <class Arch>
constexpr IsaLevel LevelOf() {
  const std::string_view name = Arch::name();
  if (name == "avx512bw") return IsaLevel::kAvx3;
  if (name == "fma3+avx2") return IsaLevel::kAvx2;
  if (name == "sse4.2") return IsaLevel::kSse4;
  return IsaLevel::kSse2;
}

const IsaKernels& KernelsOf(IsaLevel level) {
  static const std::array<IsaKernels, 4> by_level = [] {
    std::array<IsaKernels, 4> table{};
    for (const auto& k : xsimd_isa::Compiled()) table[static_cast<int>(k.level)] = k;
    return table;
  }();
  return by_level[static_cast<int>(level)];
}

// xsimd's dispatch calls these with the architecture it picked for this CPU.
struct SquareOnArch {
  template <class Arch, typename T>
  void operator()(Arch, const T* x, T* y, std::size_t n) const {
    const IsaKernels& k = KernelsOf(LevelOf<Arch>());
    if constexpr (std::is_same_v<T, float>) {
      k.f32(x, y, n);
    } else {
      k.f64(x, y, n);
    }
  }
};
struct LevelOnArch {
  template <class Arch>
  IsaLevel operator()(Arch) const {
    return LevelOf<Arch>();
  }
};

template <typename T>
void DispatchedSquare(const T* x, T* y, std::size_t n) {
  static auto dispatched = xsimd::dispatch<Archs>(SquareOnArch{});
  dispatched(x, y, n);
}

IsaLevel DispatchedLevel() { return xsimd::dispatch<Archs>(LevelOnArch{})(); }

// The levels and the dispatch this CPU runs; xsimd 8.1 reads CPUID only (not whether the OS
// saves the wider registers), so a forced level is checked as every per-ISA kernel's is.
ChunkKernelInfo Info() {
  ChunkKernelInfo info = PerIsaChunkKernel("xsimd", "xsimd::batch", xsimd_isa::Compiled());
  info.description = std::string("xsimd::batch (auto: here ") + IsaName(DispatchedLevel()) +
                     " by xsimd::dispatch; one translation unit per level)";
  info.resolve = [forced = info.resolve](const CellParams& p) {
    if (p.variant != kIsaDispatchVariant) return forced(p);
    return ChunkFns{
        DispatchedSquare<float>, DispatchedSquare<double>,
        IsaSummary(KernelsOf(DispatchedLevel()), p.dtype) + " (xsimd::dispatch), regular stores"};
  };
  return info;
}

SQB_REGISTER_CHUNK_KERNEL(Info());

}  // namespace
}  // namespace sqb
