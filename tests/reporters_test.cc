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

#ifndef SQB_GOLDEN_DIR
#error "SQB_GOLDEN_DIR must name the golden file folder"
#endif

namespace sqb {
namespace {

constexpr std::size_t kCsvColumns = 34;

CellRecord Cell(std::string backend, std::string executor, std::string chunk_kernel,
                std::uint64_t elements, int threads, Operation op = Operation::kSquare) {
  CellRecord c;
  c.params.backend = std::move(backend);
  c.params.executor = std::move(executor);
  c.params.chunk_kernel = std::move(chunk_kernel);
  c.params.dtype = DType::kF32;
  c.params.elements = elements;
  c.params.threads = threads;
  c.params.binding = Binding::kCores;
  c.level = elements == 3072 ? "L1" : "L3";
  c.operation = op;
  c.placement = threads == 1 ? "cpus 0" : "cpus 0,1";
  return c;
}

// Per-call seconds of nine samples, in the order taken, and their summary (filled by hand:
// best, median, ci = 0-based order statistics [1, 7] of 9, mean, max, err% = MAD / median).
Timing Times(std::vector<double> samples, SampleStats stats) { return {std::move(samples), stats}; }

Report MakeReport() {
  Report r;
  r.tool_version = "0.1.0";
  r.started_utc = "2026-11-24T22:05:00Z";
  r.wall_seconds = 12.34;
  r.command_line = {"squarebench", "run", "--sizes", "3Ki,1Mi", "--label", "two words"};
  r.environment = {{"OMP_PROC_BIND", "close"}, {"OMP_WAIT_POLICY", "passive"}};
  r.settings = {{"samples", "9"}, {"min-sample-time", "1ms"}, {"rounds", "interleaved"}};
  r.fingerprint.fields = {{"cpu.model", "Intel(R) Xeon(R) Platinum 8481C CPU @ 2.70GHz"},
                          {"cpu.cores", "2"},
                          {"cache.l1d", "48 KiB"},
                          {"host.name", "bench-01"},
                          {"host.hypervisor", "KVM"},
                          {"build.type", "Release"},
                          {"build.compiler", "GNU 12.2.0"},
                          {"build.flags", "-O3 -DNDEBUG"}};
  r.fingerprint.warnings = {"running under a hypervisor (KVM): timings vary with the host"};
  r.notes = {"cells of one size run interleaved in rounds"};

  constexpr std::uint64_t kSmall = 3072, kLarge = 1 << 20;
  CellRecord copy_a = Cell("openmp+memcpy", "openmp", "memcpy", kSmall, 2, Operation::kCopy);
  copy_a.calls_per_sample = 4096;
  copy_a.wall = Times(
      {0.452e-6, 0.449e-6, 0.455e-6, 0.450e-6, 0.451e-6, 0.460e-6, 0.448e-6, 0.453e-6, 0.450e-6},
      {9, 0.448e-6, 0.451e-6, 0.449e-6, 0.455e-6, 0.452e-6, 0.46e-6, 0.4435, 0});
  r.cells.push_back(copy_a);

  CellRecord serial_a = Cell("serial", "serial", "scalar", kSmall, 1);
  serial_a.calls_per_sample = 2048;
  serial_a.wall = Times(
      {0.801e-6, 0.798e-6, 0.805e-6, 0.799e-6, 0.800e-6, 0.812e-6, 0.797e-6, 0.803e-6, 0.802e-6},
      {9, 0.797e-6, 0.801e-6, 0.798e-6, 0.805e-6, 0.801889e-6, 0.812e-6, 0.2497, 0});
  r.cells.push_back(serial_a);

  CellRecord openmp_a = Cell("openmp", "openmp", "scalar", kSmall, 2);
  openmp_a.calls_per_sample = 4096;
  openmp_a.wall = Times(
      {0.550e-6, 0.548e-6, 0.520e-6, 0.585e-6, 0.511e-6, 0.590e-6, 0.500e-6, 0.600e-6, 0.620e-6},
      {9, 0.5e-6, 0.55e-6, 0.511e-6, 0.6e-6, 0.558222e-6, 0.62e-6, 7.0909, 0});
  openmp_a.flags = {"noisy: err 7.1% > 5%"};
  r.cells.push_back(openmp_a);

  CellRecord tbb_a = Cell("tbb", "tbb", "scalar", kSmall, 2);
  tbb_a.params.knobs = {{"grain", "1024"}};
  tbb_a.summary = "grain 1024";
  tbb_a.status = CellStatus::kFailed;
  tbb_a.message = "y[5] = 0x00000000 expected 0x41c80000 (x = 5)";
  tbb_a.calls_per_sample = 4096;
  tbb_a.wall = Times(
      {0.530e-6, 0.528e-6, 0.533e-6, 0.529e-6, 0.531e-6, 0.540e-6, 0.527e-6, 0.532e-6, 0.530e-6},
      {9, 0.527e-6, 0.53e-6, 0.528e-6, 0.533e-6, 0.531111e-6, 0.54e-6, 0.3774, 0});
  r.cells.push_back(tbb_a);

  CellRecord copy_b = Cell("openmp+memcpy", "openmp", "memcpy", kLarge, 2, Operation::kCopy);
  copy_b.calls_per_sample = 8;
  copy_b.wall = Times(
      {190.2e-6, 189.8e-6, 190.5e-6, 191.0e-6, 189.9e-6, 190.1e-6, 192.4e-6, 190.3e-6, 190.0e-6},
      {9, 189.8e-6, 190.2e-6, 189.9e-6, 191.0e-6, 190.466667e-6, 192.4e-6, 0.1577, 0});
  r.cells.push_back(copy_b);

  CellRecord serial_copy_b = Cell("serial+memcpy", "serial", "memcpy", kLarge, 1, Operation::kCopy);
  serial_copy_b.calls_per_sample = 4;
  serial_copy_b.wall = Times(
      {280.1e-6, 279.5e-6, 281.0e-6, 280.4e-6, 279.9e-6, 280.2e-6, 280.6e-6, 283.0e-6, 280.0e-6},
      {9, 279.5e-6, 280.2e-6, 279.9e-6, 281.0e-6, 280.522222e-6, 283.0e-6, 0.1071, 0});
  r.cells.push_back(serial_copy_b);

  CellRecord serial_b = Cell("serial", "serial", "scalar", kLarge, 1);
  serial_b.calls_per_sample = 4;
  serial_b.wall = Times(
      {330.5e-6, 329.8e-6, 331.2e-6, 330.1e-6, 330.0e-6, 345.0e-6, 329.9e-6, 330.4e-6, 330.2e-6},
      {9, 329.8e-6, 330.2e-6, 329.9e-6, 331.2e-6, 331.9e-6, 345.0e-6, 0.0909, 1});
  serial_b.flags = {"outliers: 1 of 9 samples (modified z-score > 10)"};
  r.cells.push_back(serial_b);

  CellRecord opencl_b = Cell("opencl@pocl", "opencl", "scalar", kLarge, 1);
  opencl_b.params.variant = "pocl";
  opencl_b.params.binding = Binding::kNone;
  opencl_b.placement = "pocl: cpu-haswell-Intel(R) Xeon(R) Platinum 8481C";
  opencl_b.calls_per_sample = 4;
  opencl_b.wall = Times(
      {402.0e-6, 398.5e-6, 400.3e-6, 401.1e-6, 399.8e-6, 400.0e-6, 400.6e-6, 399.5e-6, 400.9e-6},
      {9, 398.5e-6, 400.3e-6, 399.5e-6, 401.1e-6, 400.3e-6, 402.0e-6, 0.1499, 0});
  opencl_b.kernel_only = Times(
      {300.2e-6, 299.8e-6, 300.5e-6, 300.1e-6, 299.9e-6, 300.0e-6, 300.3e-6, 299.7e-6, 300.4e-6},
      {9, 299.7e-6, 300.1e-6, 299.8e-6, 300.4e-6, 300.1e-6, 300.5e-6, 0.0666, 0});
  r.cells.push_back(opencl_b);

  CellRecord cuda_b = Cell("cuda", "cuda", "scalar", kLarge, 1);
  cuda_b.params.binding = Binding::kNone;
  cuda_b.status = CellStatus::kError;
  cuda_b.placement = "";
  cuda_b.message = "no CUDA device\ncudaGetDeviceCount: \"no CUDA-capable device\", code 100";
  r.cells.push_back(cuda_b);

  CellRecord avx3_b = Cell("openmp+highway@avx3", "openmp", "highway", kLarge, 2);
  avx3_b.params.variant = "avx3";
  avx3_b.status = CellStatus::kSkipped;
  avx3_b.placement = "";
  avx3_b.message = "this CPU lacks AVX3 (AVX-512F/BW/DQ/VL)";
  r.cells.push_back(avx3_b);

  // Last so that the indices above hold; laid out in the small group, with its counted events.
  CellRecord interleaved_a = Cell("interleaved", "interleaved", "scalar", kSmall, 1);
  interleaved_a.params.knobs = {{"prefetch", "off"}, {"quantum", "1024"}, {"tasks", "4"}};
  interleaved_a.summary = "4 tasks x 1Ki, cpu 0, prefetch off";
  interleaved_a.calls_per_sample = 2048;
  interleaved_a.wall = Times(
      {0.901e-6, 0.898e-6, 0.905e-6, 0.899e-6, 0.900e-6, 0.912e-6, 0.897e-6, 0.903e-6, 0.902e-6},
      {9, 0.897e-6, 0.901e-6, 0.898e-6, 0.905e-6, 0.901889e-6, 0.912e-6, 0.2220, 0});
  interleaved_a.events = {{"switches", 3, 0}, {"resumes", 7, 4.5e-9}};
  r.cells.push_back(interleaved_a);
  for (CellRecord& c : r.cells)  // as the planner sets them (these executors have no knobs)
    c.ceiling_set =
        fmt::format("{} x{} {}", c.params.executor, c.params.threads, Name(c.params.binding));
  return r;
}

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

TEST(ReportersGolden, Table) { ExpectGolden("report.table.txt", RenderTable(MakeReport())); }
TEST(ReportersGolden, Csv) { ExpectGolden("report.csv", RenderCsv(MakeReport())); }
TEST(ReportersGolden, Json) { ExpectGolden("report.json", RenderJson(MakeReport())); }
TEST(ReportersGolden, Markdown) { ExpectGolden("report.md", RenderMarkdown(MakeReport())); }

TEST(Reporters, RenderDispatchesOnFormat) {
  Report r = MakeReport();
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
  Report r = MakeReport();
  r.cells.clear();
  for (std::uint64_t n = 1024; n <= 65536; n *= 2) {
    const double bytes = 8.0 * static_cast<double>(n);
    for (const auto& [backend, threads, seconds] :
         std::vector<std::tuple<std::string, int, double>>{{"serial", 1, bytes / 10e9},
                                                           {"openmp", 1, 1e-6 + bytes / 10e9},
                                                           {"openmp", 2, 2e-6 + bytes / 20e9}}) {
      CellRecord c = Cell(backend, backend, "scalar", n, threads);
      c.level = "L2";
      c.wall.samples.assign(9, seconds);
      c.wall.stats = Summarize(c.wall.samples);
      r.cells.push_back(c);
    }
  }
  const std::string table = RenderTable(r, TableStyle{false});
  for (const char* section : {"\nfits: ", "\nscaling: ", "\ncrossovers: "})
    EXPECT_NE(table.find(section), std::string::npos) << section;
  EXPECT_NE(table.find("openmp (2 threads) overtakes serial"), std::string::npos);
  const std::string md = RenderMarkdown(r);
  for (const char* section : {"## Analysis", "### Fits", "### Thread scaling", "### Crossovers"})
    EXPECT_NE(md.find(section), std::string::npos) << section;
}

TEST(Reporters, TableColourOnlyWhenAsked) {
  Report r = MakeReport();
  EXPECT_EQ(RenderTable(r, {.color = false}).find('\x1b'), std::string::npos);
  std::string colored = RenderTable(r, {.color = true});
  EXPECT_NE(colored.find("\x1b[32mOK\x1b[0m"), std::string::npos);
  EXPECT_NE(colored.find("\x1b[31mFAILED\x1b[0m"), std::string::npos);
  EXPECT_NE(colored.find("\x1b[33mSKIPPED\x1b[0m"), std::string::npos);
  EXPECT_EQ(std::regex_replace(colored, std::regex("\x1b\\[[0-9;]*m"), ""), RenderTable(r))
      << "colour must not change the alignment";
}

TEST(Reporters, TableRanksFastestFirstThenCopyThenUnverified) {
  std::string t = RenderTable(MakeReport());
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
  std::string row = LineContaining(RenderTable(MakeReport()), "tbb [grain 1024]");
  ASSERT_FALSE(row.empty());
  EXPECT_NE(row.find("FAILED"), std::string::npos);
  EXPECT_NE(row.find("y[5] = 0x00000000 expected 0x41c80000"), std::string::npos);
  EXPECT_FALSE(std::regex_search(row, std::regex(R"(\d\.\d|%)"))) << row;
}

TEST(Reporters, BackendsThatCannotRunHereGetTheirOwnBlock) {
  Report r = MakeReport();
  CellRecord skipped = Cell("gpuonly", "gpuonly", "scalar", 0, 1);
  skipped.level.clear();
  skipped.status = CellStatus::kSkipped;
  skipped.message = "no device: error 35";
  r.cells.push_back(skipped);
  const std::string table = RenderTable(r);
  EXPECT_NE(table.find("not run: cannot run on this machine"), std::string::npos) << table;
  EXPECT_NE(LineContaining(table, "gpuonly").find("no device: error 35"), std::string::npos);
  EXPECT_EQ(table.find("0 elements"), std::string::npos);
}

TEST(Reporters, IncompleteReportSaysSoFirst) {
  Report r = MakeReport();
  r.complete = false;
  EXPECT_EQ(RenderTable(r).rfind("INCOMPLETE: interrupted", 0), 0u);
  EXPECT_NE(RenderMarkdown(r).find("**Incomplete:**"), std::string::npos);
  EXPECT_FALSE(nlohmann::json::parse(RenderJson(r))["complete"].get<bool>());
}

TEST(Reporters, JsonReadsBackWithEveryCellField) {
  Report r = MakeReport();
  nlohmann::json j = nlohmann::json::parse(RenderJson(r));
  EXPECT_EQ(j["schema_version"], 1);
  EXPECT_EQ(j["tool"], "squarebench");
  EXPECT_EQ(j["command_line"].size(), r.command_line.size());
  EXPECT_EQ(j["fingerprint"]["fields"]["cpu.cores"], "2");
  ASSERT_EQ(j["cells"].size(), r.cells.size());
  for (const nlohmann::json& c : j["cells"]) {
    for (const char* key : {"backend",
                            "executor",
                            "chunk_kernel",
                            "variant",
                            "operation",
                            "dtype",
                            "elements",
                            "bytes_per_array",
                            "working_set_bytes",
                            "offset",
                            "level",
                            "threads",
                            "binding",
                            "knobs",
                            "status",
                            "message",
                            "placement",
                            "calls_per_sample",
                            "wall",
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
  const Report r = MakeReport();
  const auto path = std::filesystem::temp_directory_path() / "sqb_reporters_round_trip.json";
  std::ofstream(path) << RenderJson(r);
  const Report back = ReadReport(path.string());
  std::filesystem::remove(path);
  ASSERT_EQ(back.cells.size(), r.cells.size());
  for (std::size_t i = 0; i < r.cells.size(); ++i) {
    EXPECT_EQ(back.cells[i].params.backend, r.cells[i].params.backend);
    EXPECT_EQ(back.cells[i].params.knobs, r.cells[i].params.knobs);
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
  Report r = MakeReport();
  std::vector<std::vector<std::string>> records = ParseCsv(RenderCsv(r));
  ASSERT_EQ(records.size(), r.cells.size() + 1);
  for (const auto& record : records) EXPECT_EQ(record.size(), kCsvColumns);
  EXPECT_EQ(records[0][0], "backend");
  EXPECT_EQ(records[0][kCsvColumns - 3], "flags");
  EXPECT_EQ(records[0][kCsvColumns - 1], "ceiling");
  EXPECT_EQ(records[3][kCsvColumns - 1], "openmp+memcpy") << "openmp rated against its copy";
  EXPECT_DOUBLE_EQ(std::stod(records[3][kCsvColumns - 2]), 100 * 0.451e-6 / 0.55e-6);
  EXPECT_EQ(records[4][13], "grain=1024");
  EXPECT_EQ(records[4][14], "FAILED");
  EXPECT_EQ(records[4][19], "") << "no times for a FAILED cell";
  EXPECT_EQ(records[9][15], r.cells[8].message) << "quotes and line breaks survive";
  EXPECT_EQ(std::stod(records[3][21]), 0.55e-6);
  EXPECT_EQ(records.back()[kCsvColumns - 4],
            "3 switches per call (3.33 M/s), 7 resumes per call (7.77 M/s; 4.50 ns each: 3.50% of "
            "the time)");
}

TEST(Record, CeilingIsTheFastestVerifiedCopyOfTheSameSizeSpreadTheSameWay) {
  Report r = MakeReport();
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
  Report r = MakeReport();
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
