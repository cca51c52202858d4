// Reporter tests: golden files for every format, plus the properties each format promises.
//
// Golden files live in SQB_GOLDEN_DIR (tests/golden). After an intended change of output, run the
// test with SQB_UPDATE_GOLDEN=1 in the environment: it rewrites the golden files instead of
// comparing; review the diff before committing it.
#include "harness/reporters.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <tuple>

#include "harness/efficiency.h"
#include "harness/report_layout.h"
#include "harness/report_reader.h"
#include "tests/sample_report.h"

#ifndef SQB_GOLDEN_DIR
#error "SQB_GOLDEN_DIR must name the golden file folder"
#endif

namespace sqb {
namespace {

constexpr std::size_t kCsvColumns = 37;

using testing::SampleCell;
using testing::SampleReport;

std::string GoldenPath(const std::string& name) { return std::string(SQB_GOLDEN_DIR) + "/" + name; }

void ExpectGolden(const std::string& name, const std::string& actual) {
  const std::string path = GoldenPath(name);
  const char* update = std::getenv("SQB_UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") {
    std::ofstream(path, std::ios::binary) << actual;
    return;
  }
  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(in) << "missing " << path << " (run with SQB_UPDATE_GOLDEN=1 to create it)";
  std::stringstream expected;
  expected << in.rdbuf();
  EXPECT_EQ(expected.str(), actual)
      << "output differs from " << path << " (SQB_UPDATE_GOLDEN=1 rewrites it)";
}

// RFC 4180 records: quoted fields may hold commas, doubled quotes and line breaks.
std::vector<std::vector<std::string>> ParseCsv(const std::string& text) {
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> fields;
  std::string field;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c != '"') {
        field += c;
      } else if (i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else {
        quoted = false;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',' || c == '\n') {
      fields.push_back(std::move(field));
      field.clear();
      if (c == '\n') records.push_back(std::exchange(fields, {}));
    } else {
      field += c;
    }
  }
  EXPECT_FALSE(quoted) << "unterminated quoted field";
  EXPECT_TRUE(fields.empty() && field.empty()) << "last record lacks its line break";
  return records;
}

std::string LineContaining(const std::string& text, const std::string& needle) {
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.find(needle) != std::string::npos) return line;
  }
  return "";
}

TEST(ReportersGolden, Table) { ExpectGolden("report.table.txt", RenderTable(SampleReport())); }
TEST(ReportersGolden, TableDetails) {
  ExpectGolden("report.details.txt", RenderTable(SampleReport(), {.details = true}));
}
TEST(ReportersGolden, Csv) { ExpectGolden("report.csv", RenderCsv(SampleReport())); }
TEST(ReportersGolden, Json) { ExpectGolden("report.json", RenderJson(SampleReport())); }
TEST(ReportersGolden, Markdown) { ExpectGolden("report.md", RenderMarkdown(SampleReport())); }

TEST(Reporters, RenderDispatchesOnFormat) {
  Report r = SampleReport();
  for (std::string_view name : {"table", "csv", "json", "md"}) {
    std::optional<Format> f = ParseFormat(name);
    ASSERT_TRUE(f.has_value()) << name;
    EXPECT_FALSE(Render(r, *f).empty());
  }
  EXPECT_EQ(Render(r, Format::kCsv), RenderCsv(r));
  EXPECT_EQ(FileExtension(Format::kMarkdown), "md");
  EXPECT_EQ(FileExtension(Format::kTable), "txt");
  EXPECT_FALSE(ParseFormat("markdown").has_value());
}

// Sizes enough for fits and a crossover, and two thread counts: every analysis section appears in
// the table and the Markdown (the numbers themselves are tested in fit_test and scaling_test).
TEST(Reporters, AnalysisSectionsAppearWhenTheDataAllows) {
  Report r = SampleReport();
  r.cells.clear();
  for (std::uint64_t n = 1024; n <= 65536; n *= 2) {
    const double bytes = 8.0 * static_cast<double>(n);
    for (const auto& [backend, threads, seconds] :
         std::vector<std::tuple<std::string, int, double>>{{"serial", 1, bytes / 10e9},
                                                           {"openmp", 1, 1e-6 + bytes / 10e9},
                                                           {"openmp", 2, 2e-6 + bytes / 20e9}}) {
      CellRecord c = SampleCell(backend, backend, "scalar", n, threads);
      c.level = "L2";
      c.wall.samples.assign(9, seconds);
      c.wall.stats = Summarize(c.wall.samples);
      r.cells.push_back(c);
    }
  }
  const std::string table = RenderTable(r, {.details = true});
  for (const char* section : {"\nfits: ", "\nscaling: ", "\ncrossovers: "})
    EXPECT_NE(table.find(section), std::string::npos) << section;
  EXPECT_NE(table.find("openmp (2 threads) overtakes serial"), std::string::npos);
  const std::string md = RenderMarkdown(r);
  for (const char* section : {"## Analysis", "### Fits", "### Thread scaling", "### Crossovers"})
    EXPECT_NE(md.find(section), std::string::npos) << section;
}

// The default view: one row per square backend, a column per size, the fastest per column marked
// (bold on a terminal), the cells that did not verify in place with their reasons below.
TEST(Reporters, MatrixMarksTheFastestAndListsWhatDidNotRun) {
  const Report r = SampleReport();
  const std::string table = RenderTable(r);
  const std::string colored = RenderTable(r, {.color = true});
  EXPECT_NE(table.find("44.7 82%*"), std::string::npos) << table;
  EXPECT_NE(colored.find("\x1b[1m44.7 82%*"), std::string::npos) << "the fastest is bold";
  EXPECT_EQ(table.find("openmp+memcpy  "), std::string::npos) << "ceilings are not rows";
  EXPECT_NE(LineContaining(table, "  tbb ").find("FAILED"), std::string::npos) << table;
  EXPECT_NE(table.find("FAILED tbb: y[5]"), std::string::npos) << table;
  EXPECT_NE(table.find("ERROR cuda: no CUDA device; cudaGetDeviceCount"), std::string::npos)
      << "a message's line breaks do not break the layout";
  EXPECT_NE(table.find("L1 3Ki: fastest openmp, 44.7 GB/s = 82% of its ceiling openmp+memcpy, "
                       "1.46x serial"),
            std::string::npos)
      << table;
  for (const auto& line : {table, RenderTable(r, {.details = true})})
    EXPECT_NE(line.find("squarebench 0.1.0 on bench-01"), std::string::npos);
}

TEST(Reporters, FlagCountsPointAtTheSavedReport) {
  const std::string table = RenderTable(SampleReport(), {.saved_markdown = "results/vm/a.md"});
  EXPECT_NE(table.find("flags: 1 cell noisy, 1 cell with outliers; each cell with its flags: "
                       "results/vm/a.md (or --details)"),
            std::string::npos)
      << table;
}

TEST(Reporters, DeviceRowsSayTheDeviceNotAThreadCount) {
  const std::string details = RenderTable(SampleReport(), {.details = true});
  const std::string opencl = LineContaining(details, "2  opencl@pocl ");
  EXPECT_NE(opencl.find("device pocl  -  "), std::string::npos) << opencl;
  EXPECT_EQ(opencl.find(" 1  none"), std::string::npos) << opencl;
}

TEST(Reporters, TableColourOnlyWhenAsked) {
  Report r = SampleReport();
  for (const bool details : {false, true}) {
    EXPECT_EQ(RenderTable(r, {.color = false, .details = details}).find('\x1b'), std::string::npos);
    const std::string colored = RenderTable(r, {.color = true, .details = details});
    EXPECT_NE(colored.find('\x1b'), std::string::npos) << details;
    EXPECT_EQ(std::regex_replace(colored, std::regex("\x1b\\[[0-9;]*m"), ""),
              RenderTable(r, {.details = details}))
        << details;
  }
  std::string colored = RenderTable(r, {.color = true, .details = true});
  EXPECT_NE(colored.find("\x1b[32mOK\x1b[0m"), std::string::npos);
  EXPECT_NE(colored.find("\x1b[31mFAILED\x1b[0m"), std::string::npos);
  EXPECT_NE(colored.find("\x1b[33mSKIPPED\x1b[0m"), std::string::npos);
  EXPECT_EQ(std::regex_replace(colored, std::regex("\x1b\\[[0-9;]*m"), ""),
            RenderTable(r, {.details = true}))
      << "colour must not change the alignment";
}

TEST(Reporters, TableRanksFastestFirstThenCopyThenUnverified) {
  std::string t = RenderTable(SampleReport(), {.details = true});
  std::string first = LineContaining(t, "  openmp  ");
  std::string second = LineContaining(t, "  serial  ");
  EXPECT_TRUE(std::regex_search(first, std::regex(R"(^ +1  openmp )"))) << first;
  EXPECT_TRUE(std::regex_search(second, std::regex(R"(^ +2  serial )"))) << second;
  std::size_t openmp = t.find(first), serial = t.find(second);
  std::size_t copy = t.find("openmp+memcpy (copy ceiling)");
  std::size_t tbb = t.find("tbb [grain 1024]");
  EXPECT_LT(openmp, serial);
  EXPECT_LT(serial, copy);
  EXPECT_LT(copy, tbb);
  EXPECT_NE(t.find("[1] openmp f32 3Ki: noisy: err 7.1% > 5%"), std::string::npos);
  EXPECT_NE(t.find("opencl@pocl (kernel-only)"), std::string::npos);
  EXPECT_NE(t.find("3072 (3Ki) elements"), std::string::npos);
  EXPECT_NE(t.find("1048576 (1Mi) elements"), std::string::npos);
}

TEST(Reporters, TableFailedRowShowsNoNumbers) {
  std::string row =
      LineContaining(RenderTable(SampleReport(), {.details = true}), "tbb [grain 1024]");
  ASSERT_FALSE(row.empty());
  EXPECT_NE(row.find("FAILED"), std::string::npos);
  EXPECT_NE(row.find("y[5] = 0x00000000 expected 0x41c80000"), std::string::npos);
  EXPECT_FALSE(std::regex_search(row, std::regex(R"(\d\.\d|%)"))) << row;
}

TEST(Reporters, BackendsThatCannotRunHereGetTheirOwnBlock) {
  Report r = SampleReport();
  CellRecord skipped = SampleCell("gpuonly", "gpuonly", "scalar", 0, 1);
  skipped.level.clear();
  skipped.status = CellStatus::kSkipped;
  skipped.message = "no device: error 35";
  r.cells.push_back(skipped);
  const std::string table = RenderTable(r, {.details = true});
  EXPECT_NE(table.find("not run: cannot run on this machine"), std::string::npos) << table;
  EXPECT_NE(LineContaining(table, "gpuonly").find("no device: error 35"), std::string::npos);
  EXPECT_EQ(table.find("0 elements"), std::string::npos);
}

TEST(Reporters, IncompleteReportSaysSoFirst) {
  Report r = SampleReport();
  r.complete = false;
  EXPECT_EQ(RenderTable(r).rfind("INCOMPLETE: interrupted", 0), 0u);
  EXPECT_NE(RenderMarkdown(r).find("**Incomplete:**"), std::string::npos);
  EXPECT_FALSE(nlohmann::json::parse(RenderJson(r))["complete"].get<bool>());
}

TEST(Reporters, JsonReadsBackWithEveryCellField) {
  Report r = SampleReport();
  nlohmann::json j = nlohmann::json::parse(RenderJson(r));
  EXPECT_EQ(j["schema_version"], 1);
  EXPECT_EQ(j["tool"], "squarebench");
  EXPECT_EQ(j["command_line"].size(), r.command_line.size());
  EXPECT_EQ(j["fingerprint"]["fields"]["cpu.cores"], "2");
  ASSERT_EQ(j["cells"].size(), r.cells.size());
  for (const nlohmann::json& c : j["cells"]) {
    for (const char* key :
         {"backend", "executor", "chunk_kernel",    "variant",           "operation",
          "dtype",   "elements", "bytes_per_array", "working_set_bytes", "offset",
          "level",   "threads",  "on_device",       "binding",           "knobs",
          "status",  "message",  "placement",       "calls_per_sample",  "wall",
          "flags"}) {
      EXPECT_TRUE(c.contains(key)) << c["backend"] << " lacks " << key;
    }
    EXPECT_TRUE(c["wall"]["samples_s"].is_array());
  }
  const nlohmann::json& openmp = j["cells"][2];
  EXPECT_EQ(openmp["wall"]["samples_s"].get<std::vector<double>>(), r.cells[2].wall.samples);
  EXPECT_EQ(openmp["wall"]["stats"]["median_s"].get<double>(), r.cells[2].wall.stats.median);
  EXPECT_DOUBLE_EQ(openmp["wall"]["gbps"]["median"].get<double>(), 24576 / 0.55e-6 / 1e9);
  EXPECT_LT(openmp["wall"]["gbps"]["ci_low"].get<double>(),
            openmp["wall"]["gbps"]["ci_high"].get<double>());
  EXPECT_EQ(j["cells"][3]["knobs"]["grain"], "1024");
  EXPECT_TRUE(j["cells"][7].contains("kernel_only"));
  EXPECT_FALSE(j["cells"][6].contains("kernel_only"));
  const nlohmann::json& events = j["cells"].back()["events"];
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0]["name"], "switches");
  EXPECT_EQ(events[0]["per_call"], 3.0);
  EXPECT_DOUBLE_EQ(events[0]["per_second"].get<double>(), 3 / 0.901e-6);
  EXPECT_FALSE(events[0].contains("time_pct")) << "switches carry no cost of their own";
  EXPECT_DOUBLE_EQ(events[1]["time_pct"].get<double>(), 100 * 7 * 4.5e-9 / 0.901e-6);
  EXPECT_TRUE(j["cells"][0]["events"].empty());
  const nlohmann::json& error = j["cells"][8];
  EXPECT_EQ(error["status"], "ERROR");
  EXPECT_EQ(error["message"], r.cells[8].message);
  EXPECT_TRUE(error["wall"]["samples_s"].empty());
  EXPECT_FALSE(error["wall"].contains("stats"));
  EXPECT_FALSE(error["wall"].contains("gbps"));
}

TEST(Reporters, JsonReadsBackWithEveryCellsParamsAndEvents) {
  const Report r = SampleReport();
  const auto path = std::filesystem::temp_directory_path() / "sqb_reporters_round_trip.json";
  std::ofstream(path) << RenderJson(r);
  const Report back = ReadReport(path.string());
  std::filesystem::remove(path);
  ASSERT_EQ(back.cells.size(), r.cells.size());
  for (std::size_t i = 0; i < r.cells.size(); ++i) {
    EXPECT_EQ(back.cells[i].params.backend, r.cells[i].params.backend);
    EXPECT_EQ(back.cells[i].params.knobs, r.cells[i].params.knobs);
    EXPECT_EQ(back.cells[i].on_device, r.cells[i].on_device);
    EXPECT_EQ(back.cells[i].wall.samples, r.cells[i].wall.samples);
    ASSERT_EQ(back.cells[i].events.size(), r.cells[i].events.size());
    for (std::size_t e = 0; e < r.cells[i].events.size(); ++e) {
      EXPECT_EQ(back.cells[i].events[e].name, r.cells[i].events[e].name);
      EXPECT_EQ(back.cells[i].events[e].per_call, r.cells[i].events[e].per_call);
      EXPECT_EQ(back.cells[i].events[e].cost_s, r.cells[i].events[e].cost_s);
    }
  }
}

TEST(Reporters, CsvHasOneRecordPerCellAndFixedColumns) {
  Report r = SampleReport();
  std::vector<std::vector<std::string>> records = ParseCsv(RenderCsv(r));
  ASSERT_EQ(records.size(), r.cells.size() + 1);
  for (const auto& record : records) EXPECT_EQ(record.size(), kCsvColumns);
  EXPECT_EQ(records[0][0], "backend");
  EXPECT_EQ(records[0][kCsvColumns - 6], "flags");
  EXPECT_EQ(records[0][kCsvColumns - 4], "ceiling");
  EXPECT_EQ(records[0][kCsvColumns - 3], "on_device");
  EXPECT_EQ(records[0][kCsvColumns - 2], "ranks");
  EXPECT_EQ(records[0][kCsvColumns - 1], "mpi_mode");
  EXPECT_EQ(records[3][kCsvColumns - 2], "1") << "one process alone";
  EXPECT_EQ(records[3][kCsvColumns - 1], "");
  EXPECT_EQ(records[3][kCsvColumns - 4], "openmp+memcpy") << "openmp rated against its copy";
  EXPECT_DOUBLE_EQ(std::stod(records[3][kCsvColumns - 5]), 100 * 0.451e-6 / 0.55e-6);
  EXPECT_EQ(records[3][kCsvColumns - 3], "false");
  EXPECT_EQ(records[8][kCsvColumns - 3], "true") << "opencl runs on a device";
  EXPECT_EQ(records[4][13], "grain=1024");
  EXPECT_EQ(records[4][14], "FAILED");
  EXPECT_EQ(records[4][19], "") << "no times for a FAILED cell";
  EXPECT_EQ(records[9][15], r.cells[8].message) << "quotes and line breaks survive";
  EXPECT_EQ(std::stod(records[3][21]), 0.55e-6);
  EXPECT_EQ(records.back()[kCsvColumns - 7],
            "3 switches per call (3.33 M/s), 7 resumes per call (7.77 M/s; 4.50 ns each: 3.50% of "
            "the time)");
}

}  // namespace
}  // namespace sqb
