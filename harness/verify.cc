// Verification: y compared bitwise with the reference operation applied to x on the host.
#include "harness/verify.h"

#include <fmt/format.h>

#include <bit>
#include <cmath>
#include <limits>

#include "kernels/square.h"

namespace sqb {
namespace {

template <typename T>
using Bits = std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>;

template <typename T>
std::string Show(T v) {
  return fmt::format("{:#0{}x} ({})", std::bit_cast<Bits<T>>(v), 2 + 2 * sizeof(T), v);
}

// Canonical NaNs are quiet; the poison left in unwritten elements is signalling.
template <typename T>
bool IsQuietNan(T v) {
  constexpr Bits<T> kQuiet = Bits<T>{1} << (std::numeric_limits<T>::digits - 2);
  return std::isnan(v) && (std::bit_cast<Bits<T>>(v) & kQuiet) != 0;
}

template <typename T>
std::optional<Mismatch> Find(Operation op, const HostArrays& a, bool any_nan_matches) {
  const T* x = static_cast<const T*>(a.x);
  const T* y = static_cast<const T*>(a.y);
  for (std::size_t i = 0; i < a.n; ++i) {
    const T want = op == Operation::kSquare ? Square<T>(x[i]) : x[i];
    const T got = y[i];
    if (std::bit_cast<Bits<T>>(want) == std::bit_cast<Bits<T>>(got)) continue;
    if (any_nan_matches && std::isnan(want) && IsQuietNan(got)) continue;
    return Mismatch{i, Show(got), Show(want)};
  }
  return std::nullopt;
}

}  // namespace

std::string Mismatch::Describe() const {
  return fmt::format("y[{}] = {}, expected {}", index, got, expected);
}

std::optional<Mismatch> FindMismatch(DType t, Operation op, const HostArrays& a,
                                     bool any_nan_matches) {
  return DispatchDType(t, [&](auto tag) { return Find<decltype(tag)>(op, a, any_nan_matches); });
}

}  // namespace sqb
