// The real binary driven as a user would: every bad input is one line on stderr, exit code 2 and
// no file left behind; list, info, help, a small run.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "harness/cli_options.h"
#include "tests/cli_fixture.h"

namespace {

namespace fs = std::filesystem;

using sqb::testing::Slurp;
using Result = sqb::testing::BinaryResult;

using sqb::testing::CliTest;

// The option values as typed, checked without the binary: lists split and parsed, numbers read
// by ParseWholeNumber with one line naming what is wrong.
TEST(RawRunOptions, ListsAreSplitAndParsed) {
  sqb::RawRunOptions o;
  o.sizes = {"1Ki,2Ki", "4096"};
  o.threads = {"1,2"};
  o.offsets = {"0,16"};
  o.dtypes = {"f64"};
  const sqb::RunCommand c = o.Resolve();
  EXPECT_EQ(c.plan.sizes, (std::vector<std::uint64_t>{1024, 2048, 4096}));
  EXPECT_EQ(c.plan.threads, (std::vector<int>{1, 2}));
  EXPECT_EQ(c.plan.offsets, (std::vector<std::uint64_t>{0, 16}));
  EXPECT_EQ(c.plan.dtypes, (std::vector<sqb::DType>{sqb::DType::kF64}));
  EXPECT_EQ(c.plan.bindings, (std::vector<sqb::Binding>{sqb::Binding::kCores}));  // the default
}

TEST(RawRunOptions, BadNumbersAreOneLineEach) {
  const auto error_of = [](auto set) {
    sqb::RawRunOptions o;
    set(o);
    try {
      o.Resolve();
    } catch (const sqb::UsageError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(error_of([](auto& o) { o.offsets = {"x"}; }), "invalid offset 'x': not a number");
  EXPECT_EQ(error_of([](auto& o) { o.offsets = {"2000000"}; }),
            "invalid offset '2000000': too large (at most 1Mi elements)");
  EXPECT_EQ(error_of([](auto& o) { o.threads = {"two"}; }),
            "invalid thread count 'two': not a number");
  EXPECT_EQ(error_of([](auto& o) { o.threads = {"-1"}; }),
            "invalid thread count '-1': must not be negative");
  EXPECT_EQ(error_of([](auto& o) { o.sizes = {"0"}; }),
            "invalid size '0': must be at least 1 element");
  EXPECT_EQ(error_of([](auto& o) { o.threads = {"1,01"}; }),
            "--threads: '1' and '01' are the same value");
}

TEST_F(CliTest, EveryBadInputIsOneLineExitTwoAndNoFile) {
  const std::vector<std::vector<std::string>> cases = {
      {"--backends", "nosuch"},
      {"--backends", "serial@avx2"},
      {"--dtype", "f16"},
      {"--sizes", "0"},
      {"--sizes", "-5"},
      {"--sizes", "abc"},
      {"--sizes", "4Xi"},
      {"--sizes", "200Gi"},  // 1.6 TiB of arrays: refused before allocating
      {"--levels", "L7"},
      {"--threads", "0"},
      {"--threads", "100000"},
      {"--threads", "two"},
      {"--bind", "sockets"},
      {"--offset", "x"},
      {"--min-time", "0"},
      {"--min-time", "-1"},
      {"--max-time", "0"},
      {"--samples", "5"},
      {"--samples", "10001"},  // more than a report may hold
      {"--repeat", "0"},
      {"--repeat", "101"},
      {"--samples", "1000", "--repeat", "11"},  // 11000 samples: more than a report may hold
      {"--inject-slowdown", "-0.1"},
      {"--inject-slowdown", "2"},
      {"--min-time", "101"},
      {"--format", "xml"},
      {"--bogus"},
      {"--sizes", "1Ki", "--levels", "L1"},
      {"--stores", "sideways"},
      {"--tasks", "0"},
      {"--tasks", "1000001"},
      {"--tasks", "many"},
      {"--quantum", "0"},
      {"--quantum", "-4"},
      {"--prefetch", "maybe"},
      {"--backends", "serial", "--tasks", "0"},  // checked even where no backend uses it
      // Lists: an empty item anywhere, and a value given twice in any spelling.
      {"--backends", "serial,,"},
      {"--backends", "serial,"},
      {"--backends", ",serial"},
      {"--backends", ""},
      {"--stores", "regular,"},
      {"--backends", "serial,serial+scalar"},
      {"--backends", "serial", "--backends", "serial"},
      {"--sizes", "1Ki,1024"},
      {"--dtype", "f32,f32"},
      {"--levels", "L1,L1"},
      {"--threads", "1,01"},
      {"--bind", "cores,cores"},
      {"--offset", "0,0"},
      {"--tasks", "4,4"},
      {"--tasks", "1024,1Ki"},
  };
  for (auto args : cases) {
    args.insert(args.begin(), "run");
    for (const std::string& extra : std::vector<std::string>{
             "--out", (dir_ / "out.txt").string(), "--results-dir", (dir_ / "results").string()})
      args.push_back(extra);
    const Result r = Run(args);
    const std::string what = args[1] + " " + (args.size() > 2 ? args[2] : "");
    EXPECT_EQ(r.code, 2) << what << "\n" << r.err;
    EXPECT_EQ(r.err.rfind("squarebench: error: ", 0), 0u) << what << ": " << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << what << ": " << r.err;
    EXPECT_TRUE(r.out.empty()) << what;
    EXPECT_TRUE(LeftBehind().empty()) << what;
  }
}

TEST_F(CliTest, EveryBadSweepInputIsOneLineExitTwo) {
  const std::vector<std::vector<std::string>> cases = {
      {"--from", "64Ki", "--to", "1Ki"},
      {"--from", "0"},
      {"--to", "lots"},
      {"--points-per-octave", "0"},
      {"--budget", "0"},
      {"--budget", "-5"},
      {"--sizes", "1Ki"},  // a sweep chooses its own sizes
      {"--tasks", "0"},
      {"--plot", "--no-save"},
  };
  for (auto args : cases) {
    args.insert(args.begin(), "sweep");
    args.push_back("--results-dir");
    args.push_back((dir_ / "results").string());
    const Result r = Run(args);
    const std::string what = args[1] + " " + args[2];
    EXPECT_EQ(r.code, 2) << what << "\n" << r.err;
    EXPECT_EQ(r.err.rfind("squarebench: error: ", 0), 0u) << what << ": " << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << what << ": " << r.err;
    EXPECT_TRUE(LeftBehind().empty()) << what;
  }
}

// A small sweep: log-spaced sizes, every row verified, fits and a crossover in the JSON.
TEST_F(CliTest, SweepMeasuresLogSpacedSizesAndFitsThem) {
  const Result r = Run({"sweep", "--backends", "serial,openmp", "--from", "1Ki", "--to", "64Ki",
                        "--points-per-octave", "1", "--budget", "5", "--format", "json",
                        "--results-dir", (dir_ / "results").string()});
  ASSERT_EQ(r.code, 0) << r.err;
  const nlohmann::json j = nlohmann::json::parse(r.out);
  std::set<std::uint64_t> sizes;
  for (const auto& c : j["cells"]) {
    EXPECT_EQ(c["status"], "OK");
    sizes.insert(c["elements"].get<std::uint64_t>());
  }
  EXPECT_EQ(sizes, (std::set<std::uint64_t>{1024, 2048, 4096, 8192, 16384, 32768, 65536}));
  EXPECT_FALSE(j["analysis"]["fits"].empty());
  bool budget_note = false;
  for (const auto& n : j["notes"]) budget_note |= n.get<std::string>().find("--budget 5") == 0;
  EXPECT_TRUE(budget_note);
  EXPECT_EQ(LeftBehind().size(), 2u);  // the saved report, .json and .md
}

// scaling: 1..cores threads for every parallel backend, each with its one-thread baseline.
TEST_F(CliTest, ScalingMeasuresOneToAllCoresAndReportsSpeedups) {
  const Result r = Run({"scaling", "--backends", "serial,openmp", "--sizes", "64Ki", "--max-time",
                        "0.05", "--format", "json", "--no-save"});
  ASSERT_EQ(r.code, 0) << r.err;
  const nlohmann::json j = nlohmann::json::parse(r.out);
  std::set<int> openmp_threads;
  for (const auto& c : j["cells"])
    if (c["backend"] == "openmp") openmp_threads.insert(c["threads"].get<int>());
  const int cores = static_cast<int>(openmp_threads.size());
  EXPECT_GE(cores, 1);
  EXPECT_EQ(*openmp_threads.begin(), 1);
  EXPECT_EQ(*openmp_threads.rbegin(), cores);
  if (cores > 1) {
    EXPECT_EQ(j["analysis"]["scaling"].size(), 1u + static_cast<std::size_t>(cores));
  }
  EXPECT_EQ(Run({"scaling", "--levels", "L7", "--no-save"}).code, 2);
}

TEST_F(CliTest, UnwritableOutIsRefusedBeforeRunning) {
  const Result r = Run({"run", "--sizes", "1Ki", "--out", "/nonexistent-dir/x.json"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("/nonexistent-dir/x.json"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1);
}

// By default one line per backend, its variants inline (columns apart by two spaces or more, the
// variants by one); with --details one per variant.
TEST_F(CliTest, ListShowsEveryBackendAndWhetherItRunsHere) {
  const Result r = Run({"list"}), details = Run({"list", "--details"});
  EXPECT_EQ(r.code + details.code, 0);
  for (const char* name : {"serial", "openmp", "tbb", "memcpy", "openmp+memcpy"})
    EXPECT_NE(r.out.find(std::string("\n") + name + " "), std::string::npos) << name << r.out;
  // The rows of the backend table ("" for all), its header and "not here" lines left out.
  const auto rows_of = [](const std::string& out, const std::string& name) {
    std::vector<std::string> rows;
    std::istringstream lines(out.substr(out.find('\n') + 1, out.find("\n\n") - out.find('\n')));
    for (std::string line; std::getline(lines, line);)
      if (name.empty() ? line[0] != ' ' : line.rfind(name + " ", 0) == 0) rows.push_back(line);
    return rows;
  };
  std::size_t variants = 0;
  for (const std::string& row : rows_of(r.out, "")) {
    EXPECT_LE(row.size(), 120u) << row;
    std::vector<std::string> columns;  // backend, default, runs, variants, description
    for (std::size_t at = 0; at < row.size();) {
      const std::size_t gap = row.find("  ", at);
      columns.push_back(row.substr(at, gap - at));
      at = gap == std::string::npos ? gap : row.find_first_not_of(' ', gap);
    }
    ASSERT_EQ(columns.size(), 5u) << row;
    EXPECT_EQ(rows_of(r.out, columns[0]).size(), 1u) << row;
    EXPECT_TRUE(columns[2] == "here" || columns[2] == "some" || columns[2] == "no") << row;
    const std::size_t n = std::count(columns[3].begin(), columns[3].end(), ' ') + 1;
    EXPECT_EQ(rows_of(details.out, columns[0]).size(), n) << row;
    variants += n;
  }
  EXPECT_GT(variants, rows_of(r.out, "").size()) << "some backend has several variants";
  EXPECT_EQ(rows_of(details.out, "").size(), variants);
  for (const std::string& out : {r.out, details.out})
    EXPECT_NE(out.find("\nName grammar: "), std::string::npos);
}

TEST_F(CliTest, InfoShowsTheFingerprint) {
  const Result r = Run({"info"});
  EXPECT_EQ(r.code, 0);
  for (const char* key : {"cpu.model", "cache.l1d", "build.type", "build.flags", "lib.tbb",
                          "memory.thp", "timer.resolution_ns", "load.avg1"})
    EXPECT_NE(r.out.find(key), std::string::npos) << key;
}

TEST_F(CliTest, HelpStatesEveryDefault) {
  const Result r = Run({"run", "--help"});
  EXPECT_EQ(r.code, 0);
  for (const char* option :
       {"--backends",    "--dtype",   "--sizes",          "--levels",    "--threads", "--bind",
        "--offset",      "--samples", "--min-time",       "--max-time",  "--format",  "--out",
        "--results-dir", "--no-save", "--stores",         "--hugepages", "--tasks",   "--quantum",
        "--prefetch",    "--repeat",  "--inject-slowdown"}) {
    const auto at = r.out.find(std::string("\n  ") + option + " ");
    ASSERT_NE(at, std::string::npos) << option;
    const auto next = r.out.find("\n  -", at + 1);
    EXPECT_NE(r.out.substr(at, next - at).find("default"), std::string::npos) << option;
  }
}

TEST_F(CliTest, SmallRunVerifiesEveryRowAndSavesTheReport) {
  const Result r = Run({"run", "--backends", "serial,openmp,tbb,openmp+memcpy", "--sizes", "1Ki",
                        "--dtype", "f32,f64", "--max-time", "0.02", "--format", "csv",
                        "--results-dir", (dir_ / "results").string()});
  EXPECT_EQ(r.code, 0) << r.err;
  std::istringstream lines(r.out);
  std::string line;
  int rows = 0;
  std::getline(lines, line);  // header
  while (std::getline(lines, line)) {
    ++rows;
    EXPECT_NE(line.find(",OK,"), std::string::npos) << line;
  }
  // Per dtype: the 4 asked for (openmp+memcpy is also one of openmp's ceilings) and 8 more
  // ceilings, every one verified: memcpy and copy (regular, streaming) for serial, the two copies
  // for openmp, all three for tbb.
  EXPECT_EQ(rows, 2 * (4 + 8));
  std::vector<std::string> saved = LeftBehind();
  ASSERT_EQ(saved.size(), 2u);
  std::sort(saved.begin(), saved.end());
  EXPECT_EQ(fs::path(saved[0]).extension(), ".json");
  EXPECT_EQ(fs::path(saved[1]).extension(), ".md");
}

TEST_F(CliTest, OutWritesTheChosenFormatWhole) {
  const fs::path out = dir_ / "report.md";
  const Result r = Run({"run", "--backends", "serial", "--sizes", "100", "--max-time", "0.01",
                        "--format", "md", "--out", out.string(), "--no-save"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(r.out.empty());
  EXPECT_NE(Slurp(out).find("| serial"), std::string::npos);
  EXPECT_EQ(LeftBehind().size(), 1u) << "no temporary file left";
}

}  // namespace
