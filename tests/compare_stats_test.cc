// Unit tests of the report-comparison statistics against scipy / numpy reference values.
#include "harness/compare_stats.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <vector>

namespace sqb {
namespace {

// The samples and the expected values below are those of tools/compare_reference.py (its output
// under scipy 1.17.1, numpy 2.4.6); change both together.
const std::vector<double> kTiesA = {3.0, 1.0, 2.0, 2.0};
const std::vector<double> kTiesB = {2.0, 3.0, 3.0, 4.0, 5.0};
const std::vector<double> kA9 = {1.023e-3, 1.011e-3, 1.047e-3, 1.002e-3, 1.035e-3,
                                 1.018e-3, 1.029e-3, 1.041e-3, 1.008e-3};
const std::vector<double> kB9 = {1.052e-3, 1.031e-3, 1.066e-3, 1.044e-3, 1.027e-3,
                                 1.059e-3, 1.038e-3, 1.071e-3, 1.049e-3};
const std::vector<double> kA25 = {1.21e-6, 1.23e-6, 1.22e-6, 1.21e-6, 1.25e-6, 1.22e-6, 1.24e-6,
                                  1.21e-6, 1.23e-6, 1.22e-6, 1.30e-6, 1.22e-6, 1.23e-6, 1.21e-6,
                                  1.24e-6, 1.22e-6, 1.26e-6, 1.23e-6, 1.21e-6, 1.22e-6, 1.23e-6,
                                  1.25e-6, 1.22e-6, 1.24e-6, 1.21e-6};
const std::vector<double> kB20 = {1.23e-6, 1.24e-6, 1.22e-6, 1.25e-6, 1.23e-6, 1.24e-6, 1.26e-6,
                                  1.23e-6, 1.25e-6, 1.24e-6, 1.22e-6, 1.27e-6, 1.24e-6, 1.23e-6,
                                  1.25e-6, 1.24e-6, 1.31e-6, 1.23e-6, 1.24e-6, 1.26e-6};
const std::vector<double> kA15 = {2.004e-3, 1.998e-3, 2.013e-3, 2.021e-3, 1.991e-3,
                                  2.007e-3, 2.030e-3, 1.995e-3, 2.010e-3, 2.002e-3,
                                  2.017e-3, 1.989e-3, 2.025e-3, 2.000e-3, 2.009e-3};
const std::vector<double> kAllEqual = {5.0, 5.0, 5.0};
const std::vector<double> kBhP = {0.01, 0.04, 0.03, 0.005, 0.20, 0.04, 0.9, 0.5};

constexpr double kRelTolerance = 1e-12;

std::vector<double> Scaled(const std::vector<double>& values, double factor) {
  std::vector<double> out;
  for (double x : values) out.push_back(factor * x);
  return out;
}

void ExpectRelNear(double actual, double expected) {
  EXPECT_NEAR(actual, expected, kRelTolerance * std::abs(expected)) << "expected " << expected;
}

TEST(MannWhitneyUTest, MatchesScipy) {
  ExpectRelNear(MannWhitneyUPValue(kTiesA, kTiesB), 0.09934224785346528);
  ExpectRelNear(MannWhitneyUPValue(kA9, kB9), 0.008071487425268009);
  ExpectRelNear(MannWhitneyUPValue(kA25, kB20), 0.0037332393515476263);
  ExpectRelNear(MannWhitneyUPValue(kA15, Scaled(kA15, 1.1)), 3.3918213908250945e-06);
  ExpectRelNear(MannWhitneyUPValue(kA15, Scaled(kA15, 1.01)), 0.0004936885181146133);
}

TEST(MannWhitneyUTest, IdenticalSamplesGiveOne) {
  EXPECT_EQ(MannWhitneyUPValue(kA9, kA9), 1.0);
  EXPECT_EQ(MannWhitneyUPValue(kTiesB, kTiesB), 1.0);
}

TEST(MannWhitneyUTest, AllValuesEqualGivesOne) {
  EXPECT_EQ(MannWhitneyUPValue(kAllEqual, kAllEqual), 1.0);
  EXPECT_EQ(MannWhitneyUPValue({7.0}, {7.0}), 1.0);
}

TEST(MannWhitneyUTest, IsAProbabilityAndSymmetric) {
  const std::vector<std::vector<double>> samples = {kTiesA, kTiesB, kA9,       kB9,
                                                    kA25,   kB20,   kAllEqual, {1.0}};
  for (const auto& a : samples) {
    for (const auto& b : samples) {
      const double p = MannWhitneyUPValue(a, b);
      EXPECT_GE(p, 0.0);
      EXPECT_LE(p, 1.0);
      EXPECT_EQ(p, MannWhitneyUPValue(b, a));
    }
  }
}

TEST(MannWhitneyUTest, RejectsEmptyOrNanSamples) {
  EXPECT_THROW(MannWhitneyUPValue({}, kA9), std::invalid_argument);
  EXPECT_THROW(MannWhitneyUPValue(kA9, {}), std::invalid_argument);
  EXPECT_THROW(MannWhitneyUPValue(kA9, {1.0, std::nan("")}), std::invalid_argument);
}

TEST(BootstrapMedianRatioTest, MatchesPythonReimplementation) {
  const RatioInterval r = BootstrapMedianRatio(kA9, kB9, 1000, 12345);
  ExpectRelNear(r.ratio, 1.0254154447702835);
  ExpectRelNear(r.low, 1.0076849183477425);
  ExpectRelNear(r.high, 1.0471594387085867);

  const RatioInterval slower = BootstrapMedianRatio(kA15, Scaled(kA15, 1.1), 2000, 7);
  ExpectRelNear(slower.ratio, 1.1);
  ExpectRelNear(slower.low, 1.0939771030363368);
  ExpectRelNear(slower.high, 1.1060442585442587);
}

TEST(BootstrapMedianRatioTest, IsDeterministicForASeed) {
  const RatioInterval first = BootstrapMedianRatio(kA25, kB20, 500, 99);
  const RatioInterval second = BootstrapMedianRatio(kA25, kB20, 500, 99);
  EXPECT_EQ(first.ratio, second.ratio);
  EXPECT_EQ(first.low, second.low);
  EXPECT_EQ(first.high, second.high);
}

TEST(BootstrapMedianRatioTest, IntervalContainsTheRatio) {
  for (std::uint64_t seed : {0u, 1u, 2u, 3u}) {
    const RatioInterval r = BootstrapMedianRatio(kA9, kB9, 1000, seed);
    EXPECT_LE(r.low, r.ratio);
    EXPECT_LE(r.ratio, r.high);
  }
}

TEST(BootstrapMedianRatioTest, TenPercentSlowerIsSeparatedFromOne) {
  const RatioInterval r = BootstrapMedianRatio(kA15, Scaled(kA15, 1.1), 10000, 2024);
  EXPECT_NEAR(r.ratio, 1.1, 1e-12);
  EXPECT_GT(r.low, 1.02);
  EXPECT_LT(r.low, 1.1);
  EXPECT_GT(r.high, 1.1);
}

TEST(BootstrapMedianRatioTest, NarrowerConfidenceGivesANarrowerInterval) {
  const RatioInterval wide = BootstrapMedianRatio(kA9, kB9, 1000, 5, 0.99);
  const RatioInterval narrow = BootstrapMedianRatio(kA9, kB9, 1000, 5, 0.5);
  EXPECT_LT(wide.low, narrow.low);
  EXPECT_GT(wide.high, narrow.high);
}

TEST(BootstrapMedianRatioTest, RejectsBadArguments) {
  EXPECT_THROW(BootstrapMedianRatio({}, kB9, 100, 1), std::invalid_argument);
  EXPECT_THROW(BootstrapMedianRatio(kA9, kB9, 0, 1), std::invalid_argument);
  EXPECT_THROW(BootstrapMedianRatio(kA9, kB9, 100, 1, 1.0), std::invalid_argument);
  EXPECT_THROW(BootstrapMedianRatio(kA9, kB9, 100, 1, 0.0), std::invalid_argument);
}

// Positive, finite, but extreme: times as a hostile report may hold them. No NaN may come out
// (NaN among the resampled ratios would break the sort that orders them).
TEST(BootstrapMedianRatioTest, ExtremeTimesGiveNoNan) {
  const std::vector<double> huge(16, 1.5e308);  // an even count: the middle two would sum to inf
  const RatioInterval same = BootstrapMedianRatio(huge, huge, 100, 1);
  EXPECT_EQ(same.ratio, 1.0);
  EXPECT_EQ(same.low, 1.0);
  EXPECT_EQ(same.high, 1.0);
  const std::vector<double> tiny(16, 1e-300);
  const RatioInterval over = BootstrapMedianRatio(tiny, huge, 100, 1);  // huge / tiny: inf
  EXPECT_EQ(over.ratio, INFINITY);
  EXPECT_EQ(over.low, INFINITY);
  EXPECT_EQ(over.high, INFINITY);
  const RatioInterval under = BootstrapMedianRatio(huge, tiny, 100, 1);  // tiny / huge: 0
  EXPECT_EQ(under.ratio, 0.0);
  EXPECT_EQ(under.high, 0.0);
}

TEST(BenjaminiHochbergTest, MatchesScipy) {
  const std::vector<double> expected = {
      0.04, 0.064, 0.064, 0.04, 0.26666666666666666, 0.064, 0.9, 0.5714285714285714};
  const std::vector<double> adjusted = BenjaminiHochbergAdjusted(kBhP);
  ASSERT_EQ(adjusted.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) ExpectRelNear(adjusted[i], expected[i]);
  EXPECT_EQ(BenjaminiHochbergReject(kBhP, 0.05),
            (std::vector<bool>{true, false, false, true, false, false, false, false}));
}

TEST(BenjaminiHochbergTest, CapsAtOneAndKeepsTheOrderOfP) {
  const std::vector<double> p = {0.9, 0.95, 0.99, 1.0, 0.001};
  const std::vector<double> adjusted = BenjaminiHochbergAdjusted(p);
  for (std::size_t i = 0; i < p.size(); ++i) {
    EXPECT_GE(adjusted[i], p[i]);
    EXPECT_LE(adjusted[i], 1.0);
    for (std::size_t j = 0; j < p.size(); ++j) {
      if (p[i] <= p[j]) {
        EXPECT_LE(adjusted[i], adjusted[j]);
      }
    }
  }
}

TEST(BenjaminiHochbergTest, TrivialSizes) {
  EXPECT_TRUE(BenjaminiHochbergAdjusted({}).empty());
  EXPECT_EQ(BenjaminiHochbergAdjusted({0.03}), std::vector<double>{0.03});
  EXPECT_EQ(BenjaminiHochbergReject({0.03}, 0.05), std::vector<bool>{true});
}

TEST(HodgesLehmannTest, MatchesTheReference) {
  const ShiftInterval r =
      HodgesLehmannShift({0.5, 1.25, 0.75, 1.5, 1.0}, {2.0, 2.75, 1.5, 3.25, 2.5, 2.25, 3.5});
  EXPECT_EQ(r.shift, -1.5);
  EXPECT_EQ(r.low, -2.25);
  EXPECT_EQ(r.high, -0.75);
  const ShiftInterval nine = HodgesLehmannShift(kA9, kB9);
  EXPECT_NEAR(nine.shift, -2.499999999999985e-05, 1e-17);
  EXPECT_NEAR(nine.low, -4.100000000000002e-05, 1e-17);
  EXPECT_NEAR(nine.high, -8.999999999999894e-06, 1e-17);
}

TEST(HodgesLehmannTest, SmallAndBadInput) {
  const ShiftInterval one = HodgesLehmannShift({2}, {1});
  EXPECT_EQ(one.shift, 1);
  EXPECT_EQ(one.low, 1) << "one difference: the interval cannot be wider";
  EXPECT_EQ(one.high, 1);
  EXPECT_THROW(HodgesLehmannShift({}, {1}), std::invalid_argument);
  EXPECT_THROW(HodgesLehmannShift({1, NAN}, {1}), std::invalid_argument);
  EXPECT_THROW(HodgesLehmannShift({1}, {1}, 1.0), std::invalid_argument);
}

TEST(GeometricMeanTest, Values) {
  EXPECT_DOUBLE_EQ(GeometricMean({2, 8}), 4);
  EXPECT_DOUBLE_EQ(GeometricMean({0.5, 2}), 1);
  EXPECT_DOUBLE_EQ(GeometricMean({1.1}), 1.1);
  EXPECT_TRUE(std::isnan(GeometricMean({})));
}

}  // namespace
}  // namespace sqb
