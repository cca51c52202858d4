// Element types a cell can run on, and their names as spelled on the command line and in reports.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace sqb {

enum class DType { kF32, kF64 };

constexpr std::size_t SizeOf(DType t) { return t == DType::kF32 ? 4 : 8; }
constexpr std::string_view Name(DType t) { return t == DType::kF32 ? "f32" : "f64"; }

inline std::optional<DType> ParseDType(std::string_view s) {
  if (s == "f32") return DType::kF32;
  if (s == "f64") return DType::kF64;
  return std::nullopt;
}

// Calls f(T{}) with T = float or double; lets type-erased code reach typed templates once.
template <typename F>
decltype(auto) DispatchDType(DType t, F&& f) {
  if (t == DType::kF32) return f(float{});
  return f(double{});
}

}  // namespace sqb
