// Comparing reports: verdicts on synthetic reports with known changes, matching, and what is
// listed.
#include "harness/compare.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>

#include "harness/cell_key.h"
#include "harness/merge_reports.h"

namespace sqb {
namespace {

// n samples around `seconds` with a deterministic +-2% spread (no two equal).
std::vector<double> Samples(double seconds, std::size_t n, double scale = 1.0) {
  std::vector<double> s;
  for (std::size_t i = 0; i < n; ++i)
    s.push_back(seconds * scale * (1.0 + 0.02 * std::sin(1.7 * static_cast<double>(i) + 0.3)));
  return s;
}

// `repetitions` of n samples each, repetition r's times shifted by a deterministic +-0.5%.
CellRecord Cell(const std::string& backend, std::uint64_t elements, const std::string& level,
                double seconds, double scale, std::size_t n = 15, std::size_t repetitions = 1) {
  CellRecord c;
  c.params.backend = backend;
  c.params.elements = elements;
  c.level = level;
  c.calls_per_sample = 1;
  for (std::size_t r = 0; r < repetitions; ++r) {
    const double shift = repetitions == 1 ? 1 : 1 + 0.005 * std::sin(2.3 * static_cast<double>(r));
    const std::vector<double> rep = Samples(seconds * shift, n, scale);
    c.wall.samples.insert(c.wall.samples.end(), rep.begin(), rep.end());
    c.repetitions.push_back(n);
  }
  c.wall.stats = Summarize(c.wall.samples);
  return c;
}

// Three backends at two sizes, in `repetitions` of 15 samples; every time multiplied by `scale`.
Report MakeReport(double scale, std::uint64_t small = 3072, std::uint64_t large = 1 << 20,
                  std::size_t repetitions = 5) {
  Report r;
  r.fingerprint.fields = {{"cpu.model", "Xeon"}, {"load.avg1", scale == 1.0 ? "0.1" : "0.9"}};
  for (const char* b : {"serial", "openmp", "tbb"}) {
    r.cells.push_back(Cell(b, small, "L1", 1e-6, scale, 15, repetitions));
    r.cells.push_back(Cell(b, large, "L2", 1e-4, scale, 15, repetitions));
  }
  return r;
}

TEST(CellKey, EveryParameterInOneSpelling) {
  CellRecord c = Cell("interleaved", 3072, "L1", 1e-6, 1.0);
  c.params.threads = 2;
  EXPECT_EQ(CellKey(c), "interleaved f32 3Ki threads=2 bind=cores");
  c.params.offset = 16;
  c.params.knobs = {{"tasks", "64"}, {"prefetch", "on"}};
  EXPECT_EQ(CellKey(c), "interleaved f32 3Ki threads=2 bind=cores offset=16 prefetch=on tasks=64");
  EXPECT_EQ(CellKey(c, KeySize::kLevel),
            "interleaved f32 L1 threads=2 bind=cores offset=16 prefetch=on tasks=64");
  EXPECT_EQ(CellKey(c, KeySize::kNone),
            "interleaved f32 threads=2 bind=cores offset=16 prefetch=on tasks=64");
  EXPECT_EQ(CellKey(c, KeySize::kElements, kBenchmarkKey),
            "interleaved/f32/3Ki/threads:2/bind:cores/offset:16/prefetch:on/tasks:64");
  EXPECT_EQ(KnobsKey(c.params, ";"), "prefetch=on;tasks=64");
  c.params.knobs.clear();
  EXPECT_EQ(KnobsKey(c.params, ";"), "");
}

TEST(Compare, MatchesByTheCellKey) {
  Report a = MakeReport(1.0);
  a.cells[0].params.knobs["tasks"] = "8";
  const Comparison c = Compare(a, a, {.match = MatchBy::kLevel});
  EXPECT_EQ(c.cells.at(0).key, CellKey(a.cells[0], KeySize::kLevel));
  EXPECT_EQ(c.cells.at(0).key, "serial f32 L1 threads=1 bind=cores tasks=8");
}

TEST(Compare, AgainstItselfEverythingIsWithinNoise) {
  const Report a = MakeReport(1.0);
  const Comparison c = Compare(a, a, {});
  EXPECT_EQ(c.match, MatchBy::kSize);
  ASSERT_EQ(c.cells.size(), 6u);
  for (const auto& cell : c.cells) {
    EXPECT_EQ(cell.verdict, Verdict::kWithinNoise) << cell.key;
    EXPECT_DOUBLE_EQ(cell.ratio.ratio, 1.0);
  }
  EXPECT_DOUBLE_EQ(c.levels.back().geomean, 1.0);
  EXPECT_TRUE(c.not_like_for_like.empty());
}

TEST(Compare, TenPercentSlowerIsSlowerEverywhere) {
  const Report a = MakeReport(1.0), b = MakeReport(1.10);
  const Comparison c = Compare(a, b, {});
  for (const auto& cell : c.cells) {
    EXPECT_TRUE(cell.between_repetitions);
    EXPECT_EQ(cell.repetitions_a, 5u);
    EXPECT_EQ(cell.verdict, Verdict::kSlower) << cell.key;
    EXPECT_NEAR(cell.ratio.ratio, 1 / 1.10, 1e-9);
    EXPECT_LT(cell.ratio.high, 0.98);
  }
  EXPECT_EQ(c.levels.back().slower, 6);
  EXPECT_NEAR(c.levels.back().geomean, 1 / 1.10, 1e-9);
}

// The repetitions of tools/compare_reference.py (REPS_A, REPS_B): per-repetition medians, then
// Mann-Whitney U (scipy) and the Hodges-Lehmann shift (the reference's) on their logs.
TEST(Compare, RepetitionsAreTestedOnTheirMediansAsScipyDoes) {
  const std::vector<std::vector<double>> reps_a = {{1.00e-6, 1.02e-6, 1.01e-6},
                                                   {1.05e-6, 1.04e-6, 1.06e-6, 1.05e-6},
                                                   {0.99e-6, 1.00e-6, 0.98e-6},
                                                   {1.03e-6, 1.02e-6, 1.04e-6}};
  const std::vector<std::vector<double>> reps_b = {{1.10e-6, 1.12e-6, 1.11e-6},
                                                   {1.16e-6, 1.15e-6, 1.14e-6},
                                                   {1.09e-6, 1.08e-6, 1.10e-6, 1.12e-6},
                                                   {1.13e-6, 1.11e-6, 1.12e-6},
                                                   {1.20e-6, 1.18e-6}};
  const auto report = [](const std::vector<std::vector<double>>& reps) {
    Report r;
    CellRecord c = Cell("serial", 3072, "L1", 1e-6, 1.0, 0, 0);
    for (const auto& rep : reps) {
      c.wall.samples.insert(c.wall.samples.end(), rep.begin(), rep.end());
      c.repetitions.push_back(rep.size());
    }
    c.wall.stats = Summarize(c.wall.samples);
    r.cells.push_back(c);
    return r;
  };
  const Comparison c = Compare(report(reps_a), report(reps_b), {});
  ASSERT_EQ(c.cells.size(), 1u);
  const CellComparison& cell = c.cells[0];
  EXPECT_TRUE(cell.between_repetitions);
  // B/A of throughput is exp of the shift of log time A against log time B.
  EXPECT_NEAR(std::log(cell.ratio.ratio), -0.10209152678790101, 1e-12);
  EXPECT_NEAR(std::log(cell.ratio.low), -0.16400297627026994, 1e-12);
  EXPECT_NEAR(std::log(cell.ratio.high), -0.055569851154810834, 1e-12);
  EXPECT_NEAR(cell.p, 0.019964453305216043, 1e-12);
  EXPECT_EQ(cell.verdict, Verdict::kSlower);
}

TEST(MergeReports, EachReportIsOneRepetitionOfItsCells) {
  Report a = MakeReport(1.0), b = MakeReport(1.1, 3072, 1 << 20, 1);
  b.cells[1].status = CellStatus::kFailed;
  b.cells[1].message = "wrong result";
  b.cells.push_back(Cell("memcpy", 3072, "L1", 1e-6, 1.0));
  a.complete = false;
  const Report m = MergeReports({a, b});
  ASSERT_EQ(m.cells.size(), 7u) << "a cell of one report only is kept";
  EXPECT_EQ(m.cells[0].repetitions, (std::vector<std::size_t>{75, 15}))
      << "a report's own repetitions share its process: one repetition per report";
  EXPECT_EQ(m.cells[0].wall.samples.size(), 90u);
  EXPECT_EQ(m.cells[0].wall.stats.n, 90u);
  EXPECT_EQ(m.cells[1].status, CellStatus::kFailed);
  EXPECT_EQ(m.cells[1].message, "wrong result");
  EXPECT_FALSE(m.complete);
  EXPECT_EQ(MergeReports({a}).cells[0].repetitions.size(), 5u) << "one report: its own";
}

TEST(Compare, WithOneRepetitionOnlyChangesBeyondTheNoiseFloorCount) {
  const Report a = MakeReport(1.0, 3072, 1 << 20, 1);
  for (const auto& cell : Compare(a, MakeReport(1.10, 3072, 1 << 20, 1), {}).cells) {
    EXPECT_FALSE(cell.between_repetitions);
    EXPECT_EQ(cell.verdict, Verdict::kWithinNoise) << cell.key;
    EXPECT_NE(cell.reason.find("noise floor"), std::string::npos) << cell.reason;
  }
  // Three times slower is beyond every level's floor.
  for (const auto& cell : Compare(a, MakeReport(3.0, 3072, 1 << 20, 1), {}).cells)
    EXPECT_EQ(cell.verdict, Verdict::kSlower) << cell.key;
  // One repetition on one side is enough to fall back to the floor.
  for (const auto& cell : Compare(a, MakeReport(1.10), {}).cells)
    EXPECT_EQ(cell.verdict, Verdict::kWithinNoise) << cell.key;
}

TEST(Compare, OnePercentSlowerIsWithinNoise) {
  const Comparison c = Compare(MakeReport(1.0), MakeReport(1.01), {});
  for (const auto& cell : c.cells) EXPECT_EQ(cell.verdict, Verdict::kWithinNoise) << cell.key;
}

TEST(Compare, TenPercentFasterIsFaster) {
  const Comparison c = Compare(MakeReport(1.0), MakeReport(1 / 1.10), {});
  for (const auto& cell : c.cells) EXPECT_EQ(cell.verdict, Verdict::kFaster) << cell.key;
}

TEST(Compare, FewerThanNineSamplesGetNoVerdict) {
  Report a = MakeReport(1.0, 3072, 1 << 20, 1), b = MakeReport(3.0, 3072, 1 << 20, 1);
  for (auto* r : {&a, &b})
    for (auto& cell : r->cells) {
      cell.wall.samples.resize(8);
      cell.repetitions = {8};
    }
  for (const auto& cell : Compare(a, b, {}).cells) {
    EXPECT_EQ(cell.verdict, Verdict::kWithinNoise);
    EXPECT_FALSE(cell.reason.empty());
  }
}

TEST(Compare, DifferentSizesAreMatchedByLevelAndSaySo) {
  const Comparison c = Compare(MakeReport(1.0), MakeReport(1.0, 4096, 1 << 19), {});
  EXPECT_EQ(c.match, MatchBy::kLevel);
  EXPECT_EQ(c.cells.size(), 6u);
  EXPECT_NE(c.match_reason.find("level"), std::string::npos);
  // Same time per call over 4/3 of the bytes at L1 and 1/2 at L2: the ratio is of throughput.
  for (const auto& cell : c.cells) {
    const double expected = cell.key.find("L1") != std::string::npos ? 4096.0 / 3072 : 0.5;
    EXPECT_NEAR(cell.ratio.ratio, expected, 1e-9) << cell.key;
    EXPECT_EQ(cell.verdict, expected > 1 ? Verdict::kFaster : Verdict::kSlower) << cell.key;
  }
  CompareOptions by_size;
  by_size.match = MatchBy::kSize;
  EXPECT_THROW(Compare(MakeReport(1.0), MakeReport(1.0, 4096, 1 << 19), by_size), CompareError);
}

TEST(Compare, CellsInOneReportOnlyAreListed) {
  Report a = MakeReport(1.0), b = MakeReport(1.0);
  a.cells.push_back(Cell("memcpy", 3072, "L1", 1e-6, 1.0));
  b.cells.push_back(Cell("highway", 3072, "L1", 1e-6, 1.0));
  b.cells.back().params.knobs = {{"stores", "regular"}};
  const Comparison c = Compare(a, b, {});
  ASSERT_EQ(c.only_in_a.size(), 1u);
  EXPECT_NE(c.only_in_a[0].find("memcpy"), std::string::npos);
  ASSERT_EQ(c.only_in_b.size(), 1u);
  EXPECT_NE(c.only_in_b[0].find("stores=regular"), std::string::npos);
}

TEST(Compare, FingerprintDifferencesAreWarningsAndVolatileOnesApart) {
  Report a = MakeReport(1.0), b = MakeReport(1.0);
  b.fingerprint.fields[0].second = "EPYC";
  b.fingerprint.fields[1].second = "1.5";
  const Comparison c = Compare(a, b, {});
  ASSERT_EQ(c.not_like_for_like.size(), 2u);
  EXPECT_EQ(c.not_like_for_like[0], "not like-for-like: cpu.model: Xeon -> EPYC");
  EXPECT_NE(c.not_like_for_like[1].find("load.avg1"), std::string::npos);
}

TEST(Compare, FailedCellsAreNotComparedButListed) {
  Report a = MakeReport(1.0), b = MakeReport(1.0);
  b.cells[0].status = CellStatus::kFailed;
  const Comparison c = Compare(a, b, {});
  EXPECT_EQ(c.cells.size(), 5u);
  ASSERT_EQ(c.not_comparable.size(), 1u);
  EXPECT_NE(c.not_comparable[0].find("FAILED"), std::string::npos);
}

// Extreme times and sizes a report may hold: a result, never NaN from 0 / 0 or inf / inf.
TEST(Compare, ExtremeTimesAndSizesGiveNoNan) {
  Report a = MakeReport(1.0), b = MakeReport(1.0);
  for (Report* r : {&a, &b}) {
    for (CellRecord& c : r->cells) {
      c.params.elements = std::uint64_t{1} << 48;  // seconds per byte of 5e-324 s underflow to 0
      c.wall.samples.assign(16, 5e-324);
      c.wall.stats = Summarize(c.wall.samples);
    }
  }
  for (const auto& cell : Compare(a, b, {}).cells) {
    EXPECT_EQ(cell.ratio.ratio, 1.0) << cell.key;
    EXPECT_EQ(cell.ratio.low, 1.0) << cell.key;
    EXPECT_EQ(cell.ratio.high, 1.0) << cell.key;
  }
  for (CellRecord& c : b.cells) c.wall.samples.assign(16, 1.5e308);  // their sum overflows
  const Comparison c = Compare(a, b, {});
  for (const auto& cell : c.cells) {
    EXPECT_EQ(cell.ratio.ratio, 0.0) << cell.key;  // B is slower beyond any double
    EXPECT_FALSE(std::isnan(cell.ratio.low) || std::isnan(cell.ratio.high)) << cell.key;
  }
  for (Format f : {Format::kTable, Format::kMarkdown, Format::kJson})
    EXPECT_FALSE(RenderComparison(c, f).empty());
}

TEST(Compare, BytesOfHugeSizesDoNotWrapAround) {
  // 2 * 4 * 2^61 bytes overflow 64 bits (to 0): matched by level, B moves twice A's bytes.
  const Comparison c =
      Compare(MakeReport(1.0, std::uint64_t{1} << 60, 1 << 20),
              MakeReport(1.0, std::uint64_t{1} << 61, 1 << 20), {.match = MatchBy::kLevel});
  for (const auto& cell : c.cells) {
    const double expected = cell.level == "L1" ? 2.0 : 1.0;
    EXPECT_NEAR(cell.ratio.ratio, expected, 1e-9) << cell.key;
  }
}

TEST(Compare, TooManyBootstrapDrawsAreRefusedBeforeAnyIsMade) {
  CompareOptions o;
  o.resamples = 1 << 30;  // x 30 samples per cell: over kMaxBootstrapDraws at the first cell
  const Report one = MakeReport(1.0, 3072, 1 << 20, 1);
  EXPECT_THROW(Compare(one, one, o), CompareError);
  EXPECT_NO_THROW(Compare(MakeReport(1.0), MakeReport(1.0), o)) << "repetitions: no bootstrap";
}

TEST(Compare, ManyFingerprintFieldsAreComparedInLinearithmicTime) {
  Report a = MakeReport(1.0), b = MakeReport(1.0);
  for (int i = 0; i < 100000; ++i) {
    a.fingerprint.fields.emplace_back(fmt::format("field.{}", i), "x");
    b.fingerprint.fields.emplace_back(fmt::format("field.{}", i + 50000), "y");
  }
  const Comparison c = Compare(a, b, {});          // in quadratic time, this took minutes
  EXPECT_EQ(c.not_like_for_like.size(), 150000u);  // only in A, in both but not equal, only in B
}

TEST(Compare, ALongKeyDoesNotWidenEveryRow) {
  Report a = MakeReport(1.0);
  a.cells[0].params.knobs["note"] = std::string(100000, 'x');
  const std::string table = RenderComparison(Compare(a, a, {}), Format::kTable, true);
  // The key once, six rows of 300 characters at most, and the header and summary around them.
  EXPECT_LT(table.size(), 100000u + 6 * 300 + 1000);
}

// Only openmp 10% slower: serial and tbb are within noise.
Comparison OnlyOpenmpSlower() {
  const Report a = MakeReport(1.0);
  Report b = a;
  for (CellRecord& c : b.cells) {
    if (c.params.backend != "openmp") continue;
    for (double& s : c.wall.samples) s *= 1.10;
    c.wall.stats = Summarize(c.wall.samples);
  }
  return Compare(a, b, {});
}

TEST(Compare, SummaryPerLevelAndBackend) {
  const Comparison c = OnlyOpenmpSlower();
  ASSERT_EQ(c.backends.size(), 6u);  // 2 levels x 3 backends, in A's order
  for (const LevelSummary& s : c.backends) {
    const bool openmp = s.backend == "openmp";
    EXPECT_EQ(s.slower, openmp ? 1 : 0) << s.level << " " << s.backend;
    EXPECT_EQ(s.same, openmp ? 0 : 1) << s.level << " " << s.backend;
    EXPECT_NEAR(s.geomean, openmp ? 1 / 1.10 : 1.0, 1e-9) << s.level << " " << s.backend;
  }
  EXPECT_EQ(c.backends[0].level, "L1");
  EXPECT_EQ(c.backends[0].backend, "serial");
}

TEST(Compare, TheTableShowsOnlyChangedCellsUnlessDetailsAreAsked) {
  const Comparison c = OnlyOpenmpSlower();
  const std::string short_table = RenderComparison(c, Format::kTable);
  EXPECT_NE(short_table.find("\nopenmp f32 1Mi threads=1 bind=cores "), std::string::npos);
  EXPECT_EQ(short_table.find("serial f32"), std::string::npos) << short_table;
  EXPECT_EQ(short_table.find("tbb f32"), std::string::npos) << short_table;
  EXPECT_NE(short_table.find("faster or slower: 2 of 6 cells"), std::string::npos);
  EXPECT_NE(short_table.find("\n    openmp  0.909; 0 faster, 1 slower, 0 within noise\n"),
            std::string::npos)
      << short_table;
  EXPECT_NE(short_table.find("all: geometric mean B/A"), std::string::npos);
  // Every cell: the table with details, and always Markdown and JSON (they are for files).
  for (const auto& text :
       {RenderComparison(c, Format::kTable, true), RenderComparison(c, Format::kMarkdown),
        RenderComparison(c, Format::kJson)})
    for (const char* cell : {"serial f32 3Ki", "tbb f32 1Mi", "openmp f32 1Mi"})
      EXPECT_NE(text.find(cell), std::string::npos) << cell << "\n" << text;
}

TEST(Compare, NoChangedCellIsSaidAndNothingListedIsCounted) {
  Report a = MakeReport(1.0), b = MakeReport(1.0);
  b.cells.pop_back();
  const std::string table = RenderComparison(Compare(a, b, {}), Format::kTable);
  EXPECT_NE(table.find("faster or slower: 0 of 5 cells"), std::string::npos) << table;
  EXPECT_EQ(table.find("B/A [95% CI]"), std::string::npos) << table;  // no empty table
  EXPECT_NE(table.find("only in A: 1 cell (--details lists them)"), std::string::npos) << table;
}

TEST(Compare, RenderingsNameEveryCell) {
  const Comparison c = Compare(MakeReport(1.0), MakeReport(1.10), {});
  for (Format f : {Format::kTable, Format::kMarkdown, Format::kJson}) {
    const std::string text = RenderComparison(c, f);
    EXPECT_NE(text.find("openmp f32 1Mi threads=1 bind=cores"), std::string::npos);
    EXPECT_NE(text.find("slower"), std::string::npos);
  }
}

}  // namespace
}  // namespace sqb
