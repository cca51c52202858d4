// Verification: y compared bitwise with the reference operation applied to x on the host.
#include "harness/verify.h"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <thread>
#include <vector>

#include "squarebench/square.h"

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
bool Matches(Operation op, T x, T got, bool any_nan_matches) {
  const T want = op == Operation::kSquare ? Square<T>(x) : x;
  if (std::bit_cast<Bits<T>>(want) == std::bit_cast<Bits<T>>(got)) return true;
  return any_nan_matches && std::isnan(want) && IsQuietNan(got);
}

// The first index in [begin, end) whose y does not match; end when all do.
template <typename T>
std::size_t FirstBad(Operation op, const T* x, const T* y, std::size_t begin, std::size_t end,
                     bool any_nan_matches) {
  for (std::size_t i = begin; i < end; ++i)
    if (!Matches(op, x[i], y[i], any_nan_matches)) return i;
  return end;
}

// Blocks are scanned by one thread per hardware thread (arrays of several GiB are verified after
// every cell), each thread joined before this returns; the lowest bad index over all blocks is
// the first mismatch. The harness's own threads, so that verification needs no backend's runtime.
template <typename T>
std::optional<Mismatch> Find(Operation op, const HostArrays& a, bool any_nan_matches) {
  constexpr std::size_t kBlock = std::size_t{1} << 20;
  const T* x = static_cast<const T*>(a.x);
  const T* y = static_cast<const T*>(a.y);
  const std::size_t n = a.n;
  const std::size_t blocks = (n + kBlock - 1) / kBlock;
  const std::size_t workers = std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1,
                                                      std::max<std::size_t>(1, blocks));
  std::vector<std::size_t> first(workers, n);
  const auto scan = [&](std::size_t w) {
    for (std::size_t b = w; b < blocks && first[w] == n; b += workers) {
      const std::size_t begin = b * kBlock, end = std::min(n, begin + kBlock);
      if (const std::size_t bad = FirstBad(op, x, y, begin, end, any_nan_matches); bad < end)
        first[w] = bad;
    }
  };
  {
    std::vector<std::jthread> helpers;
    for (std::size_t w = 1; w < workers; ++w) helpers.emplace_back(scan, w);
    scan(0);
  }
  const std::size_t first_bad = *std::min_element(first.begin(), first.end());
  if (first_bad == n) return std::nullopt;
  const T want = op == Operation::kSquare ? Square<T>(x[first_bad]) : x[first_bad];
  return Mismatch{first_bad, Show(y[first_bad]), Show(want)};
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
