// Verification: bitwise comparison, the first bad index, and the declared NaN rule.
#include "harness/verify.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <limits>
#include <vector>

#include "harness/inputs.h"

namespace sqb {
namespace {

HostArrays View(const std::vector<float>& x, const std::vector<float>& y) {
  return {x.data(), y.data(), x.size()};
}

TEST(Verify, AcceptsExactSquares) {
  const std::vector<float> x = {0.f, -0.f, 1.5f, -3.f, std::numeric_limits<float>::infinity()};
  std::vector<float> y;
  for (float v : x) y.push_back(v * v);
  EXPECT_FALSE(FindMismatch(DType::kF32, Operation::kSquare, View(x, y)));
}

TEST(Verify, ReportsTheFirstBadIndexWithBothValues) {
  const std::vector<float> x = {1.f, 2.f, 3.f, 4.f};
  std::vector<float> y = {1.f, 4.f, 9.5f, 0.f};
  const auto bad = FindMismatch(DType::kF32, Operation::kSquare, View(x, y));
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->index, 2u);
  EXPECT_EQ(bad->Describe(), "y[2] = 0x41180000 (9.5), expected 0x41100000 (9)");
}

// Past 1Mi elements the blocks are scanned by several threads: still the lowest bad index, in
// whichever block and thread, the last partial block included.
TEST(Verify, ManyBlocksStillReportTheFirstBadIndex) {
  const std::size_t n = (std::size_t{5} << 20) + 7;
  const std::vector<float> x(n, 1.5f);
  std::vector<float> y(n, 2.25f);
  EXPECT_FALSE(FindMismatch(DType::kF32, Operation::kSquare, View(x, y)));
  y[n - 1] = 0.f;
  ASSERT_TRUE(FindMismatch(DType::kF32, Operation::kSquare, View(x, y)));
  EXPECT_EQ(FindMismatch(DType::kF32, Operation::kSquare, View(x, y))->index, n - 1);
  y[(std::size_t{3} << 20) + 5] = 0.f;
  y[(std::size_t{2} << 20) + 9] = 0.f;
  EXPECT_EQ(FindMismatch(DType::kF32, Operation::kSquare, View(x, y))->index,
            (std::size_t{2} << 20) + 9);
  y[(std::size_t{1} << 20) - 1] = 0.f;
  EXPECT_EQ(FindMismatch(DType::kF32, Operation::kSquare, View(x, y))->index,
            (std::size_t{1} << 20) - 1);
}

TEST(Verify, BitwiseMeansSignedZerosDiffer) {
  const std::vector<double> x = {0.0};
  const std::vector<double> y = {-0.0};
  EXPECT_TRUE(FindMismatch(DType::kF64, Operation::kSquare, {x.data(), y.data(), 1}));
}

TEST(Verify, UnwrittenElementsAreCaughtByThePoison) {
  const std::vector<float> x = {std::bit_cast<float>(0x7fc01234u)};  // a NaN input
  const std::vector<float> y = {Poison<float>()};
  EXPECT_TRUE(FindMismatch(DType::kF32, Operation::kSquare, View(x, y)));
  EXPECT_TRUE(FindMismatch(DType::kF32, Operation::kSquare, View(x, y), /*any_nan_matches=*/true))
      << "poison is a NaN, but a signalling one: arithmetic never makes it";
}

TEST(Verify, NanPayloadsMustMatchUnlessTheBackendDeclaresCanonicalNans) {
  const std::vector<float> x = {std::bit_cast<float>(0x7fc01234u)};
  const std::vector<float> canonical = {std::bit_cast<float>(0x7fc00000u)};
  EXPECT_TRUE(FindMismatch(DType::kF32, Operation::kSquare, View(x, canonical)));
  EXPECT_FALSE(FindMismatch(DType::kF32, Operation::kSquare, View(x, canonical), true));
  const std::vector<float> not_nan = {1.f};
  EXPECT_TRUE(FindMismatch(DType::kF32, Operation::kSquare, View(x, not_nan), true));
}

TEST(Verify, CopyComparesWithTheInput) {
  const std::vector<float> x = {2.f, 3.f};
  EXPECT_FALSE(FindMismatch(DType::kF32, Operation::kCopy, View(x, x)));
  const std::vector<float> squared = {4.f, 9.f};
  EXPECT_TRUE(FindMismatch(DType::kF32, Operation::kCopy, View(x, squared)));
}

TEST(TimedInputs, NormalWithNormalSquares) {
  for (std::uint64_t i = 0; i < 100000; ++i) {
    const float f = TimedInput<float>(i);
    const double d = TimedInput<double>(i);
    ASSERT_TRUE(std::isnormal(f) && std::isnormal(f * f)) << i;
    ASSERT_TRUE(std::isnormal(d) && std::isnormal(d * d)) << i;
    ASSERT_GE(std::abs(f), 1.f);
    ASSERT_LT(std::abs(f), 2.f);
  }
  EXPECT_NE(TimedInput<float>(1), TimedInput<float>(2));
}

}  // namespace
}  // namespace sqb
