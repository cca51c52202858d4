// Conformance: every registered backend and variant x f32/f64 x sizes x misaligned y x special
// values, bitwise equal to the reference. A new backend is covered here without editing this file.
// A chunk kernel's variants (its ISA levels) are each run on the serial executor, which hands them
// every size whole; other executors run its default variant, as they split ranges the same way
// for every variant.
#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "harness/inputs.h"
#include "harness/registry.h"
#include "harness/verify.h"

namespace sqb {
namespace {

struct Case {
  const BackendInfo* backend;
  std::string variant;
  DType dtype;
  std::size_t n;
  std::size_t offset;  // elements added to y's start: 1 misaligns y against x and cache lines
  int threads;
};

// Every value class the kernel must get right, bit for bit: signed zeros, infinities, quiet and
// signalling NaNs with payloads and both signs, denormals (whose squares underflow), normals whose
// squares are denormal or overflow to inf, and ordinary values.
template <typename T>
std::vector<T> SpecialValues() {
  using L = std::numeric_limits<T>;
  using Bits = std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>;
  const Bits exponent = std::bit_cast<Bits>(L::infinity());
  const Bits sign = Bits{1} << (8 * sizeof(T) - 1);
  const Bits quiet = Bits{1} << (L::digits - 2);
  return {T(0),
          -T(0),
          L::infinity(),
          -L::infinity(),
          std::bit_cast<T>(Bits(exponent | quiet | 0x1234)),       // quiet NaN, payload
          std::bit_cast<T>(Bits(sign | exponent | quiet | 0x2a)),  // negative quiet NaN
          std::bit_cast<T>(Bits(exponent | 0x5)),                  // signalling NaN
          L::denorm_min(),
          -L::denorm_min(),
          std::bit_cast<T>(Bits(std::bit_cast<Bits>(L::min()) - 1)),  // largest denormal
          L::min(),
          std::sqrt(L::min()) / T(4),  // square is denormal
          L::max(),
          -L::max(),
          std::sqrt(L::max()) * T(2),  // square overflows to inf
          T(1),
          T(-1.5),
          T(0.1),
          T(3),
          T(-7.25e3)};
}

// The special values repeated, and poison, in blocks that FillSpecial copies whole: the tests are
// compiled without optimisation under the sanitizers, where an indexing loop costs a third of the
// suite. Made before main, so a worker process forked to fill never allocates.
template <typename T>
struct SpecialBlocks {
  std::vector<T> values = SpecialValues<T>();
  std::vector<T> repeated, poison;
  SpecialBlocks() {
    for (int copy = 0; copy < 512; ++copy)
      repeated.insert(repeated.end(), values.begin(), values.end());
    poison.assign(repeated.size(), Poison<T>());
  }
};
const SpecialBlocks<float> kSpecialF32;
const SpecialBlocks<double> kSpecialF64;

template <typename T>
void FillSpecial(std::size_t begin, std::size_t end, void* x, void* y) {
  const SpecialBlocks<T>& blocks = *[] {
    if constexpr (std::is_same_v<T, float>) {
      return &kSpecialF32;
    } else {
      return &kSpecialF64;
    }
  }();
  for (std::size_t i = begin; i < end;) {
    const std::size_t phase = i % blocks.values.size();
    const std::size_t count = std::min(end - i, blocks.repeated.size() - phase);
    std::memcpy(static_cast<T*>(x) + i, blocks.repeated.data() + phase, count * sizeof(T));
    std::memcpy(static_cast<T*>(y) + i, blocks.poison.data(), count * sizeof(T));
    i += count;
  }
}

void PrintTo(const Case& c, std::ostream* os) {
  *os << c.backend->name << (c.variant.empty() ? "" : "@" + c.variant) << " " << Name(c.dtype)
      << " n=" << c.n << " offset=" << c.offset << " threads=" << c.threads;
}

class Conformance : public ::testing::TestWithParam<Case> {};

TEST_P(Conformance, BitwiseEqualToReference) {
  const Case& c = GetParam();
  const std::string why = c.backend->unavailable_reason(c.variant);
  if (!why.empty()) GTEST_SKIP() << c.backend->name << " cannot run here: " << why;

  CellParams p;
  p.backend = c.backend->name;
  p.executor = c.backend->executor;
  p.chunk_kernel = c.backend->chunk_kernel;
  p.variant = c.variant;
  p.dtype = c.dtype;
  p.elements = c.n;
  p.offset = c.offset;
  p.threads = c.threads;
  std::unique_ptr<Cell> cell;
  try {
    cell = c.backend->make_cell(p);
    cell->Setup(c.dtype == DType::kF32 ? FillFn(FillSpecial<float>) : FillFn(FillSpecial<double>));
  } catch (const CellUnsupported& e) {
    GTEST_SKIP() << e.what();
  }
  cell->Bind();
  cell->Run();
  cell->Run();  // a second call must give the same y
  cell->Unbind();
  const HostArrays out = cell->ReadBack();
  ASSERT_EQ(out.n, c.n);
  const auto bad =
      FindMismatch(c.dtype, c.backend->operation, out, c.backend->CanonicalizesNan(c.dtype));
  EXPECT_FALSE(bad.has_value()) << bad->Describe();
}

std::vector<Case> AllCases() {
  std::vector<Case> cases;
  for (const auto& b : Backends()) {
    std::vector<std::string> variants =
        b.variants.get().empty() ? std::vector<std::string>{""} : b.variants.get();
    if (!b.variant_is_device && b.executor != kSerialExecutor) variants.resize(1);
    const std::vector<int> threads = b.parallel ? std::vector<int>{1, 3} : std::vector<int>{1};
    for (const auto& v : variants)
      for (DType t : {DType::kF32, DType::kF64})
        for (std::size_t n : {0, 1, 7, 15, 16, 17, 1000003})
          for (std::size_t offset : {0, 1})
            for (int th : threads) cases.push_back({&b, v, t, n, offset, th});
  }
  return cases;
}

std::string CaseName(const ::testing::TestParamInfo<Case>& info) {
  const Case& c = info.param;
  std::string name = c.backend->name + (c.variant.empty() ? "" : "_" + c.variant);
  for (char& ch : name)
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  return name + "_" + std::string(Name(c.dtype)) + "_n" + std::to_string(c.n) + "_off" +
         std::to_string(c.offset) + "_t" + std::to_string(c.threads);
}

INSTANTIATE_TEST_SUITE_P(EveryBackend, Conformance, ::testing::ValuesIn(AllCases()), CaseName);

TEST(Registry, HasTheFoundationBackends) {
  for (const char* name : {"serial", "openmp", "tbb", "memcpy", "openmp+memcpy", "tbb+memcpy"})
    EXPECT_NE(FindBackend(name), nullptr) << name;
}

}  // namespace
}  // namespace sqb
