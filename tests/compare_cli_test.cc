// compare through the real binary: a report against itself, a slower copy and the gate, the
// changed-cells view, malformed input, and the google/benchmark format.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/cli_fixture.h"

namespace {

namespace fs = std::filesystem;

using sqb::testing::Slurp;
using Result = sqb::testing::BinaryResult;

using sqb::testing::CliTest;

// A real report from a small run, then variants of it written beside it.
class CompareCliTest : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    report_ = (dir_ / "a.json").string();
    const Result r =
        Run({"run", "--backends", "serial,openmp", "--sizes", "1Ki", "--max-time", "0.05",
             "--repeat", "5", "--format", "json", "--out", report_, "--no-save", "--no-ceilings"});
    ASSERT_EQ(r.code, 0) << r.err;
    nlohmann::json j = nlohmann::json::parse(Slurp(report_));
    ASSERT_EQ(j["cells"][0]["repetitions"].size(), 5u) << "--repeat 5";
    // Timings of a loaded test machine can be too noisy for any verdict: replace them by five
    // repetitions (the fewest a rank test can call different at p <= 0.05 after the BH step)
    // of a fixed +-2% pattern, each shifted by up to 0.5%, so that the verdicts depend only on
    // the scaling below.
    for (auto& cell : j["cells"]) {
      const double median = cell["wall"]["stats"]["median_s"].get<double>();
      cell["wall"]["samples_s"] = nlohmann::json::array();
      for (int rep = 0; rep < 5; ++rep)
        for (int i = 0; i < 5; ++i)
          cell["wall"]["samples_s"].push_back(median * (1 + 0.005 * std::sin(2.3 * rep)) *
                                              (1 + 0.02 * std::sin(1.7 * i + 0.3)));
      cell["repetitions"] = {5, 5, 5, 5, 5};
    }
    Write("a.json", j.dump());
  }

  std::string Write(const std::string& name, const std::string& text) {
    const std::string path = (dir_ / name).string();
    std::ofstream(path) << text;
    return path;
  }

  // The report with every sample time multiplied by `scale`.
  std::string Scaled(const std::string& name, double scale) {
    nlohmann::json j = nlohmann::json::parse(Slurp(report_));
    for (auto& cell : j["cells"])
      for (auto& s : cell["wall"]["samples_s"]) s = s.get<double>() * scale;
    return Write(name, j.dump());
  }

  void ExpectUsageError(const std::string& a, const std::string& b, const std::string& needle) {
    const Result r = Run({"compare", a, b});
    EXPECT_EQ(r.code, 2) << r.err;
    EXPECT_EQ(r.err.rfind("squarebench: error: ", 0), 0u) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_NE(r.err.find(needle), std::string::npos) << r.err;
  }

  std::string report_;
};

TEST_F(CompareCliTest, AgainstItselfIsWithinNoiseAndPassesTheGate) {
  const Result r = Run({"compare", report_, report_, "--fail-on-regression", "--format", "json"});
  EXPECT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["cells"].size(), 2u);
  for (const auto& cell : j["cells"]) EXPECT_EQ(cell["verdict"], "within noise") << cell["cell"];
  EXPECT_EQ(j["match"], "size");
}

TEST_F(CompareCliTest, TenPercentSlowerFailsTheGateOnlyWhenAsked) {
  const std::string slower = Scaled("slower.json", 1.10);
  EXPECT_EQ(Run({"compare", report_, slower}).code, 0);
  const Result r = Run({"compare", report_, slower, "--fail-on-regression", "--format", "json"});
  EXPECT_EQ(r.code, 1) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  for (const auto& cell : j["cells"]) EXPECT_EQ(cell["verdict"], "slower") << cell["cell"];
}

TEST_F(CompareCliTest, TheTableShowsOnlyChangedCellsUnlessDetailsAreAsked) {
  nlohmann::json j = nlohmann::json::parse(Slurp(report_));
  for (auto& cell : j["cells"])
    if (cell["backend"] == "openmp")
      for (auto& s : cell["wall"]["samples_s"]) s = s.get<double>() * 1.10;
  const std::string b = Write("b.json", j.dump());
  const Result r = Run({"compare", report_, b, "--fail-on-regression"});
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_NE(r.out.find("\nopenmp f32 1Ki "), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("\nserial f32 1Ki "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("faster or slower: 1 of 2 cells"), std::string::npos) << r.out;
  for (const auto& args : {std::vector<std::string>{"--details"}, {"--format", "md"}}) {
    std::vector<std::string> command = {"compare", report_, b};
    command.insert(command.end(), args.begin(), args.end());
    const Result all = Run(command);
    EXPECT_EQ(all.code, 0) << all.err;
    EXPECT_NE(all.out.find("serial f32 1Ki "), std::string::npos) << args[0] << all.out;
    EXPECT_NE(all.out.find("within noise"), std::string::npos) << args[0] << all.out;
  }
}

TEST_F(CompareCliTest, SeveralReportsASideAreRepetitionsOfOneRun) {
  // Each report a run of one repetition: alone, a side has no run-to-run variation.
  nlohmann::json j = nlohmann::json::parse(Slurp(report_));
  std::vector<std::string> a, b;
  for (int rep = 0; rep < 5; ++rep) {
    nlohmann::json one = j;
    for (auto& cell : one["cells"]) {
      auto& samples = cell["wall"]["samples_s"];
      samples = nlohmann::json(
          std::vector<double>(samples.begin() + 5 * rep, samples.begin() + 5 * rep + 5));
      cell["repetitions"] = {5};
    }
    a.push_back(Write(fmt::format("a{}.json", rep), one.dump()));
    for (auto& cell : one["cells"])
      for (auto& s : cell["wall"]["samples_s"]) s = s.get<double>() * 1.10;
    fs::create_directories(dir_ / "b");
    b.push_back(Write(fmt::format("b/b{}.json", rep), one.dump()));
  }
  const Result one = Run({"compare", a[0], b[0], "--format", "json"});
  ASSERT_EQ(one.code, 0) << one.err;
  const auto single = nlohmann::json::parse(one.out);
  for (const auto& cell : single["cells"]) {
    EXPECT_EQ(cell["test"], "mann-whitney-samples");
    EXPECT_EQ(cell["verdict"], "within noise") << "10% is within the noise floor";
  }
  // Options come before "--": what follows it is B's reports.
  const Result merged = Run({"compare", "--format", "json", "--fail-on-regression", a[0], a[1],
                             a[2], a[3], a[4], "--", (dir_ / "b").string()});
  EXPECT_EQ(merged.code, 1) << merged.err;
  const auto cells = nlohmann::json::parse(merged.out)["cells"];
  ASSERT_EQ(cells.size(), 2u);
  for (const auto& cell : cells) {
    EXPECT_EQ(cell["a_repetitions"], 5);
    EXPECT_EQ(cell["b_repetitions"], 5) << "the folder holds five reports";
    EXPECT_EQ(cell["test"], "mann-whitney-repetitions");
    EXPECT_EQ(cell["verdict"], "slower") << cell["cell"];
  }
  for (const auto& bad : std::vector<std::vector<std::string>>{
           {"compare", a[0]}, {"compare", a[0], a[1], a[2]}, {"compare", a[0], "--"}}) {
    const Result r = Run(bad);
    EXPECT_EQ(r.code, 2) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
}

TEST_F(CompareCliTest, MalformedInputIsOneLineNamingTheFile) {
  const std::string text = Slurp(report_);
  ExpectUsageError((dir_ / "missing.json").string(), report_, "missing.json: cannot open");
  ExpectUsageError(Write("empty.json", ""), report_, "empty.json: empty file");
  ExpectUsageError(Write("text.json", "hello"), report_, "text.json: not valid JSON");
  ExpectUsageError(report_, Write("other.json", R"({"benchmarks": []})"),
                   "other.json: not a squarebench report");
  nlohmann::json newer = nlohmann::json::parse(text);
  newer["schema_version"] = 99;
  ExpectUsageError(report_, Write("newer.json", newer.dump()),
                   "newer.json: schema_version 99 is newer");
  ExpectUsageError(report_, Write("truncated.json", text.substr(0, text.size() / 2)),
                   "truncated.json: not valid JSON");
  nlohmann::json j = nlohmann::json::parse(text);
  for (auto& cell : j["cells"]) cell["backend"] = "tbb";
  ExpectUsageError(report_, Write("disjoint.json", j.dump()), "no cells in common");
  j["cells"][0].erase("dtype");
  ExpectUsageError(report_, Write("no_dtype.json", j.dump()), "missing field 'dtype'");
}

TEST_F(CompareCliTest, GbenchFormatHasRepetitionsAndAggregates) {
  const Result r = Run({"run", "--backends", "serial", "--sizes", "1Ki", "--max-time", "0.02",
                        "--format", "gbench", "--no-save", "--no-ceilings"});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_TRUE(j.contains("context"));
  int iterations = 0, aggregates = 0;
  for (const auto& b : j["benchmarks"]) {
    EXPECT_EQ(b["run_name"], "serial/f32/1Ki/threads:1/bind:cores/hugepages:off");
    EXPECT_EQ(b["time_unit"], "ns");
    if (b["run_type"] == "iteration") ++iterations;
    if (b["run_type"] == "aggregate") ++aggregates;
  }
  EXPECT_GE(iterations, 9);
  EXPECT_EQ(aggregates, 4);  // mean, median, stddev, cv
}

}  // namespace
