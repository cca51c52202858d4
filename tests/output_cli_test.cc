// What the real binary does with each kind of output path: a symlink is written through and kept, a
// device or FIFO is written directly, a failed write is one line and exit 4 with nothing partial.
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "tests/cli_fixture.h"

namespace {

namespace fs = std::filesystem;

using sqb::testing::CliTest;
using sqb::testing::Slurp;

// A quick run; `extra` picks the output.
std::vector<std::string> QuickRun(std::vector<std::string> extra) {
  std::vector<std::string> args = {"run",  "--backends",   "serial", "--sizes",
                                   "1Ki",  "--max-time",   "0.01",   "--format",
                                   "json", "--no-ceilings"};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

class OutputTest : public CliTest {
 protected:
  // Checks the one-line error of a failed output: exit 4 and the path and reason named.
  void ExpectWriteError(const sqb::testing::BinaryResult& r, const std::string& path,
                        const std::string& reason) {
    EXPECT_EQ(r.code, 4) << r.err;
    const std::string error = "squarebench: error: cannot write";
    const auto at = r.err.find(error);
    ASSERT_NE(at, std::string::npos) << r.err;
    EXPECT_EQ(r.err.find(error, at + 1), std::string::npos) << "one error line: " << r.err;
    const std::string line = r.err.substr(at, r.err.find('\n', at) - at);
    EXPECT_NE(line.find(path), std::string::npos) << line;
    EXPECT_NE(line.find(reason), std::string::npos) << line;
  }

  // No temporary file anywhere under dir_.
  void ExpectNoTemporary() {
    for (const std::string& f : LeftBehind())
      EXPECT_NE(fs::path(f).filename().string().front(), '.') << f;
  }
};

TEST_F(OutputTest, ASymlinkIsWrittenThroughKeptAndTheTargetKeepsItsMode) {
  fs::create_directories(dir_ / "elsewhere");
  const fs::path target = dir_ / "elsewhere" / "report.json";
  std::ofstream(target) << "old";
  chmod(target.c_str(), 0640);
  const fs::path link = dir_ / "link.json";
  fs::create_symlink(target, link);
  const auto r = Run(QuickRun({"--out", link.string(), "--no-save"}));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(fs::is_symlink(link));
  EXPECT_EQ(nlohmann::json::parse(Slurp(target))["tool"], "squarebench");
  struct stat st {};
  ASSERT_EQ(stat(target.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0640u);
  ExpectNoTemporary();
}

TEST_F(OutputTest, ADanglingSymlinkCreatesItsTarget) {
  const fs::path link = dir_ / "link.json";
  fs::create_symlink("new.json", link);  // relative to the link's folder
  const auto r = Run(QuickRun({"--out", link.string(), "--no-save"}));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(fs::is_symlink(link));
  EXPECT_EQ(nlohmann::json::parse(Slurp(dir_ / "new.json"))["tool"], "squarebench");
}

// A full disk: a symlink in the test's own folder to /dev/full (never a device node as the path).
TEST_F(OutputTest, AFullDiskIsOneLineExitFourAndTheReportIsStillSaved) {
  const fs::path link = dir_ / "full.json";
  fs::create_symlink("/dev/full", link);
  const auto r = Run(QuickRun({"--out", link.string(), "--results-dir", (dir_ / "r").string()}));
  ExpectWriteError(r, link.string(), "No space left on device");
  EXPECT_TRUE(fs::is_symlink(link));
  int saved = 0;
  for (const std::string& f : LeftBehind()) saved += f.find((dir_ / "r").string()) == 0;
  EXPECT_EQ(saved, 2) << "the .json and the .md";
  ExpectNoTemporary();
}

TEST_F(OutputTest, StandardOutputOnAFullDiskIsOneLineExitFour) {
  const fs::path link = dir_ / "full";
  fs::create_symlink("/dev/full", link);
  const auto r = Run(QuickRun({"--no-save"}), {.stdout_path = link.string()});
  ExpectWriteError(r, "standard output", "No space left on device");
  const auto list = Run({"list"}, {.stdout_path = link.string()});
  ExpectWriteError(list, "standard output", "No space left on device");
}

// `squarebench | head`: the reader goes away; the report was saved before stdout was written.
TEST_F(OutputTest, AClosedPipeOnStandardOutputLosesNoReport) {
  const fs::path fifo = dir_ / "pipe";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  const int reader = open(fifo.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  ASSERT_GE(reader, 0);
  const pid_t pid = Start(QuickRun({"--progress", "--results-dir", (dir_ / "r").string()}),
                          {.stdout_path = fifo.string()});
  ASSERT_TRUE(sqb::testing::WaitForStderr(pid, dir_, "probing"));  // stdout is open by then
  close(reader);
  const auto r = Wait(pid);
  ExpectWriteError(r, "standard output", "Broken pipe");
  int saved = 0;
  for (const std::string& f : LeftBehind()) saved += f.find((dir_ / "r").string()) == 0;
  EXPECT_EQ(saved, 2);
}

TEST_F(OutputTest, AFifoWithAReaderIsWrittenDirectlyAndStaysAFifo) {
  const fs::path fifo = dir_ / "fifo";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  std::string received;
  std::thread reader([&] { received = Slurp(fifo); });
  const auto r = Run(QuickRun({"--out", fifo.string(), "--no-save"}));
  reader.join();
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(received)["tool"], "squarebench");
  EXPECT_TRUE(fs::is_fifo(fifo));
}

// A write that fails part-way (a file size limit stands in for a full disk): the existing file is
// untouched and no temporary file is left.
TEST_F(OutputTest, AFailedWriteLeavesTheExistingFileWhole) {
  const fs::path out = dir_ / "report.json";
  std::ofstream(out) << "the previous report";
  const auto r = Run(QuickRun({"--out", out.string(), "--no-save"}),
                     {.ignored_signals = {SIGXFSZ}, .file_size_limit = 1000});
  ExpectWriteError(r, out.string(), "File too large");
  EXPECT_EQ(Slurp(out), "the previous report");
  ExpectNoTemporary();
}

TEST_F(OutputTest, AResultsFolderThatIsAFileIsRefusedBeforeRunning) {
  const fs::path file = dir_ / "results";
  std::ofstream(file) << "not a folder";
  const auto r = Run(QuickRun({"--results-dir", file.string()}));
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_NE(r.err.find("--results-dir: cannot create"), std::string::npos) << r.err;
  EXPECT_EQ(Slurp(file), "not a folder");
}

TEST_F(OutputTest, CompareOutputToAFullDiskIsExitFour) {
  const fs::path report = dir_ / "a.json";
  ASSERT_EQ(Run(QuickRun({"--out", report.string(), "--no-save"})).code, 0);
  const fs::path link = dir_ / "full.txt";
  fs::create_symlink("/dev/full", link);
  const auto r = Run({"compare", report.string(), report.string(), "--out", link.string()});
  ExpectWriteError(r, link.string(), "No space left on device");
}

}  // namespace
