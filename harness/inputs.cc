// The values timed runs square: deterministic, normal, and with normal squares.
#include "harness/inputs.h"

#include <bit>

namespace sqb {
namespace {

std::uint64_t SplitMix64(std::uint64_t z) {
  z += 0x9e3779b97f4a7c15ull;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

template <typename T>
void FillRange(std::size_t begin, std::size_t end, void* x, void* y) {
  T* xs = static_cast<T*>(x);
  T* ys = static_cast<T*>(y);
  const T poison = Poison<T>();
  for (std::size_t i = begin; i < end; ++i) {
    xs[i] = TimedInput<T>(i);
    ys[i] = poison;
  }
}

}  // namespace

template <>
float TimedInput<float>(std::uint64_t i) {
  const std::uint64_t h = SplitMix64(i);
  // exponent of 1.0f, 23 hashed mantissa bits, hashed sign
  const auto bits =
      static_cast<std::uint32_t>(0x3f800000u | (h & 0x7fffffu) | ((h >> 32) & 0x80000000u));
  return std::bit_cast<float>(bits);
}

template <>
double TimedInput<double>(std::uint64_t i) {
  const std::uint64_t h = SplitMix64(i);
  const std::uint64_t mantissa = h & 0xfffffffffffffull;
  const std::uint64_t sign = (SplitMix64(h) & 1) << 63;
  return std::bit_cast<double>(0x3ff0000000000000ull | mantissa | sign);
}

template <>
float Poison<float>() {
  return std::bit_cast<float>(0x7f80deadu);
}

template <>
double Poison<double>() {
  return std::bit_cast<double>(0x7ff000000000deadull);
}

FillFn TimedFill(DType t) {
  return t == DType::kF32 ? FillFn(FillRange<float>) : FillFn(FillRange<double>);
}

}  // namespace sqb
