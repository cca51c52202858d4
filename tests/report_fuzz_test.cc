// A mutation fuzzer of a real report through the reader and compare, in-process and via the binary.
#include <fcntl.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <random>

#include "harness/compare.h"
#include "harness/report_reader.h"
#include "harness/sizes.h"
#include "tests/report_mutator.h"
#include "tests/spawn_binary.h"

namespace sqb::testing {
namespace {

namespace fs = std::filesystem;

// Fixed so that CI is deterministic; SQB_FUZZ_SEED=<n> explores other byte flips and picks.
constexpr std::uint64_t kDefaultSeed = 20261124;
constexpr char kMutantName[] = "mutant.json";

std::uint64_t FuzzSeed() {
  const char* env = std::getenv("SQB_FUZZ_SEED");
  return env && *env ? std::strtoull(env, nullptr, 0) : kDefaultSeed;
}

const std::string& SeedText() {
  static const std::string text =
      DeriveFuzzSeed(Slurp(SQB_SOURCE_DIR "/tests/data/small_report.json"));
  return text;
}

const Report& Original() {
  static const Report report = ParseReport(SeedText(), "original.json");
  return report;
}

void WriteFile(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  out.close();
  ASSERT_TRUE(out) << "cannot write " << path;
}

// A file rewritten in place for each mutant. Not truncated through open(): ext4 then flushes the
// data on close, which costs milliseconds a mutant.
class ScratchFile {
 public:
  explicit ScratchFile(const fs::path& path)
      : fd_(open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644)) {}
  ~ScratchFile() {
    if (fd_ >= 0) close(fd_);
  }
  ScratchFile(const ScratchFile&) = delete;
  ScratchFile& operator=(const ScratchFile&) = delete;

  bool Write(const std::string& text) {
    return fd_ >= 0 &&
           pwrite(fd_, text.data(), text.size(), 0) == static_cast<ssize_t>(text.size()) &&
           ftruncate(fd_, static_cast<off_t>(text.size())) == 0;
  }

 private:
  int fd_;
};

// What the reader promises of every report it accepts; "" when kept.
std::string BrokenPromise(const Report& r) {
  if (r.schema_version < 1 || r.schema_version > kSchemaVersion) return "schema_version";
  for (std::size_t i = 0; i < r.cells.size(); ++i) {
    const CellRecord& c = r.cells[i];
    const CellParams& p = c.params;
    const auto bad = [i](std::string_view what) { return fmt::format("cells[{}].{}", i, what); };
    if (p.backend.empty()) return bad("backend");
    if (p.elements > kMaxElements || (p.elements == 0 && c.status != CellStatus::kSkipped))
      return bad("elements");
    if (p.offset > kMaxReportOffset) return bad("offset");
    if (p.threads < 1 || static_cast<std::uint64_t>(p.threads) > kMaxReportThreads)
      return bad("threads");
    if (c.calls_per_sample > kMaxCallsPerSample ||
        (c.calls_per_sample == 0 && !c.wall.samples.empty()))
      return bad("calls_per_sample");
    for (const Timing* t : {&c.wall, c.kernel_only ? &*c.kernel_only : nullptr}) {
      if (!t) continue;
      if (t->samples.size() > kMaxSamplesPerSeries) return bad("samples: too many");
      for (double s : t->samples)
        if (!(std::isfinite(s) && s > 0)) return bad("samples");
    }
    for (const EventCount& e : c.events)
      if (!(std::isfinite(e.per_call) && e.per_call >= 0 && std::isfinite(e.cost_s) &&
            e.cost_s >= 0))
        return bad("events");
  }
  return "";
}

// A refusal must be one printable line naming the file; "" when it is.
std::string BadMessage(std::string_view message) {
  if (message.rfind(std::string(kMutantName) + ": ", 0) != 0) return "does not name the file";
  if (message.size() > 600) return "longer than 600 characters";
  for (const char c : message)
    if (c < 0x20 || c > 0x7e)
      return fmt::format("holds byte 0x{:02x}", static_cast<unsigned char>(c));
  return "";
}

struct Tally {
  std::size_t mutants = 0, accepted = 0, refused = 0;
  std::size_t compared = 0, no_common = 0;  // comparisons (two per accepted mutant)
  std::size_t failures = 0;
};

class ReportFuzz : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* base = std::getenv("SQB_FUZZ_DIR");
    dir_ = fs::path(base && *base ? base : (fs::current_path() / "report_fuzz").string()) /
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    current_ = std::make_unique<ScratchFile>(dir_ / "current.json");
    current_what_ = std::make_unique<ScratchFile>(dir_ / "current.txt");
    start_ = std::chrono::steady_clock::now();
  }

  double Seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }

  // Keeps a mutant that failed under a name of its own, and says where.
  std::string Keep(const Mutant& m, std::size_t index, const std::string& what) {
    const fs::path path = dir_ / fmt::format("failing-{}.json", index);
    WriteFile(path, m.text);
    ++tally_.failures;
    return fmt::format("mutant {} ({}: {}) {}; saved as {}", index, m.family, m.description, what,
                       path.string());
  }

  // Reads the mutant in-process, and compares it with the original both ways when accepted.
  void Try(const Mutant& m, std::size_t index) {
    // Written first: if this mutant crashes the process, the culprit is on disk.
    ASSERT_TRUE(current_->Write(m.text) &&
                current_what_->Write(fmt::format("{}: {}\n", m.family, m.description)))
        << "cannot write in " << dir_;
    ++tally_.mutants;
    std::string problem;
    try {
      const Report r = ParseReport(m.text, kMutantName);
      ++tally_.accepted;
      problem = BrokenPromise(r);
      if (problem.empty()) CompareBothWays(r);
      if (problem.empty() && !m.expect.empty() && m.expect != kAccepted)
        problem = "accepted, not refused with \"" + m.expect + "\"";
    } catch (const ReportError& e) {
      ++tally_.refused;
      const std::string message = e.what();
      if (const std::string bad = BadMessage(message); !bad.empty())
        problem = fmt::format("refused with a message that {}: {}", bad, message);
      else if (m.expect == kAccepted)
        problem = "refused: " + message;
      else if (message.find(m.expect) == std::string::npos)
        problem = fmt::format("refused without \"{}\": {}", m.expect, message);
    } catch (const std::exception& e) {
      problem = fmt::format("threw {}", e.what());
    }
    if (!problem.empty()) ADD_FAILURE() << Keep(m, index, problem);
  }

  void CompareBothWays(const Report& r) {
    CompareOptions options;
    options.resamples = 64;  // the code path of the default 10000, at a fraction of the time
    for (const auto& [a, b] : {std::pair{&r, &Original()}, std::pair{&Original(), &r}}) {
      try {
        const Comparison c = Compare(*a, *b, options);
        for (Format f : {Format::kTable, Format::kMarkdown, Format::kJson})
          if (RenderComparison(c, f).empty()) throw std::runtime_error("empty rendering");
        ++tally_.compared;
      } catch (const CompareError&) {
        ++tally_.no_common;
      }
    }
  }

  void Run(const std::vector<Mutant>& mutants, std::size_t at_least) {
    ASSERT_GE(mutants.size(), at_least);
    for (std::size_t i = 0; i < mutants.size(); ++i) Try(mutants[i], i);
    std::printf(
        "report fuzz, %s: %zu mutants (seed %llu): %zu accepted, %zu refused; %zu comparisons, "
        "%zu with no cells in common; %zu failures; %.1f s\n",
        mutants.front().family.c_str(), tally_.mutants, static_cast<unsigned long long>(FuzzSeed()),
        tally_.accepted, tally_.refused, tally_.compared, tally_.no_common, tally_.failures,
        Seconds());
    if (tally_.failures == 0) fs::remove_all(dir_);
  }

  fs::path dir_;
  std::unique_ptr<ScratchFile> current_, current_what_;  // the mutant being tried, and what it is
  Tally tally_;
  std::chrono::steady_clock::time_point start_;
};

TEST_F(ReportFuzz, TheSeedIsAcceptedAndComparesWithItself) {
  ASSERT_EQ(Original().cells.size(), 7u);
  const Comparison c = Compare(Original(), Original(), {});
  // Not the SKIPPED cell (no size), the FAILED one (not verified) or the ERROR one (no samples).
  EXPECT_EQ(c.cells.size(), 4u);
}

TEST_F(ReportFuzz, ByteFlips) { Run(ByteFlips(SeedText(), FuzzSeed(), 1000), 1000); }

TEST_F(ReportFuzz, Truncations) { Run(Truncations(SeedText()), 1000); }

TEST_F(ReportFuzz, NumberExtremes) { Run(NumberExtremes(SeedText()), 500); }

TEST_F(ReportFuzz, TypeSwaps) { Run(TypeSwaps(SeedText()), 1000); }

TEST_F(ReportFuzz, HostileShapes) { Run(HostileShapes(SeedText()), 100); }

// A few mutants of every family through `squarebench compare`, both ways: exit 0, 1 or 2, and
// when 2, exactly one line on stderr.
TEST_F(ReportFuzz, ThroughTheBinary) {
  constexpr std::size_t kPerFamily = 4;
  // Larger ones (8 MiB of values, 1 MiB strings) cost seconds under sanitizers and test nothing
  // that the in-process runs do not.
  constexpr std::size_t kMaxBytes = std::size_t{1} << 20;
  std::mt19937_64 rng(FuzzSeed());
  std::vector<Mutant> chosen;
  for (const auto& family :
       {ByteFlips(SeedText(), FuzzSeed(), 200), Truncations(SeedText()), NumberExtremes(SeedText()),
        TypeSwaps(SeedText()), HostileShapes(SeedText())}) {
    for (std::size_t k = 0; k < kPerFamily;) {
      const Mutant& m = family[rng() % family.size()];
      if (m.text.size() > kMaxBytes) continue;
      chosen.push_back(m);
      ++k;
    }
  }
  const fs::path original = dir_ / "original.json";
  WriteFile(original, SeedText());
  // Both ways at once, each capturing its output in a folder of its own.
  const fs::path ways[] = {dir_ / "mutant-first", dir_ / "original-first"};
  for (const fs::path& way : ways) fs::create_directories(way);
  std::map<int, std::size_t> codes;
  for (std::size_t i = 0; i < chosen.size(); ++i) {
    const std::string mutant = (dir_ / fmt::format("mutant-{}.json", i)).string();
    WriteFile(mutant, chosen[i].text);
    const pid_t pids[] = {StartBinary(SQB_BINARY, {"compare", mutant, original}, ways[0]),
                          StartBinary(SQB_BINARY, {"compare", original, mutant}, ways[1])};
    for (int w = 0; w < 2; ++w) {
      const BinaryResult r = WaitBinary(pids[w], ways[w]);
      ++codes[r.code];
      std::string problem;
      if (r.code == 2) {
        if (r.err.rfind("squarebench: error: ", 0) != 0 ||
            std::count(r.err.begin(), r.err.end(), '\n') != 1 || r.err.back() != '\n')
          problem = "exit 2 without exactly one error line: " + r.err;
      } else if (r.code == 0 || r.code == 1) {
        if (r.out.empty()) problem = "no output";
      } else {
        problem = fmt::format("exit code {}: {}", r.code, r.err);
      }
      if (!problem.empty()) ADD_FAILURE() << Keep(chosen[i], i, problem);
    }
  }
  std::string per_code;
  for (const auto& [code, n] : codes) per_code += fmt::format(", exit {}: {}", code, n);
  std::printf("report fuzz, binary: %zu mutants, %zu runs (seed %llu)%s; %zu failures; %.1f s\n",
              chosen.size(), 2 * chosen.size(), static_cast<unsigned long long>(FuzzSeed()),
              per_code.c_str(), tally_.failures, Seconds());
  if (tally_.failures == 0) fs::remove_all(dir_);
}

}  // namespace
}  // namespace sqb::testing
