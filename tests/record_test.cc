// The record's rules: which copy is a cell's ceiling, how it is rated, names and conversions, and
// the number formats every reporter shares.
#include "harness/record.h"

#include <gtest/gtest.h>

#include "harness/efficiency.h"
#include "harness/report_layout.h"
#include "tests/sample_report.h"

namespace sqb {
namespace {

using testing::SampleReport;

TEST(Record, CeilingIsTheFastestVerifiedCopyOfTheSameSizeSpreadTheSameWay) {
  Report r = SampleReport();
  EXPECT_EQ(Ceiling(r, r.cells[2]), &r.cells[0]);
  EXPECT_EQ(Ceiling(r, r.cells[1]), nullptr) << "no serial copy at this size";
  EXPECT_EQ(Ceiling(r, r.cells[6]), &r.cells[5]) << "not the faster copy on 2 threads";
  const auto e = RateAgainstCeiling(r, r.cells[6]);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->ceiling, &r.cells[5]);
  EXPECT_DOUBLE_EQ(e->percent, 100 * r.cells[5].wall.stats.median / r.cells[6].wall.stats.median);
  EXPECT_DOUBLE_EQ(RateAgainstCeiling(r, r.cells[5])->percent, 100) << "a ceiling rates itself";
  EXPECT_FALSE(RateAgainstCeiling(r, r.cells[3])) << "a FAILED cell is never rated";

  CellRecord faster = r.cells[5];
  faster.wall.stats.median /= 2;
  r.cells.push_back(faster);
  EXPECT_EQ(Ceiling(r, r.cells[6]), &r.cells.back());
  r.cells.back().status = CellStatus::kFailed;
  EXPECT_EQ(Ceiling(r, r.cells[6]), &r.cells[5]) << "only verified copies are ceilings";
  r.cells[5].params.offset = 16;
  EXPECT_EQ(Ceiling(r, r.cells[6]), nullptr);
}

TEST(Record, KernelOnlyIsRatedAgainstTheCeilingsKernelOnlyTime) {
  Report r = SampleReport();
  CellRecord copy = r.cells[7];  // the OpenCL cell, as its own copy ceiling
  copy.operation = Operation::kCopy;
  copy.wall.stats.median *= 2;
  copy.kernel_only->stats.median /= 2;
  r.cells.push_back(copy);
  EXPECT_DOUBLE_EQ(RateAgainstCeiling(r, r.cells[7])->percent, 200);
  EXPECT_DOUBLE_EQ(RateAgainstCeiling(r, r.cells[7], true)->percent, 50);
  r.cells.back().kernel_only.reset();
  EXPECT_TRUE(RateAgainstCeiling(r, r.cells[7]));
  EXPECT_FALSE(RateAgainstCeiling(r, r.cells[7], true)) << "no device time to rate against";
}

TEST(Record, NamesAndConversions) {
  EXPECT_EQ(Name(CellStatus::kSkipped), "SKIPPED");
  EXPECT_EQ(Name(Binding::kNone), "none");
  CellParams p;
  p.dtype = DType::kF64;
  p.elements = 1000;
  EXPECT_DOUBLE_EQ(GigabytesPerSecond(p, 1e-6), 16.0);
  EXPECT_DOUBLE_EQ(GigaElementsPerSecond(p, 1e-6), 1.0);
  Fingerprint f{{{"a", "1"}, {"b", "2"}}, {}};
  ASSERT_NE(f.Find("b"), nullptr);
  EXPECT_EQ(*f.Find("b"), "2");
  EXPECT_EQ(f.Find("c"), nullptr);
}

TEST(ReportLayout, NumberFormats) {
  EXPECT_EQ(FormatElements(3072), "3072 (3Ki)");
  EXPECT_EQ(FormatElements(251658240), "251658240 (240Mi)");
  EXPECT_EQ(FormatElements(1000003), "1000003");
  EXPECT_EQ(FormatRate(44.567), "44.6");
  EXPECT_EQ(FormatRate(3.14159), "3.14");
  EXPECT_EQ(FormatRate(0.5234), "0.52");
  EXPECT_EQ(FormatRate(0.0031234), "0.0031");
}

}  // namespace
}  // namespace sqb
