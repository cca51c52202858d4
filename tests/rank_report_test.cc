// Cells measured across MPI ranks in reports: JSON rank rows written and read back (bad ones
// refused), the per-rank and per-host view with its slow flags, and the tables that name the slow.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "harness/rank_fingerprints.h"
#include "harness/rank_messages.h"
#include "harness/rank_view.h"
#include "harness/report_reader.h"
#include "harness/reporters.h"
#include "harness/stats.h"
#include "tests/sample_report.h"

namespace sqb {
namespace {

constexpr std::uint64_t kShare = std::uint64_t{1} << 20;  // elements per rank
constexpr std::size_t kSamples = 9;

struct RankSpec {
  std::string host;
  double gbps;  // the rank's median rate
};

// A rank's per-call times for `gbps` at the median: 9 samples within 0.8% of one another.
Timing RankTiming(double gbps) {
  const double t = static_cast<double>(2 * sizeof(float) * kShare) / (gbps * 1e9);
  Timing timing;
  for (std::size_t k = 0; k < kSamples; ++k)
    timing.samples.push_back(t * (1 + 0.001 * static_cast<double>((k * 5) % kSamples) - 0.004));
  timing.stats = Summarize(timing.samples);
  return timing;
}

// An f32 cell over the ranks `specs` (rank i on specs[i].host), its samples the slowest rank's.
CellRecord MpiCell(const std::vector<RankSpec>& specs, std::string mode = "together") {
  CellRecord c = testing::SampleCell("openmp", "openmp", "scalar", kShare * specs.size(), 2);
  c.level = "DRAM";
  c.params.ranks = static_cast<int>(specs.size());
  c.params.mpi_mode = std::move(mode);
  c.calls_per_sample = 4;
  c.ceiling_set = "openmp x2 cores";
  c.wall.samples.assign(kSamples, 0);
  for (std::size_t i = 0; i < specs.size(); ++i) {
    RankRecord r{.rank = static_cast<int>(i),
                 .host = specs[i].host,
                 .cpus = i % 2 == 0 ? "0-3" : "4-7",
                 .elements = kShare,
                 .wall = RankTiming(specs[i].gbps)};
    for (std::size_t k = 0; k < kSamples; ++k)
      c.wall.samples[k] = std::max(c.wall.samples[k], r.wall.samples[k]);
    c.ranks.push_back(std::move(r));
  }
  c.wall.stats = Summarize(c.wall.samples);
  return c;
}

// Five hosts of two ranks: a, b, c at 10 GB/s a rank, d at 8.5 (0.85x), e at 9.5 (0.95x).
std::vector<RankSpec> FiveHosts() {
  std::vector<RankSpec> specs;
  for (const auto& [host, gbps] :
       {std::pair{"a", 10.0}, {"b", 10.0}, {"c", 10.0}, {"d", 8.5}, {"e", 9.5}}) {
    specs.push_back({host, gbps});
    specs.push_back({host, gbps});
  }
  return specs;
}

Report MpiReport(std::vector<CellRecord> cells) {
  Report r;
  r.tool_version = "0.1.0";
  r.started_utc = "2026-11-24T22:05:00Z";
  r.fingerprint.fields = {{"host.name", "a"}};
  r.cells = std::move(cells);
  return r;
}

std::string LineContaining(const std::string& text, const std::string& needle) {
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (line.find(needle) != std::string::npos) return line;
  return "";
}

std::size_t Count(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1))
    ++n;
  return n;
}

TEST(RankReportJson, RankRowsRoundTrip) {
  Report r = MpiReport({MpiCell(FiveHosts()), MpiCell({{"a", 5}, {"a", 6}}, "each")});
  r.cells[0].ranks[3].device = "0.1";
  r.cells[0].flags = SlowRankFlags(r.cells[0], r.slow_below);
  r.slow_below = 0.8;
  const std::string text = RenderJson(r);
  const nlohmann::json j = nlohmann::json::parse(text);
  EXPECT_EQ(j["slow_below"], 0.8);
  const nlohmann::json& row = j["cells"][0]["rank_rows"][7];
  EXPECT_EQ(row["host"], "d");
  EXPECT_EQ(row["elements"], kShare);
  const CellRecord& c = r.cells[0];
  EXPECT_DOUBLE_EQ(row["wall"]["gbps"]["median"].get<double>(),
                   RankGigabytesPerSecond(c, c.ranks[7], c.ranks[7].wall.stats.median));
  EXPECT_NEAR(row["wall"]["gbps"]["median"].get<double>(), 8.5, 1e-9);

  const Report back = ParseReport(text, "a.json");
  EXPECT_EQ(back.slow_below, 0.8);
  ASSERT_EQ(back.cells.size(), 2u);
  for (std::size_t i = 0; i < back.cells.size(); ++i) {
    const CellRecord &a = r.cells[i], &b = back.cells[i];
    EXPECT_EQ(b.params.ranks, a.params.ranks);
    EXPECT_EQ(b.params.mpi_mode, a.params.mpi_mode);
    EXPECT_EQ(b.flags, a.flags);
    ASSERT_EQ(b.ranks.size(), a.ranks.size());
    for (std::size_t k = 0; k < a.ranks.size(); ++k) {
      const RankRecord &x = a.ranks[k], &y = b.ranks[k];
      EXPECT_EQ(y.rank, x.rank);
      EXPECT_EQ(y.host, x.host);
      EXPECT_EQ(y.cpus, x.cpus);
      EXPECT_EQ(y.device, x.device);
      EXPECT_EQ(y.elements, x.elements);
      EXPECT_EQ(y.status, x.status);
      EXPECT_EQ(y.message, x.message);
      EXPECT_EQ(y.wall.samples, x.wall.samples);
      EXPECT_EQ(y.wall.stats.median, x.wall.stats.median);
    }
  }
  EXPECT_EQ(RenderJson(back), text);
}

TEST(RankReportJson, SingleProcessReportsHaveNoRankFields) {
  const std::string text = RenderJson(testing::SampleReport());
  for (const char* field : {"\"ranks\"", "\"mpi_mode\"", "\"rank_rows\"", "\"slow_below\""})
    EXPECT_EQ(text.find(field), std::string::npos) << field;
  EXPECT_EQ(ParseReport(text, "a.json").slow_below, 0.90);
}

// The message ParseReport gives for the MPI report edited by `edit`; "" when it is accepted.
template <typename Edit>
std::string RefusalOf(Edit edit) {
  Report r = MpiReport({MpiCell({{"a", 10}, {"a", 10}, {"b", 10}, {"b", 10}})});
  nlohmann::ordered_json j = nlohmann::ordered_json::parse(RenderJson(r));
  edit(j["cells"][0]);
  try {
    ParseReport(j.dump(), "a.json");
  } catch (const ReportError& e) {
    return e.what();
  }
  return "";
}

TEST(RankReportJson, BadRankRowsAreRefusedNamingThePath) {
  using Cell = nlohmann::ordered_json;
  EXPECT_EQ(RefusalOf([](Cell& c) { c["rank_rows"].erase(3); }),
            "a.json: cells[0].rank_rows: holds 3 rows, but ranks is 4");
  EXPECT_EQ(RefusalOf([](Cell& c) { c["rank_rows"][2]["rank"] = 1; }),
            "a.json: cells[0].rank_rows[2].rank: rank 1 is also rank_rows[1]");
  EXPECT_EQ(RefusalOf([](Cell& c) { c["rank_rows"][2]["rank"] = 4; }),
            "a.json: cells[0].rank_rows[2].rank: must be an integer in [0, 3] (got 4)");
  EXPECT_EQ(RefusalOf([](Cell& c) { c["rank_rows"][1]["wall"]["samples_s"].erase(0); }),
            "a.json: cells[0].rank_rows[1].wall.samples_s: holds 8 samples, but the cell's "
            "wall.samples_s holds 9");
  EXPECT_EQ(RefusalOf([](Cell& c) { c["mpi_mode"] = "both"; }),
            "a.json: cells[0].mpi_mode: must be one of \"together\", \"each\" (got \"both\")");
  EXPECT_EQ(RefusalOf([](Cell& c) { c["ranks"] = 0; }),
            "a.json: cells[0].ranks: must be an integer in [1, 1048576] (got 0)");
  EXPECT_EQ(RefusalOf([](Cell& c) { c.erase("mpi_mode"); }),
            "a.json: cells[0].ranks: needs mpi_mode beside it (a cell measured across ranks)");
  EXPECT_EQ(RefusalOf([](Cell& c) { c.erase("ranks"); }),
            "a.json: cells[0].mpi_mode: needs ranks beside it (a cell measured across ranks)");
  EXPECT_EQ(RefusalOf([](Cell& c) {
              c.erase("ranks");
              c.erase("mpi_mode");
            }),
            "a.json: cells[0].rank_rows: only a cell with mpi_mode has rank rows");
  EXPECT_EQ(RefusalOf([](Cell& c) { c["rank_rows"][0]["elements"] = 1; }),
            "a.json: cells[0].rank_rows: elements sum to 3145729, but the cell's elements is "
            "4194304");
  EXPECT_EQ(RefusalOf([](Cell& c) { c["rank_rows"][0]["status"] = "FINE"; }),
            "a.json: cells[0].rank_rows[0].status: must be one of \"OK\", \"FAILED\", \"ERROR\", "
            "\"SKIPPED\" (got \"FINE\")");
  EXPECT_EQ(RefusalOf([](Cell& c) { c["rank_rows"][0].erase("host"); }),
            "a.json: cells[0].rank_rows[0]: missing field 'host'");
  // A rank that is not OK may have no samples; an OK one may not.
  EXPECT_EQ(RefusalOf([](Cell& c) {
              c["rank_rows"][1]["status"] = "ERROR";
              c["rank_rows"][1]["wall"]["samples_s"] = nlohmann::ordered_json::array();
            }),
            "");
  EXPECT_EQ(RefusalOf([](Cell& c) { c["rank_rows"][1]["wall"]["samples_s"] = Cell::array(); }),
            "a.json: cells[0].rank_rows[1].wall.samples_s: holds 0 samples, but the cell's "
            "wall.samples_s holds 9");
}

TEST(RankReportJson, SlowBelowIsAFractionUpToOne) {
  Report r = MpiReport({MpiCell({{"a", 10}, {"b", 10}})});
  nlohmann::ordered_json j = nlohmann::ordered_json::parse(RenderJson(r));
  for (const auto& [value, message] :
       {std::pair{1.5, "a.json: slow_below: must be a number in (0, 1] (got 1.5)"},
        {0.0, "a.json: slow_below: must be finite and > 0 (got 0.0)"}}) {
    j["slow_below"] = value;
    EXPECT_THROW(
        {
          try {
            ParseReport(j.dump(), "a.json");
          } catch (const ReportError& e) {
            EXPECT_EQ(std::string(e.what()), message);
            throw;
          }
        },
        ReportError);
  }
}

TEST(RankView, GroupsRanksByHostAndFlagsBelowTheThreshold) {
  const CellRecord c = MpiCell(FiveHosts());
  const RankView v = ViewRanks(c, 0.90);
  ASSERT_EQ(v.hosts.size(), 5u);
  EXPECT_TRUE(v.compare_hosts);
  const HostRate& d = v.hosts[3];
  EXPECT_EQ(d.host, "d");
  EXPECT_EQ(d.ranks, (std::vector<int>{6, 7}));
  EXPECT_DOUBLE_EQ(d.gbps, v.ranks[6].median_gbps + v.ranks[7].median_gbps);
  EXPECT_NEAR(d.gbps, 17, 1e-9);
  EXPECT_NEAR(d.ratio, 0.85, 1e-9);
  EXPECT_TRUE(d.slow);
  EXPECT_NEAR(v.hosts[4].ratio, 0.95, 1e-9);
  EXPECT_FALSE(v.hosts[4].slow);
  EXPECT_FALSE(v.hosts[0].slow);
  EXPECT_EQ(v.slow_hosts, 1u);
  EXPECT_EQ(v.slow_ranks, 2u);
  EXPECT_EQ(SlowRankFlags(c, 0.90),
            (std::vector<std::string>{
                "slow host: d, 0.85x the median host (below 0.90): ranks 6,7",
                "slow rank: 6 on host d, 0.85x the median rank (below 0.90)",
                "slow rank: 7 on host d, 0.85x the median rank (below 0.90)",
            }));
  // The threshold as given: e too below 0.96, nobody below 0.80.
  EXPECT_EQ(SlowRankFlags(c, 0.96),
            (std::vector<std::string>{
                "slow host: d, 0.85x the median host (below 0.96): ranks 6,7",
                "slow host: e, 0.95x the median host (below 0.96): ranks 8,9",
                "slow rank: 6 on host d, 0.85x the median rank (below 0.96)",
                "slow rank: 7 on host d, 0.85x the median rank (below 0.96)",
                "slow rank: 8 on host e, 0.95x the median rank (below 0.96)",
                "slow rank: 9 on host e, 0.95x the median rank (below 0.96)",
            }));
  EXPECT_TRUE(SlowRankFlags(c, 0.80).empty());
  EXPECT_EQ(SlowestHostLine(ViewRanks(c, 0.80)),
            "slowest host: d, 0.85x the median host (not below 0.80): ranks 6,7");
  EXPECT_EQ(SlowestHostLine(ViewRanks(c, 0.96)),
            "slowest host: d, 0.85x the median host (below 0.96): ranks 6,7; 2 of 5 hosts below "
            "0.96");
  EXPECT_EQ(SlowestRankLine(v),
            "slowest rank: 6 on host d, 0.85x the median rank (below 0.90); 2 of 10 ranks below "
            "0.90");
  EXPECT_TRUE(SlowRankFlags(testing::SampleReport().cells[1], 0.90).empty());
}

TEST(RankView, HostsAreComparedPerRank) {
  // Host c runs one rank where a and b run two: at the same rate a rank it is not slow.
  const CellRecord c = MpiCell({{"a", 10}, {"a", 10}, {"b", 10}, {"b", 10}, {"c", 10}});
  const RankView v = ViewRanks(c, 0.90);
  EXPECT_NEAR(v.hosts[2].gbps, 10, 1e-9);
  EXPECT_NEAR(v.hosts[2].ratio, 1, 1e-9);
  EXPECT_TRUE(SlowRankFlags(c, 0.90).empty());
}

TEST(RankView, OneRankPerHostFlagsRanksOnly) {
  std::vector<RankSpec> specs;
  for (int i = 0; i < 40; ++i) specs.push_back({fmt::format("n{:02}", i), i < 10 ? 5.0 : 10.0});
  const CellRecord c = MpiCell(specs);
  const RankView v = ViewRanks(c, 0.90);
  EXPECT_FALSE(v.compare_hosts);
  EXPECT_EQ(RankSummaryLines(v).front(), "one rank per host: each rank's host is named");
  const std::vector<std::string> flags = SlowRankFlags(c, 0.90);
  ASSERT_EQ(flags.size(), kMaxSlowFlags + 1);
  EXPECT_EQ(flags.front(), "slow rank: 0 on host n00, 0.50x the median rank (below 0.90)");
  EXPECT_EQ(flags.back(), "slow rank: 2 more below 0.90x the median rank");
}

TEST(RankView, RanksNotMeasuredAreNamedNotRated) {
  CellRecord c = MpiCell({{"a", 10}, {"a", 10}, {"b", 10}, {"b", 10}});
  c.ranks[2].status = CellStatus::kError;
  c.ranks[2].message = "out of memory";
  const RankView v = ViewRanks(c, 0.90);
  EXPECT_FALSE(v.hosts[1].measured);
  EXPECT_FALSE(v.compare_hosts);  // one host measured in full
  EXPECT_EQ(RankSummaryLines(v).back(), "not measured: rank 2 on host b: ERROR (out of memory)");
  EXPECT_TRUE(SlowRankFlags(c, 0.90).empty());
}

TEST(RankView, RankListsAreShort) {
  EXPECT_EQ(RankList({0, 1, 2, 3}), "0-3");
  EXPECT_EQ(RankList({2, 3}), "2,3");
  EXPECT_EQ(RankList({1, 5, 6, 7, 9}), "1,5-7,9");
  std::vector<int> strided;
  for (int i = 0; i < 100; ++i) strided.push_back(100 * i);
  EXPECT_EQ(RankList(strided, 3), "0,100,200,... (100 ranks)");
  EXPECT_EQ(FormatRatio(0.8999, 0.90), "0.8999");
  EXPECT_EQ(FormatRatio(0.85, 0.90), "0.85");
}

TEST(RankReportText, MarkdownAndTableNameTheSlowHostInOneLine) {
  Report r = testing::SampleReport();
  r.cells.push_back(MpiCell(FiveHosts()));
  const std::string md = RenderMarkdown(r);
  EXPECT_EQ(LineContaining(md, "slowest host:"),
            "- slowest host: d, 0.85x the median host (below 0.90): ranks 6,7");
  EXPECT_NE(md.find("## Ranks and hosts"), std::string::npos);
  EXPECT_EQ(LineContaining(md, "| d |"), "| d | 6,7 | 17.0 | 0.85 | slow |");
  EXPECT_EQ(LineContaining(md, "| 7 |"), "| 7 | d | 4-7 | 1Mi | 8.50 | 8.53 | 0.85 | OK, slow |");

  const std::string table = RenderTable(r);
  EXPECT_EQ(LineContaining(table, "slowest host:"),
            "    slowest host: d, 0.85x the median host (below 0.90): ranks 6,7");
  EXPECT_NE(LineContaining(table, "    d     6,7"), "");
  EXPECT_EQ(LineContaining(table, "x median,"), "");  // the per-rank table is for --details
  EXPECT_EQ(Count(table, "OK, slow"), 0u);
  const std::string details = RenderTable(r, {.details = true});
  EXPECT_NE(LineContaining(details, "slowest host: d"), "");
  EXPECT_EQ(Count(details, "OK, slow"), 2u);

  // Without rank rows, nothing of this appears.
  EXPECT_EQ(RenderMarkdown(testing::SampleReport()).find("Ranks and hosts"), std::string::npos);
  EXPECT_EQ(RenderTable(testing::SampleReport()).find("ranks:"), std::string::npos);
}

TEST(RankReportText, TenThousandRanksListOnlyTheTellingRows) {
  std::vector<RankSpec> specs;
  for (int i = 0; i < 10000; ++i) specs.push_back({fmt::format("n{:03}", i / 100), 10});
  for (int i = 3700; i < 3800; ++i) specs[i].gbps = 8;  // host n037
  specs[5000].gbps = 4;                                 // one slow rank on a normal host
  const Report r = MpiReport({MpiCell(specs)});
  const std::string md = RenderMarkdown(r);
  EXPECT_EQ(LineContaining(md, "slowest host:"),
            "- slowest host: n037, 0.80x the median host (below 0.90): ranks 3700-3799");
  EXPECT_EQ(LineContaining(md, "slowest rank:"),
            "- slowest rank: 5000 on host n050, 0.40x the median rank (below 0.90); 101 of 10000 "
            "ranks below 0.90");
  // The 101 slow ranks, then the median and fastest; of the hosts the slow one, median, fastest.
  EXPECT_EQ(Count(md, "OK, slow"), 101u);
  EXPECT_EQ(Count(md, "| OK |\n"), 2u);
  EXPECT_EQ(Count(md, "\n| n"), 3u);
  EXPECT_NE(md.find("10000 ranks: listed are the 101 below 0.90x the median rank"),
            std::string::npos);
  EXPECT_NE(md.find("100 hosts: listed are the 1 below 0.90x the median host"), std::string::npos);
}

// Rank 0 of three, the others' fingerprints scripted: rank 2 runs another kernel and clock.
TEST(RankFingerprints, FieldsRanksDifferInAreNamedWithTheRanks) {
  struct ThreeRanks final : Ranks {
    int Size() const override { return 3; }
    std::vector<std::string> Gather(const std::string& mine) override {
      return {mine,
              FieldsToText({{"os.kernel", "6.1"},
                            {"cpu.freq_mhz", "2600"},
                            {"host.name", "b"},
                            {"load.avg1", "3.5"}}),
              FieldsToText({{"os.kernel", "5.10"},
                            {"cpu.freq_mhz", "1800"},
                            {"host.name", "c"},
                            {"load.avg1", "0.1"}})};
    }
  } ranks;
  Report report;
  report.fingerprint.fields = {
      {"os.kernel", "6.1"}, {"cpu.freq_mhz", "2600"}, {"host.name", "a"}, {"load.avg1", "1.0"}};
  GatherFingerprints(ranks, {}, &report);
  const std::vector<std::string>& w = report.fingerprint.warnings;
  ASSERT_EQ(w.size(), 2u) << "host names and load differ between any two ranks: not warned";
  EXPECT_EQ(w[0], "ranks differ in cpu.freq_mhz: '1800' on ranks 2; '2600' on ranks 0,1");
  EXPECT_EQ(w[1], "ranks differ in os.kernel: '5.10' on ranks 2; '6.1' on ranks 0,1");
  const std::string* hosts = report.fingerprint.Find("mpi.hosts");
  ASSERT_NE(hosts, nullptr);
  EXPECT_EQ(*hosts, "3");
}

}  // namespace
}  // namespace sqb
