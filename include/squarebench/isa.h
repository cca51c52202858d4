// x86 instruction-set levels for chunk kernels compiled once per level (squarebench_add_backend's
// PER_ISA): the levels, whether this CPU runs each, and the variants a kernel offers.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "squarebench/executor.h"
#include "squarebench/isa_kernels.h"

namespace sqb {

struct IsaNames {
  const char* name;     // as rows show it: "AVX3"
  const char* variant;  // as a variant is asked for, like Highway's targets: "avx3"
};
inline IsaNames NamesOf(IsaLevel level) {
  switch (level) {
    case IsaLevel::kAvx3:
      return {"AVX3", "avx3"};
    case IsaLevel::kAvx2:
      return {"AVX2", "avx2"};
    case IsaLevel::kSse4:
      return {"SSE4", "sse4"};
    case IsaLevel::kSse2:
      return {"SSE2", "sse2"};
  }
  return {"?", "?"};
}
inline const char* IsaName(IsaLevel level) { return NamesOf(level).name; }
inline std::string IsaVariant(IsaLevel level) { return NamesOf(level).variant; }

// Whether this CPU (and its OS: GCC's check reads XGETBV) runs every flag of the level.
inline bool CpuRunsIsa(IsaLevel level) {
#if defined(__x86_64__) || defined(__i386__)
  switch (level) {
    case IsaLevel::kAvx3:
      return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") &&
             __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512bw");
    case IsaLevel::kAvx2:
      return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") &&
             __builtin_cpu_supports("bmi") && __builtin_cpu_supports("bmi2") &&
             __builtin_cpu_supports("f16c");
    case IsaLevel::kSse4:
      return __builtin_cpu_supports("sse4.2") && __builtin_cpu_supports("popcnt");
    case IsaLevel::kSse2:
      return true;
  }
  return false;
#else
  return level == IsaLevel::kSse2;  // the baseline of whatever this is: the project's own flags
#endif
}

// The variant that dispatches at run time, as Highway's.
inline constexpr char kIsaDispatchVariant[] = "auto";

// "auto", then each compiled level, best first.
inline std::vector<std::string> IsaVariants(const std::vector<IsaKernels>& compiled) {
  std::vector<std::string> variants = {kIsaDispatchVariant};
  for (const auto& k : compiled) variants.push_back(IsaVariant(k.level));
  return variants;
}

inline const IsaKernels* FindIsaKernels(const std::vector<IsaKernels>& compiled,
                                        const std::string& variant) {
  for (const auto& k : compiled)
    if (IsaVariant(k.level) == variant) return &k;
  return nullptr;
}

// The best compiled level this CPU runs (the baseline always runs).
inline const IsaKernels& BestRunnableIsa(const std::vector<IsaKernels>& compiled) {
  for (const auto& k : compiled)
    if (CpuRunsIsa(k.level)) return k;
  return compiled.back();
}

inline std::string IsaUnavailableReason(const std::vector<IsaKernels>& compiled,
                                        const std::string& variant) {
  if (variant == kIsaDispatchVariant) return "";
  const IsaKernels* k = FindIsaKernels(compiled, variant);
  if (k == nullptr) return "not compiled in";
  if (!CpuRunsIsa(k->level)) return std::string("this CPU does not support ") + IsaName(k->level);
  return "";
}

// The level a cell asks for: `auto` = the best this CPU runs.
inline const IsaKernels& ChosenIsa(const std::vector<IsaKernels>& compiled,
                                   const std::string& variant) {
  if (variant == kIsaDispatchVariant) return BestRunnableIsa(compiled);
  const IsaKernels* k = FindIsaKernels(compiled, variant);
  if (k == nullptr) throw CellError("unknown ISA level '" + variant + "'");
  return *k;
}

// What a row says of the level that ran: "AVX3 x16" where the model fixes the lanes, else "AVX3".
inline std::string IsaSummary(const IsaKernels& k, DType dtype) {
  const std::size_t lanes = dtype == DType::kF32 ? k.lanes_f32 : k.lanes_f64;
  return std::string(IsaName(k.level)) + (lanes == 0 ? "" : " x" + std::to_string(lanes));
}

// A square chunk kernel compiled once per level (PER_ISA), with regular stores, whose `auto`
// runs the best level this CPU runs. `model` says how it is written, for `list`.
inline ChunkKernelInfo PerIsaChunkKernel(std::string name, const std::string& model,
                                         std::vector<IsaKernels> compiled) {
  return {
      .name = std::move(name),
      .description = model + " (auto: here " + IsaName(BestRunnableIsa(compiled).level) +
                     ", the best level this CPU runs; one translation unit per level)",
      .operation = Operation::kSquare,
      .variants = IsaVariants(compiled),
      .unavailable_reason =
          [compiled](const std::string& v) { return IsaUnavailableReason(compiled, v); },
      .resolve =
          [compiled](const CellParams& p) {
            const IsaKernels& k = ChosenIsa(compiled, p.variant);
            return ChunkFns{k.f32, k.f64, IsaSummary(k, p.dtype) + ", regular stores"};
          },
  };
}

}  // namespace sqb
