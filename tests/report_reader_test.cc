// The report reader: every committed report is accepted; what it refuses, and how it says so.
#include "harness/report_reader.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace sqb {
namespace {

namespace fs = std::filesystem;

std::string SmallReport() {
  std::ifstream in(SQB_SOURCE_DIR "/tests/data/small_report.json");
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The small report with the first `from` replaced by `to`.
std::string Edited(const std::string& from, const std::string& to) {
  std::string text = SmallReport();
  const std::size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return text.replace(at, from.size(), to);
}

std::string Repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

std::string RefusalOf(const std::string& text) {
  try {
    ParseReport(text, "a.json");
  } catch (const ReportError& e) {
    return e.what();
  }
  return "(accepted)";
}

TEST(ReportReader, AcceptsEveryCommittedReport) {
  std::vector<fs::path> reports;
  for (const char* dir : {"results", "tests"})
    for (const auto& e : fs::recursive_directory_iterator(fs::path(SQB_SOURCE_DIR) / dir))
      if (e.is_regular_file() && e.path().extension() == ".json") reports.push_back(e.path());
  EXPECT_GE(reports.size(), 17u);  // tests/data, tests/golden and results/vm when this was written
  for (const auto& path : reports) {
    EXPECT_NO_THROW({
      const Report r = ReadReport(path.string());
      EXPECT_FALSE(r.cells.empty()) << path;
    }) << path;
  }
}

TEST(ReportReader, RefusalsNameTheFileAndTheJsonPath) {
  const std::pair<std::string, std::string> cases[] = {
      {Edited("6.344538465951465e-08", "-1"),
       "a.json: cells[0].wall.samples_s[0]: must be finite and > 0 (got -1)"},
      {Edited("6.344538465951465e-08", "0"),
       "a.json: cells[0].wall.samples_s[0]: must be finite and > 0 (got 0)"},
      {Edited("6.344538465951465e-08", "1e400"),
       "a.json: cells[0].wall.samples_s[0]: not valid JSON: a number out of the range of a "
       "double"},
      {Edited("\"elements\": 1024", "\"elements\": -5"),
       "a.json: cells[0].elements: must be an integer in [0, 281474976710656] (got -5)"},
      {Edited("\"elements\": 1024", "\"elements\": 0"),
       "a.json: cells[0].elements: must be >= 1 (0 only in a SKIPPED cell)"},
      {Edited("\"threads\": 1", "\"threads\": 1e308"),
       "a.json: cells[0].threads: must be an integer in [1, 1048576] (got 1e+308)"},
      {Edited("\"offset\": 0", "\"offset\": 1048577"),
       "a.json: cells[0].offset: must be an integer in [0, 1048576] (got 1048577)"},
      {Edited("\"operation\": \"square\"", "\"operation\": \"cube\""),
       "a.json: cells[0].operation: must be one of \"square\", \"copy\" (got \"cube\")"},
      {Edited("\"placement\": \"cpus 0\"", "\"placement\": []"),
       "a.json: cells[0].placement: must be a string (got an array)"},
      {Edited("\"hugepages\": \"off\"", "\"hugepages\": 5"),
       "a.json: cells[0].knobs.hugepages: must be a string (got 5)"},
      {Edited("\"cpu.model\": \"Intel(R) Xeon(R) Processor\"", "\"cpu.model\": {}"),
       "a.json: fingerprint.fields[\"cpu.model\"]: must be a string (got an object)"},
      {Edited("\"dtype\": \"f32\",", "\"dtype\": \"f32\", \"dtype\": \"f64\","),
       "a.json: cells[0]: duplicate key \"dtype\""},
      {Edited("\"level\": \"L1\"", "\"level\": \"L4\""),
       "a.json: cells[0].level: must be one of \"L1\", \"L2\", \"L3\", \"L1+\", \"L2+\", \"L3+\", "
       "\"DRAM\" (got \"L4\")"},
      {Edited("\"calls_per_sample\": 34862", "\"calls_per_sample\": 0"),
       "a.json: cells[0].calls_per_sample: must be >= 1 when wall.samples_s is not empty"},
      {Edited("\"schema_version\": 1", "\"schema_version\": 0"),
       "a.json: schema_version: must be an integer in [1, 2147483647] (got 0)"},
      {Edited("\"schema_version\": 1", "\"schema_version\": 2"),
       "a.json: schema_version 2 is newer than this squarebench reads (1)"},
      {Edited("\"tool\": \"squarebench\"", "\"tool\": 7"), "a.json: not a squarebench report"},
      {Edited("\"complete\": true", "\"complete\": 1"),
       "a.json: complete: must be true or false (got 1)"},
      {std::string(40, '['), "a.json: " + Repeat("[0]", 32) + ": nested deeper than 32 levels"},
      {Repeat("[", 32) + Repeat("]", 32), "a.json: not a squarebench report"},
      {Edited("\"backend\": \"serial\"", "\"backend\": \"" + std::string(1 << 20, 'x') + "x\""),
       "a.json: cells[0].backend: a string of 1048577 bytes (at most 1048576)"},
      {"{\"a\": tru", "a.json: not valid JSON: it ends early, in a (truncated?)"},
      {"  \n", "a.json: empty file"},
  };
  for (const auto& [text, message] : cases) EXPECT_EQ(RefusalOf(text), message);
}

TEST(ReportReader, QuotedValuesAreEscapedAndCut) {
  const std::string refusal = RefusalOf(Edited(
      "\"dtype\": \"f32\"", "\"dtype\": \"f\\n16\\u001b[31m" + std::string(200, 'x') + "\""));
  EXPECT_EQ(refusal.find('\n'), std::string::npos) << refusal;
  EXPECT_NE(refusal.find(R"((got "f\n16\u001b[31mxxx)"), std::string::npos) << refusal;
  EXPECT_NE(refusal.find("x\"...)"), std::string::npos) << refusal;
  EXPECT_LT(refusal.size(), 200u) << refusal;
  // The file's own name is kept to one line too.
  try {
    ParseReport("", "a\nb.json");
    FAIL();
  } catch (const ReportError& e) {
    EXPECT_STREQ(e.what(), "a\\nb.json: empty file");
  }
}

TEST(ReportReader, ASkippedCellMayHaveNoSizeAndUnknownFieldsAreIgnored) {
  nlohmann::json j = nlohmann::json::parse(SmallReport());
  j["cells"][0]["status"] = "SKIPPED";
  j["cells"][0]["elements"] = 0;
  j["cells"][0]["level"] = "";
  j["cells"][1]["not_yet_invented"] = {{"any", {1, "thing"}}};
  j["analysis"] = nullptr;
  const Report r = ParseReport(j.dump(), "a.json");
  EXPECT_EQ(r.cells[0].params.elements, 0u);
  j["cells"][0]["level"] = "L1";
  EXPECT_EQ(RefusalOf(j.dump()), "a.json: cells[0].level: must be \"\" when elements is 0");
}

class ReportFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("sqb_report_reader_test_" + std::to_string(getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string RefusalOfFile(const fs::path& path) {
    try {
      ReadReport(path.string());
    } catch (const ReportError& e) {
      return e.what();
    }
    return "(accepted)";
  }

  fs::path dir_;
};

TEST_F(ReportFileTest, OnlyRegularFilesAreRead) {
  EXPECT_EQ(RefusalOfFile(dir_ / "missing.json"),
            (dir_ / "missing.json").string() + ": cannot open (No such file or directory)");
  EXPECT_EQ(RefusalOfFile(dir_), dir_.string() + ": not a regular file (a directory)");
  // A FIFO without a writer: refused at once, not waited on.
  const fs::path fifo = dir_ / "fifo";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  EXPECT_EQ(RefusalOfFile(fifo), fifo.string() + ": not a regular file (a FIFO)");
  EXPECT_EQ(RefusalOfFile("/dev/null"), "/dev/null: not a regular file (a device)");
}

TEST_F(ReportFileTest, AFileOverTheCapIsRefusedBeforeItIsRead) {
  const fs::path big = dir_ / "big.json";
  { std::ofstream(big) << "{}"; }
  fs::resize_file(big, kMaxReportBytes + 1);  // sparse: nothing is written
  EXPECT_EQ(RefusalOfFile(big),
            big.string() + ": too large (67108865 bytes; a report is at most 64 MiB)");
}

TEST_F(ReportFileTest, AReportOnDiskIsReadWhole) {
  const fs::path path = dir_ / "a.json";
  { std::ofstream(path) << SmallReport(); }
  EXPECT_EQ(ReadReport(path.string()).cells.size(), 42u);
}

}  // namespace
}  // namespace sqb
