// Thread scaling on synthetic cells with known speedups.
#include "harness/scaling.h"

#include <gtest/gtest.h>

namespace sqb {
namespace {

CellRecord Cell(const std::string& backend, int threads, double seconds) {
  CellRecord c;
  c.params.backend = backend;
  c.params.threads = threads;
  c.params.elements = 1 << 20;
  c.level = "L3";
  c.wall.samples.assign(9, seconds);
  c.wall.stats = Summarize(c.wall.samples);
  return c;
}

TEST(Scaling, SpeedupEfficiencyAndTheFastestOneThreadBackend) {
  Report r;
  r.cells = {Cell("serial", 1, 1.9e-3), Cell("openmp", 1, 2.0e-3), Cell("openmp", 2, 1.2e-3),
             Cell("tbb", 2, 1.0e-3)};  // no 1-thread tbb: no point for it
  const auto points = AnalyzeScaling(r);
  ASSERT_EQ(points.size(), 3u);
  const ScalingPoint& p = points[2];
  EXPECT_EQ(p.series, "openmp");
  EXPECT_EQ(p.threads, 2);
  EXPECT_DOUBLE_EQ(p.speedup, 2.0 / 1.2);
  EXPECT_DOUBLE_EQ(p.efficiency, 2.0 / 1.2 / 2);
  EXPECT_EQ(p.best_single, "serial");
  EXPECT_DOUBLE_EQ(p.over_best_single, 1.9 / 1.2);
  EXPECT_DOUBLE_EQ(p.gbps, 8.0 * (1 << 20) / 1.2e-3 / 1e9);
  EXPECT_EQ(points[0].series, "serial");
  EXPECT_DOUBLE_EQ(points[0].speedup, 1);
}

TEST(Scaling, NothingWhenNoSeriesVariesInThreads) {
  Report r;
  r.cells = {Cell("serial", 1, 1e-3), Cell("openmp", 2, 1e-3)};
  EXPECT_TRUE(AnalyzeScaling(r).empty());
}

TEST(Scaling, UnverifiedCellsAreLeftOut) {
  Report r;
  r.cells = {Cell("openmp", 1, 2e-3), Cell("openmp", 2, 1e-3), Cell("openmp", 4, 0.5e-3)};
  r.cells[2].status = CellStatus::kFailed;
  const auto points = AnalyzeScaling(r);
  ASSERT_EQ(points.size(), 2u);
  EXPECT_EQ(points[1].threads, 2);
}

}  // namespace
}  // namespace sqb
