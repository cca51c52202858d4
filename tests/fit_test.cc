// The size fits and crossovers on synthetic series with known answers.
#include "harness/fit.h"

#include <gtest/gtest.h>

#include <cmath>

namespace sqb {
namespace {

std::vector<double> LogSpacedBytes(double from, double to, int per_octave) {
  std::vector<double> out;
  for (double b = from; b <= to * 1.0001; b *= std::pow(2.0, 1.0 / per_octave)) out.push_back(b);
  return out;
}

TEST(Fit, RecoversFixedCostAndBandwidthExactly) {
  std::vector<TimePoint> points;
  for (double b : LogSpacedBytes(1e3, 1e7, 4)) points.push_back({b, 2e-6 + b / 10e9});
  const auto fit = FitTimeAgainstBytes(points);
  ASSERT_TRUE(fit);
  EXPECT_NEAR(fit->fixed_s, 2e-6, 1e-15);
  EXPECT_NEAR(fit->bytes_per_s / 10e9, 1, 1e-9);
  EXPECT_LT(fit->max_rel_residual, 1e-9);
}

// Relative weights: a 10% error on the smallest point moves the fixed cost, not the bandwidth
// that the large points pin down.
TEST(Fit, SmallSizesCountAsMuchAsLargeOnes) {
  std::vector<TimePoint> points;
  for (double b : LogSpacedBytes(1e3, 1e7, 4)) points.push_back({b, 1e-6 + b / 20e9});
  points.front().seconds *= 1.1;
  const auto fit = FitTimeAgainstBytes(points);
  ASSERT_TRUE(fit);
  EXPECT_NEAR(fit->bytes_per_s / 20e9, 1, 0.01);
  EXPECT_GT(fit->fixed_s, 1e-6);
  EXPECT_GT(fit->max_rel_residual, 0.01);
}

TEST(Fit, NegativeInterceptIsClampedToZero) {
  // Pure bandwidth with the small sizes measured a little fast: the unconstrained intercept
  // would be negative.
  std::vector<TimePoint> points;
  for (double b : LogSpacedBytes(1e3, 1e6, 2)) points.push_back({b, b / 5e9});
  points[0].seconds *= 0.9;
  points[1].seconds *= 0.95;
  const auto fit = FitTimeAgainstBytes(points);
  ASSERT_TRUE(fit);
  EXPECT_EQ(fit->fixed_s, 0);
  EXPECT_NEAR(fit->bytes_per_s / 5e9, 1, 0.1);
}

TEST(Fit, NeedsTwoDistinctSizesAndPositiveTimes) {
  EXPECT_FALSE(FitTimeAgainstBytes({}));
  EXPECT_FALSE(FitTimeAgainstBytes({{1e3, 1e-6}, {1e3, 1.1e-6}}));
  EXPECT_FALSE(FitTimeAgainstBytes({{1e3, 1e-6}, {2e3, 0}}));
  EXPECT_TRUE(FitTimeAgainstBytes({{1e3, 1e-6}, {2e3, 2e-6}}));
}

CellRecord Cell(const std::string& backend, int threads, std::uint64_t n, double seconds,
                const std::string& level) {
  CellRecord c;
  c.params.backend = backend;
  c.params.threads = threads;
  c.params.elements = n;
  c.level = level;
  c.wall.samples.assign(9, seconds);
  c.wall.stats = Summarize(c.wall.samples);
  return c;
}

// serial: 10 GB/s with no fixed cost; openmp: 2 us per call, 20 GB/s. They cross where
// 8n / 10e9 = 2e-6 + 8n / 20e9, at n = 5000 f32 elements.
Report TwoSeries() {
  Report r;
  for (std::uint64_t n = 256; n <= (1u << 20); n *= 2) {
    const double bytes = 8.0 * static_cast<double>(n);
    const std::string level = n < (1u << 14) ? "L1" : "L2";
    r.cells.push_back(Cell("serial", 1, n, bytes / 10e9, level));
    r.cells.push_back(Cell("openmp", 2, n, 2e-6 + bytes / 20e9, level));
  }
  return r;
}

TEST(Analysis, FitsEachSeriesPerLevel) {
  const SizeAnalysis a = AnalyzeSizes(TwoSeries());
  ASSERT_EQ(a.fits.size(), 4u);  // 2 series x 2 levels
  for (const LevelFit& f : a.fits) {
    if (f.series == "openmp") {
      EXPECT_NEAR(f.fit.fixed_s, 2e-6, 1e-12) << f.level;
      EXPECT_NEAR(f.fit.bytes_per_s / 20e9, 1, 1e-6) << f.level;
    } else {
      EXPECT_EQ(f.series, "serial");
      EXPECT_NEAR(f.fit.fixed_s, 0, 1e-12) << f.level;
      EXPECT_NEAR(f.fit.bytes_per_s / 10e9, 1, 1e-6) << f.level;
    }
  }
  EXPECT_EQ(a.fits[0].level, "L1");
  EXPECT_EQ(a.fits[0].min_elements, 256u);
  EXPECT_EQ(a.fits[0].max_elements, 8192u);
  EXPECT_EQ(a.fits[0].points, 6);
}

TEST(Analysis, FindsTheCrossoverBetweenItsBracketingSizes) {
  const SizeAnalysis a = AnalyzeSizes(TwoSeries());
  ASSERT_EQ(a.crossovers.size(), 1u);
  const Crossover& c = a.crossovers[0];
  EXPECT_EQ(c.faster, "openmp");
  EXPECT_EQ(c.slower, "serial");
  EXPECT_EQ(c.below, 4096u);
  EXPECT_EQ(c.above, 8192u);
  EXPECT_NEAR(c.elements / 5000, 1, 0.05);  // interpolated in log size between 4Ki and 8Ki
  EXPECT_EQ(c.level, "L1");
}

TEST(Analysis, NearEqualSeriesDoNotCrossOnNoise) {
  Report r;
  for (std::uint64_t n = 256; n <= 65536; n *= 2) {
    const double t = 8.0 * static_cast<double>(n) / 10e9;
    const double wobble = (n / 256) % 2 == 0 ? 1.02 : 0.98;  // within the 3% tie band
    r.cells.push_back(Cell("highway", 1, n, t, "L1"));
    r.cells.push_back(Cell("interleaved+highway", 1, n, t * wobble, "L1"));
  }
  EXPECT_TRUE(AnalyzeSizes(r).crossovers.empty());
}

// Sizes 16x apart (the default run's levels) bracket no crossover: the size would be a guess.
TEST(Analysis, NoCrossoverBetweenSizesFarApart) {
  Report r;
  for (std::uint64_t n : {std::uint64_t{256}, std::uint64_t{4096}, std::uint64_t{65536}}) {
    const double bytes = 8.0 * static_cast<double>(n);
    r.cells.push_back(Cell("serial", 1, n, bytes / 10e9, "L1"));
    r.cells.push_back(Cell("openmp", 2, n, 2e-6 + bytes / 20e9, "L1"));
  }
  EXPECT_TRUE(AnalyzeSizes(r).crossovers.empty());
}

// A lead held at one size only, between two runs of the other series, is noise.
TEST(Analysis, OneSizeLeadsAreNoise) {
  Report r;
  const std::vector<double> wobble = {1.2, 1.2, 0.8, 1.2, 1.2, 0.8, 0.8, 0.8};
  std::uint64_t n = 256;
  for (double w : wobble) {
    const double t = 8.0 * static_cast<double>(n) / 10e9;
    r.cells.push_back(Cell("tbb", 2, n, t, "L1"));
    r.cells.push_back(Cell("tbb+highway", 2, n, t * w, "L1"));
    n *= 2;
  }
  const SizeAnalysis a = AnalyzeSizes(r);
  ASSERT_EQ(a.crossovers.size(), 1u);
  EXPECT_EQ(a.crossovers[0].faster, "tbb+highway");
  EXPECT_EQ(a.crossovers[0].below, 256u << 4);
  EXPECT_EQ(a.crossovers[0].above, 256u << 5);
}

TEST(Analysis, LabelsNameOnlyWhatVaries) {
  Report r;
  r.cells.push_back(Cell("openmp", 1, 1024, 1e-6, "L1"));
  r.cells.push_back(Cell("openmp", 2, 1024, 1e-6, "L1"));
  r.cells.push_back(Cell("serial", 1, 1024, 1e-6, "L1"));
  r.cells[0].params.knobs = r.cells[1].params.knobs = {{"hugepages", "off"}};
  EXPECT_EQ(SeriesLabel(r, r.cells[0]), "openmp (1 thread)");
  EXPECT_EQ(SeriesLabel(r, r.cells[1]), "openmp (2 threads)");
  EXPECT_EQ(SeriesLabel(r, r.cells[2]), "serial");
}

}  // namespace
}  // namespace sqb
