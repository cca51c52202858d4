// Unit tests of the sample statistics: order statistics, err%, outliers and the median's CI ranks.
#include "harness/stats.h"

#include <gtest/gtest.h>

#include <cstddef>
#include <utility>
#include <vector>

namespace sqb {
namespace {

std::vector<double> Repeat(double value, std::size_t count) {
  return std::vector<double>(count, value);
}

TEST(SummarizeTest, OddCount) {
  const SampleStats s = Summarize({5, 1, 4, 2, 3});
  EXPECT_EQ(s.n, 5u);
  EXPECT_DOUBLE_EQ(s.best, 1);
  EXPECT_DOUBLE_EQ(s.max, 5);
  EXPECT_DOUBLE_EQ(s.median, 3);
  EXPECT_DOUBLE_EQ(s.mean, 3);
  // |x - 3| = 0 1 1 2 2: MAD 1, so err% = 1 / 3.
  EXPECT_DOUBLE_EQ(s.err_pct, 100.0 / 3);
  EXPECT_EQ(s.outliers, 0u);
  // n = 5 cannot reach 95% (1 - 2/32 = 0.9375): the CI is the whole sample.
  EXPECT_DOUBLE_EQ(s.ci_low, 1);
  EXPECT_DOUBLE_EQ(s.ci_high, 5);
}

TEST(SummarizeTest, EvenCountAveragesTheMiddlePair) {
  const SampleStats s = Summarize({4, 1, 3, 2});
  EXPECT_EQ(s.n, 4u);
  EXPECT_DOUBLE_EQ(s.median, 2.5);
  EXPECT_DOUBLE_EQ(s.mean, 2.5);
  // |x - 2.5| = 0.5 0.5 1.5 1.5: MAD (0.5 + 1.5) / 2 = 1, err% = 1 / 2.5.
  EXPECT_DOUBLE_EQ(s.err_pct, 40);
  EXPECT_DOUBLE_EQ(s.best, 1);
  EXPECT_DOUBLE_EQ(s.max, 4);
}

TEST(SummarizeTest, CiUsesOrderStatistics) {
  // n = 9: ranks [1, 7], so the 2nd and 8th smallest values.
  const SampleStats s = Summarize({9, 2, 7, 4, 5, 6, 3, 8, 1});
  EXPECT_DOUBLE_EQ(s.median, 5);
  EXPECT_DOUBLE_EQ(s.ci_low, 2);
  EXPECT_DOUBLE_EQ(s.ci_high, 8);
}

TEST(SummarizeTest, CountsOutliersByModifiedZScore) {
  // Median 6; |x - 6| = 0 1 1 2 2 3 3 4 5 94 194, MAD 3.
  // z(100) = 0.6745 * 94 / 3 = 21.1 and z(200) = 43.6: two outliers.
  const SampleStats s = Summarize({1, 2, 3, 4, 5, 6, 7, 8, 9, 100, 200});
  EXPECT_DOUBLE_EQ(s.median, 6);
  EXPECT_DOUBLE_EQ(s.mean, 345.0 / 11);
  EXPECT_DOUBLE_EQ(s.err_pct, 50);
  EXPECT_EQ(s.outliers, 2u);
}

TEST(SummarizeTest, OutlierThresholdIsTen) {
  // Same MAD 3: z(50) = 0.6745 * 44 / 3 = 9.89 stays in, z(200) = 43.6 is out.
  const SampleStats s = Summarize({1, 2, 3, 4, 5, 6, 7, 8, 9, 50, 200});
  EXPECT_EQ(s.outliers, 1u);
}

TEST(SummarizeTest, AllEqual) {
  const SampleStats s = Summarize(Repeat(7, 12));
  EXPECT_DOUBLE_EQ(s.best, 7);
  EXPECT_DOUBLE_EQ(s.median, 7);
  EXPECT_DOUBLE_EQ(s.max, 7);
  EXPECT_DOUBLE_EQ(s.mean, 7);
  EXPECT_DOUBLE_EQ(s.ci_low, 7);
  EXPECT_DOUBLE_EQ(s.ci_high, 7);
  EXPECT_DOUBLE_EQ(s.err_pct, 0);
  EXPECT_EQ(s.outliers, 0u);
}

TEST(SummarizeTest, ZeroMadJudgesAgainstATenthOfAPercentOfTheMedian) {
  // Nine equal values: MAD = 0, so the MAD is taken as 0.001 * median = 0.001.
  std::vector<double> near = Repeat(1, 9);
  near.push_back(1.01);  // z = 0.6745 * 0.01 / 0.001 = 6.7
  EXPECT_EQ(Summarize(near).outliers, 0u);
  EXPECT_DOUBLE_EQ(Summarize(near).err_pct, 0);

  std::vector<double> far = Repeat(1, 9);
  far.push_back(1.02);  // z = 13.5
  EXPECT_EQ(Summarize(far).outliers, 1u);
}

TEST(SummarizeTest, SingleValue) {
  const SampleStats s = Summarize({0.25});
  EXPECT_EQ(s.n, 1u);
  EXPECT_DOUBLE_EQ(s.best, 0.25);
  EXPECT_DOUBLE_EQ(s.median, 0.25);
  EXPECT_DOUBLE_EQ(s.ci_low, 0.25);
  EXPECT_DOUBLE_EQ(s.ci_high, 0.25);
  EXPECT_EQ(s.outliers, 0u);
}

std::pair<std::size_t, std::size_t> Ranks(std::size_t n) {
  std::size_t lo = 0, hi = 0;
  MedianCiRanks(n, 0.95, &lo, &hi);
  return {lo, hi};
}

// Expected ranks were computed independently with exact rationals (Python fractions + math.comb):
// for each l, coverage = sum_{k=l}^{n-l} C(n, k) / 2^n; the largest l with coverage >= 0.95 gives
// 0-based ranks [l - 1, n - l]. Coverage of each answer is in the comment.
TEST(MedianCiRanksTest, TooFewValuesGiveTheWholeSample) {
  EXPECT_EQ(Ranks(1), std::make_pair(std::size_t{0}, std::size_t{0}));
  EXPECT_EQ(Ranks(2), std::make_pair(std::size_t{0}, std::size_t{1}));
  EXPECT_EQ(Ranks(5), std::make_pair(std::size_t{0}, std::size_t{4}));  // 0.9375
}

TEST(MedianCiRanksTest, MatchesExactBinomialCoverage) {
  const std::pair<std::size_t, std::pair<std::size_t, std::size_t>> kCases[] = {
      {6, {0, 5}},        // 0.96875
      {8, {0, 7}},        // 0.99219 (l = 2 gives 0.9297)
      {9, {1, 7}},        // 0.96094
      {10, {1, 8}},       // 0.97852
      {12, {2, 9}},       // 0.96143
      {20, {5, 14}},      // 0.95861: the 6th..15th smallest
      {25, {7, 17}},      // 0.95671
      {30, {9, 20}},      // 0.95723
      {100, {39, 60}},    // 0.96480
      {1000, {468, 531}}  // 0.95371
  };
  for (const auto& [n, ranks] : kCases) EXPECT_EQ(Ranks(n), ranks) << "n = " << n;
}

TEST(MedianCiRanksTest, LowerConfidenceNarrowsTheInterval) {
  std::size_t lo = 0, hi = 0;
  MedianCiRanks(9, 0.80, &lo, &hi);  // l = 3: 1 - 2 * (1 + 9 + 36) / 512 = 0.8203
  EXPECT_EQ(lo, 2u);
  EXPECT_EQ(hi, 6u);
}

}  // namespace
}  // namespace sqb
