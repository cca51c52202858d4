// SIGINT, SIGTERM and SIGHUP through the real binary, each sent once the binary says it has reached
// the state under test: what was measured is saved, marked incomplete, exit 128 + the signal.
#include <signal.h>

#include <nlohmann/json.hpp>

#include "tests/cli_fixture.h"

namespace {

namespace fs = std::filesystem;

using sqb::testing::CliTest;
using sqb::testing::Slurp;

// Each group takes >= 30 samples of >= 50 ms: a signal sent when the second group starts always
// finds the run still measuring.
const std::vector<std::string> kLongRun = {
    "--backends", "serial", "--no-ceilings", "--samples", "30",
    "--max-time", "30",     "--min-time",    "0.05",      "--progress"};

class SignalTest : public CliTest {
 protected:
  std::vector<std::string> Args(std::vector<std::string> head) {
    head.insert(head.end(), kLongRun.begin(), kLongRun.end());
    head.push_back("--results-dir");
    head.push_back((dir_ / "results").string());
    return head;
  }

  // The saved report's JSON files, after checking none is partial and no temporary file is left.
  std::vector<nlohmann::json> SavedReports() {
    std::vector<nlohmann::json> reports;
    for (const std::string& f : LeftBehind()) {
      const fs::path p(f);
      EXPECT_NE(p.filename().string().front(), '.') << "a temporary file left: " << f;
      if (p.extension() == ".json") reports.push_back(nlohmann::json::parse(Slurp(p)));
    }
    return reports;
  }

  // Sends `signal` once stderr shows `state`; the run must have reached it.
  sqb::testing::BinaryResult SignalAt(const std::vector<std::string>& args,
                                      const std::string& state, int signal,
                                      const sqb::testing::SpawnOptions& options = {}) {
    const pid_t pid = Start(args, options);
    EXPECT_TRUE(sqb::testing::WaitForStderr(pid, dir_, state)) << state;
    kill(pid, signal);
    return Wait(pid);
  }
};

// Once a group is measured, every stop signal saves it, marked incomplete, in a run or a sweep.
TEST_F(SignalTest, EachStopSignalDuringARunSavesWhatWasMeasured) {
  const std::vector<std::pair<int, std::vector<std::string>>> cases = {
      {SIGINT, {"run", "--sizes", "1Ki,16Mi"}},
      {SIGTERM, {"run", "--sizes", "1Ki,16Mi"}},
      {SIGHUP, {"run", "--sizes", "1Ki,16Mi"}},
      {SIGTERM,
       {"sweep", "--from", "1Ki", "--to", "16Mi", "--points-per-octave", "1", "--budget", "600"}},
  };
  for (const auto& [signal, head] : cases) {
    const std::string what = head[0] + " " + sigabbrev_np(signal);
    fs::remove_all(dir_ / "results");
    const auto r = SignalAt(Args(head), "[2/", signal);
    EXPECT_EQ(r.code, 128 + signal) << what << ": " << r.err;
    EXPECT_NE(r.out.find("INCOMPLETE"), std::string::npos) << what << ": " << r.out;
    const auto reports = SavedReports();
    ASSERT_EQ(reports.size(), 1u) << what << ": " << r.err;
    EXPECT_EQ(reports[0]["complete"], false) << what;
    EXPECT_EQ(LeftBehind().size(), 2u) << what << ": the .json and the .md";
  }
}

// A signal at start-up, wherever it lands (before exec, in static initialisers, in main): the
// process ends with the signal's code and nothing is saved.
TEST_F(SignalTest, ASignalAtStartUpEndsWithNothingSaved) {
  const pid_t pid = Start(Args({"run", "--sizes", "1Ki"}));
  kill(pid, SIGTERM);
  const auto r = Wait(pid);
  EXPECT_EQ(r.code, 128 + SIGTERM) << r.err;
  EXPECT_TRUE(SavedReports().empty());
}

// A signal in the cache probe, before anything is measured: nothing saved, and it says so.
TEST_F(SignalTest, BeforeAnythingIsMeasuredNothingIsSaved) {
  const auto r = SignalAt(Args({"run", "--sizes", "4Ki"}), "probing", SIGTERM);
  EXPECT_EQ(r.code, 128 + SIGTERM) << r.err;
  EXPECT_NE(r.err.find("stopped by SIGTERM before anything was measured: nothing saved"),
            std::string::npos)
      << r.err;
  EXPECT_TRUE(r.out.empty());
  EXPECT_TRUE(SavedReports().empty());
}

// A signal the binary starts with ignored (a background job's SIGINT) stays ignored.
TEST_F(SignalTest, ASignalThatArrivesIgnoredStaysIgnored) {
  const auto r = SignalAt({"run", "--backends", "serial", "--sizes", "4Ki", "--max-time", "0.3",
                           "--progress", "--results-dir", (dir_ / "results").string()},
                          "[1/", SIGINT, {.ignored_signals = {SIGINT}});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out.find("INCOMPLETE"), std::string::npos);
  ASSERT_EQ(SavedReports().size(), 1u);
  EXPECT_EQ(SavedReports()[0]["complete"], true);
}

// A second signal ends the process at once; whenever it lands, no partial or temporary file.
TEST_F(SignalTest, ASecondSignalEndsAtOnceWithoutAPartialFile) {
  const pid_t pid = Start(Args({"run", "--sizes", "1Ki,16Mi"}));
  ASSERT_TRUE(sqb::testing::WaitForStderr(pid, dir_, "[2/"));
  kill(pid, SIGTERM);
  sqb::testing::WaitForStderr(pid, dir_, "again: stop at once");
  kill(pid, SIGTERM);
  const auto r = Wait(pid);
  EXPECT_EQ(r.code, 128 + SIGTERM) << r.err;
  for (const auto& report : SavedReports()) EXPECT_EQ(report["complete"], false);
}

}  // namespace
