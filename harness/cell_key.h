// A cell's identity as one line of text: compare's keys, gbench names, CSV knobs, plan and fit.
#pragma once

#include <string>
#include <string_view>

#include "harness/record.h"

namespace sqb {

// Which size a key holds: the element count ("3Ki"), the memory level ("L1"), or none (a series
// over sizes).
enum class KeySize { kElements, kLevel, kNone };

// How a key is spelled: between fields, and between a named field and its value.
struct KeyStyle {
  std::string_view separator;
  std::string_view assign;
};
inline constexpr KeyStyle kSpacedKey = {" ", "="};     // "openmp f32 3Ki threads=2 bind=cores"
inline constexpr KeyStyle kBenchmarkKey = {"/", ":"};  // "openmp/f32/3Ki/threads:2/bind:cores"

// The backend as named (variant included), dtype, size, threads, binding, then the offset when not
// 0 and every knob: e.g. "interleaved f32 3Ki threads=1 bind=cores offset=16 tasks=64". Two cells
// with equal keys are the same measurement (across MPI ranks: "ranks=2 mpi=together" last);
// user-visible (compare's rows, gbench names), so its spelling must not change. `level` is read
// with KeySize::kLevel only.
std::string CellKey(const CellParams& p, std::string_view level, KeySize size = KeySize::kElements,
                    KeyStyle style = kSpacedKey);
std::string CellKey(const CellRecord& c, KeySize size = KeySize::kElements,
                    KeyStyle style = kSpacedKey);

// The knobs alone, in name order: "stores=regular;tasks=64" with separator ";".
std::string KnobsKey(const CellParams& p, std::string_view separator,
                     std::string_view assign = "=");

}  // namespace sqb
