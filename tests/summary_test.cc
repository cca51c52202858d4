// `squarebench summary`: machine labels, the best backend per level, eff %, gaps, every format,
// and the real binary on committed reports and bad input.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "harness/reporters.h"
#include "harness/summary_command.h"
#include "tests/cli_fixture.h"

namespace sqb {
namespace {

using Json = nlohmann::json;

// Elements per array at each level, so each level is its own size.
std::uint64_t ElementsAt(const std::string& level) {
  if (level == "L1") return 1000;
  if (level == "L2") return 100000;
  if (level == "L3") return 1000000;
  return 100000000;
}

CellRecord Cell(const std::string& backend, const std::string& level, double median_s,
                Operation op = Operation::kSquare, DType dtype = DType::kF32,
                CellStatus status = CellStatus::kOk) {
  CellRecord c;
  c.params.backend = backend;
  c.params.dtype = dtype;
  c.params.elements = ElementsAt(level);
  c.level = level;
  c.operation = op;
  c.status = status;
  c.wall.stats.n = 9;
  c.wall.stats.median = median_s;
  return c;
}

Report Machine(const std::string& host, const std::string& cpu, const std::string& l3 = "32 MiB") {
  Report r;
  r.started_utc = "2026-11-25T00:00:00Z";
  r.settings = {{"backends", "default"}, {"dtypes", "f32"}};
  r.fingerprint.fields = {{"cpu.model", cpu},    {"cpu.cores", "2"}, {"cache.l1d", "48 KiB"},
                          {"cache.l2", "2 MiB"}, {"cache.l3", l3},   {"host.name", host},
                          {"load.avg1", "0.1"}};
  return r;
}

constexpr const char* kXeon = "Intel(R) Xeon(R) Platinum 8481C CPU @ 2.70GHz";
constexpr const char* kEpyc = "AMD EPYC 7763 64-Core Processor";

// Machine A: L1 with a copy ceiling, serial and openmp (openmp twice as fast), a FAILED cell
// faster than both; L3 and DRAM. Machine B: only L1, one backend, no ceiling.
std::vector<SavedReport> TwoMachines() {
  Report a = Machine("vm", kXeon);
  a.cells = {Cell("memcpy", "L1", 0.5e-6, Operation::kCopy),
             Cell("serial", "L1", 2e-6),
             Cell("openmp", "L1", 1e-6),
             Cell("broken", "L1", 0.1e-6, Operation::kSquare, DType::kF32, CellStatus::kFailed),
             Cell("openmp", "L3", 1e-3),
             Cell("openmp", "DRAM", 0.1)};
  Report b = Machine("vm", kEpyc);
  b.cells = {Cell("tbb", "L1", 4e-6)};
  return {{"a.json", a}, {"b.json", b}};
}

TEST(Summary, TwoVmHostsOfDifferentCpusGetDifferentLabels) {
  const auto reports = TwoMachines();
  const Summary s = BuildSummary(reports);
  ASSERT_EQ(s.columns.size(), 2u);
  EXPECT_EQ(s.columns[0].label, "vm (Xeon Platinum 8481C 2c 48K/2M/32M)");
  EXPECT_EQ(s.columns[1].label, "vm (EPYC 7763 2c 48K/2M/32M)");
  EXPECT_EQ(s.columns[0].path, "a.json");
  ASSERT_EQ(s.columns[1].facts.size(), 6u);
  EXPECT_EQ(s.columns[1].facts[0], (std::pair<std::string, std::string>{"cpu.model", kEpyc}));
}

TEST(Summary, LabelsThatStillCollideAreNumbered) {
  // Different models, one short descriptor.
  const std::vector<SavedReport> reports = {
      {"1.json", Machine("vm", "Intel(R) Xeon(R) CPU @ 2.20GHz")},
      {"2.json", Machine("vm", "Intel(R) Xeon(R) CPU @ 2.60GHz")},
      {"3.json", Machine("vm", "Intel Xeon CPU")}};
  const Summary s = BuildSummary(reports);
  EXPECT_EQ(s.columns[0].label, "vm (Xeon 2c 48K/2M/32M)");
  EXPECT_EQ(s.columns[1].label, "vm (Xeon 2c 48K/2M/32M) #2");
  EXPECT_EQ(s.columns[2].label, "vm (Xeon 2c 48K/2M/32M) #3");
}

TEST(Summary, BestVerifiedSquarePerLevelWithItsEfficiency) {
  const auto reports = TwoMachines();
  const Summary s = BuildSummary(reports);
  ASSERT_EQ(s.rows.size(), 3u);  // L1, L3, DRAM: no cell is at L2
  EXPECT_EQ(s.rows[0].level, "L1");
  EXPECT_EQ(s.rows[1].level, "L3");
  EXPECT_EQ(s.rows[2].level, "DRAM");
  EXPECT_FALSE(s.several_dtypes);
  const SummaryEntry& a = s.rows[0].entries[0];
  ASSERT_NE(a.best, nullptr);
  EXPECT_EQ(a.best->params.backend, "openmp");  // not the FAILED one, not the copy
  ASSERT_TRUE(a.efficiency.has_value());
  EXPECT_DOUBLE_EQ(a.efficiency->percent, 50);  // copy 0.5 us, openmp 1 us
  const SummaryEntry& b = s.rows[0].entries[1];
  ASSERT_NE(b.best, nullptr);
  EXPECT_EQ(b.best->params.backend, "tbb");
  EXPECT_FALSE(b.efficiency.has_value());  // no ceiling measured
  EXPECT_EQ(s.rows[2].entries[1].best, nullptr);
}

TEST(Summary, BestAcrossSizesOfOneLevelIsByMedianGbps) {
  Report r = Machine("vm", kXeon);
  CellRecord small = Cell("serial", "L2", 1e-6);  // 100000 f32: 800 GB/s
  CellRecord large = Cell("openmp", "L2", 1e-6);
  large.params.elements = 200000;  // 1600 GB/s
  r.cells = {small, large};
  const std::vector<SavedReport> reports = {{"r.json", r}};
  const Summary s = BuildSummary(reports);
  ASSERT_EQ(s.rows.size(), 1u);
  EXPECT_EQ(s.rows[0].entries[0].best->params.backend, "openmp");
}

TEST(Summary, SeveralDtypesGetARowEach) {
  Report r = Machine("vm", kXeon);
  r.cells = {Cell("serial", "L1", 1e-6),
             Cell("serial", "L1", 2e-6, Operation::kSquare, DType::kF64)};
  const std::vector<SavedReport> reports = {{"r.json", r}};
  const Summary s = BuildSummary(reports);
  ASSERT_EQ(s.rows.size(), 2u);
  EXPECT_TRUE(s.several_dtypes);
  EXPECT_EQ(s.rows[1].dtype, DType::kF64);
  EXPECT_NE(RenderSummary(s, Format::kTable).find("\nL1 f64 "), std::string::npos);
}

TEST(Summary, LatestCompleteDefaultRunPerMachine) {
  Report old_run = Machine("vm", kXeon), new_run = Machine("vm", kXeon);
  Report interrupted = Machine("vm", kXeon), picked = Machine("vm", kXeon);
  Report other = Machine("vm", kEpyc);
  new_run.started_utc = "2026-11-26T00:00:00Z";
  interrupted.started_utc = picked.started_utc = "2026-11-27T00:00:00Z";
  interrupted.complete = false;
  picked.settings = {{"backends", "serial,openmp"}};  // not a default run
  picked.fingerprint.fields.back().second = "3.0";    // load differs: the same machine
  const auto runs = LatestDefaultRuns({{"old", old_run},
                                       {"other", other},
                                       {"new", new_run},
                                       {"interrupted", interrupted},
                                       {"picked", picked}});
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0].path, "new");
  EXPECT_EQ(runs[1].path, "other");
}

TEST(Summary, TableShowsEveryColumnGroupAndDashesForGaps) {
  const auto reports = TwoMachines();
  const std::string text = RenderSummary(BuildSummary(reports), Format::kTable);
  EXPECT_NE(text.find("vm (Xeon Platinum 8481C 2c 48K/2M/32M)"), std::string::npos) << text;
  EXPECT_NE(
      text.find("level | backend                    GB/s  eff % | backend          GB/s  eff %\n"),
      std::string::npos)
      << text;
  EXPECT_NE(
      text.find("L1    | openmp                     8.00    50% | tbb              2.00      -\n"),
      std::string::npos)
      << text;
  EXPECT_NE(
      text.find("DRAM  | openmp                     8.00      - | -                   -      -\n"),
      std::string::npos)
      << text;
  EXPECT_NE(text.find("    cpu.model: " + std::string(kEpyc)), std::string::npos) << text;
  EXPECT_NE(text.find("b.json"), std::string::npos);
}

TEST(Summary, MarkdownIsAGithubTable) {
  const auto reports = TwoMachines();
  const std::string md = RenderSummary(BuildSummary(reports), Format::kMarkdown);
  EXPECT_EQ(md.rfind("# squarebench summary\n", 0), 0u);
  EXPECT_NE(md.find("| level | vm (Xeon Platinum 8481C 2c 48K/2M/32M): backend | GB/s | eff % |"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("| :-- | :-- | --: | --: | :-- | --: | --: |"), std::string::npos) << md;
  EXPECT_NE(md.find("| DRAM | openmp | 8.00 | - | - | - | - |"), std::string::npos) << md;
  EXPECT_NE(md.find("## Machines"), std::string::npos);
}

TEST(Summary, JsonHasOneRecordPerMachineLevelAndDtype) {
  const auto reports = TwoMachines();
  const Json j = Json::parse(RenderSummary(BuildSummary(reports), Format::kJson));
  ASSERT_EQ(j["machines"].size(), 2u);
  EXPECT_EQ(j["machines"][1]["fingerprint"]["cpu.model"], kEpyc);
  EXPECT_EQ(j["machines"][1]["report"], "b.json");
  ASSERT_EQ(j["records"].size(), 6u);
  const Json& first = j["records"][0];
  EXPECT_EQ(first["machine"], "vm (Xeon Platinum 8481C 2c 48K/2M/32M)");
  EXPECT_EQ(first["level"], "L1");
  EXPECT_EQ(first["dtype"], "f32");
  EXPECT_EQ(first["backend"], "openmp");
  EXPECT_DOUBLE_EQ(first["median_gbps"].get<double>(), 8.0);
  EXPECT_DOUBLE_EQ(first["efficiency_pct"].get<double>(), 50);
  EXPECT_TRUE(j["records"][5]["backend"].is_null());  // machine B at DRAM
  EXPECT_TRUE(j["records"][3]["efficiency_pct"].is_null());
}

TEST(Summary, CsvHasOneRecordPerMachineLevelAndDtype) {
  auto reports = TwoMachines();
  reports[1].path = "with, comma.json";
  const std::string csv = RenderSummary(BuildSummary(reports), Format::kCsv);
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 7);
  EXPECT_EQ(csv.rfind("machine,level,dtype,backend,median_gbps,efficiency_pct,report\n", 0), 0u);
  EXPECT_NE(csv.find("vm (Xeon Platinum 8481C 2c 48K/2M/32M),L1,f32,openmp,8,50,a.json\n"),
            std::string::npos)
      << csv;
  EXPECT_NE(csv.find("vm (EPYC 7763 2c 48K/2M/32M),DRAM,f32,,,,\"with, comma.json\"\n"),
            std::string::npos)
      << csv;
}

// The real binary.
class SummaryCli : public testing::CliTest {
 protected:
  std::filesystem::path Committed() const {
    for (const auto& e : std::filesystem::directory_iterator(SQB_SOURCE_DIR "/results/vm"))
      if (e.path().extension() == ".json") return e.path();
    return {};
  }
  // A committed report, its fingerprint changed to another machine's, written to `to`.
  void WriteAsOtherMachine(const std::filesystem::path& to) const {
    std::ifstream in(Committed());
    Json j = Json::parse(in);
    j["fingerprint"]["fields"]["cpu.model"] = kEpyc;
    j["settings"]["backends"] = "default";
    j["complete"] = true;
    std::ofstream(to) << j.dump(1);
  }
};

TEST_F(SummaryCli, CommittedFolderIsOneMachine) {
  const auto r = Run({"summary", SQB_SOURCE_DIR "/results/vm", "--format", "json"});
  ASSERT_EQ(r.code, 0) << r.err;
  const Json j = Json::parse(r.out);
  ASSERT_EQ(j["machines"].size(), 1u);
  EXPECT_EQ(j["machines"][0]["fingerprint"]["host.name"], "vm");
  EXPECT_EQ(j["records"][0]["level"], "L1");
}

TEST_F(SummaryCli, FolderAndFileOfTwoMachinesWrittenToOut) {
  std::filesystem::create_directories(dir_ / "collected" / "vm");
  WriteAsOtherMachine(dir_ / "collected" / "vm" / "epyc.json");
  const std::string out = (dir_ / "summary.md").string();
  const auto r = Run({"summary", (dir_ / "collected").string(), SQB_SOURCE_DIR "/results/vm",
                      "--format", "md", "--out", out});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "");
  const std::string md = testing::Slurp(out);
  EXPECT_NE(md.find("vm (EPYC 7763 2c"), std::string::npos) << md;
  EXPECT_NE(md.find("vm (Xeon 2c 48K/2M/480M)"), std::string::npos) << md;
}

TEST_F(SummaryCli, ReportsOfOneMachineAreRepetitionsOfOneColumn) {
  WriteAsOtherMachine(dir_ / "a.json");
  WriteAsOtherMachine(dir_ / "b.json");
  const auto r =
      Run({"summary", (dir_ / "a.json").string(), (dir_ / "b.json").string(), "--format", "json"});
  ASSERT_EQ(r.code, 0) << r.err;
  const Json j = Json::parse(r.out);
  ASSERT_EQ(j["machines"].size(), 1u) << "one machine, two reports merged";
  EXPECT_NE(j["machines"][0]["report"].get<std::string>().find(" + "), std::string::npos)
      << j["machines"][0];
}

TEST_F(SummaryCli, BadInputIsOneLineAndExitTwo) {
  std::filesystem::create_directories(dir_ / "empty");
  std::ofstream(dir_ / "not.json") << "hello";
  std::filesystem::create_directories(dir_ / "other" / "vm");
  WriteAsOtherMachine(dir_ / "other" / "vm" / "r.json");
  const std::vector<std::vector<std::string>> cases = {
      {"summary", (dir_ / "missing.json").string()},
      {"summary", (dir_ / "not.json").string()},
      {"summary", (dir_ / "empty").string()},
      {"summary", (dir_ / "other").string(), "--format", "gbench"}};
  for (const auto& args : cases) {
    const auto r = Run(args);
    EXPECT_EQ(r.code, 2) << args[1] << ": " << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_EQ(r.err.rfind("squarebench: error: ", 0), 0u) << r.err;
    EXPECT_EQ(r.out, "");
  }
}

}  // namespace
}  // namespace sqb
