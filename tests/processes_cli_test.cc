// The processes executor's workers through the real binary: they live only as long as their cell,
// and leave no zombie and no orphan when the run ends, is stopped, is killed, or loses a worker.
#include <dirent.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include <cstdio>
#include <nlohmann/json.hpp>
#include <set>

#include "tests/cli_fixture.h"

namespace {

using sqb::testing::CliTest;

// The processes whose parent is `parent`, from /proc.
std::vector<pid_t> ChildrenOf(pid_t parent) {
  std::vector<pid_t> children;
  DIR* proc = opendir("/proc");
  if (proc == nullptr) return children;
  while (const dirent* e = readdir(proc)) {
    const pid_t pid = static_cast<pid_t>(std::atoi(e->d_name));
    if (pid <= 0) continue;
    const std::string stat = sqb::testing::Slurp("/proc/" + std::string(e->d_name) + "/stat");
    const auto close = stat.rfind(')');  // the command name may hold spaces and parentheses
    int ppid = 0;
    char state = 0;
    if (close != std::string::npos &&
        std::sscanf(stat.c_str() + close + 1, " %c %d", &state, &ppid) == 2 && ppid == parent)
      children.push_back(pid);
  }
  closedir(proc);
  return children;
}

class ProcessesTest : public CliTest {
 protected:
  // Orphans are handed to this process instead of init, so a worker that outlived squarebench
  // is seen (and reaped) here.
  void SetUp() override {
    CliTest::SetUp();
    ASSERT_EQ(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
  }

  // Waits until `pid` has at least one child; false if it exits first.
  static bool WaitForWorkers(pid_t pid) {
    for (;;) {
      if (!ChildrenOf(pid).empty()) return true;
      siginfo_t info{};
      if (waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
          info.si_pid == pid)
        return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  }

  // After squarebench was reaped: every process it left behind was handed to this one. Reaps
  // them for up to two seconds (a worker whose parent died is killed by the kernel at once) and
  // returns how many were still alive after that.
  static int SurvivorsAfter(double seconds) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    for (;;) {
      while (waitpid(-1, nullptr, WNOHANG) > 0) {
      }
      const auto left = ChildrenOf(getpid());
      if (left.empty() || std::chrono::steady_clock::now() > deadline) {
        for (pid_t p : left) kill(p, SIGKILL);
        while (waitpid(-1, nullptr, 0) > 0) {
        }
        return static_cast<int>(left.size());
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }

  std::vector<std::string> LongRun(std::vector<std::string> extra) {
    std::vector<std::string> args = {"run",
                                     "--backends",
                                     "processes,serial",
                                     "--sizes",
                                     "1Mi",
                                     "--no-ceilings",
                                     "--samples",
                                     "40",
                                     "--min-time",
                                     "0.05",
                                     "--max-time",
                                     "30",
                                     "--format",
                                     "json",
                                     "--results-dir",
                                     (dir_ / "results").string(),
                                     "--threads",
                                     "2"};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  }
};

// Each repetition of each cell starts its own workers and ends them: at most two cells' worth
// are alive at once, and new ones keep appearing.
TEST_F(ProcessesTest, WorkersLiveAndDieWithTheirCell) {
  const pid_t pid = Start({"run", "--backends", "processes", "--transport", "shared,pipe",
                           "--sizes", "64Ki", "--threads", "2", "--repeat", "4", "--min-time",
                           "0.01", "--no-save", "--no-ceilings"});
  std::set<pid_t> seen;
  std::size_t most = 0;
  for (;;) {
    const auto workers = ChildrenOf(pid);
    seen.insert(workers.begin(), workers.end());
    most = std::max(most, workers.size());
    siginfo_t info{};
    if (waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
        info.si_pid == pid)
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  const auto result = Wait(pid);
  EXPECT_EQ(result.code, 0) << result.err;
  EXPECT_LE(most, 4u);         // two cells of two workers each
  EXPECT_GT(seen.size(), 4u);  // fresh workers for each repetition
  EXPECT_EQ(SurvivorsAfter(2.0), 0);
}

TEST_F(ProcessesTest, AStopSignalEndsTheRunWithItsWorkers) {
  for (const int signal : {SIGINT, SIGTERM}) {
    const pid_t pid = Start(LongRun({"--transport", "shared,pipe"}));
    ASSERT_TRUE(WaitForWorkers(pid));
    kill(pid, signal);
    const auto result = Wait(pid);
    EXPECT_EQ(result.code, 128 + signal) << result.err;
    EXPECT_EQ(SurvivorsAfter(2.0), 0) << "after " << signal;
  }
}

// SIGKILL leaves squarebench no say: an idle worker reads the end of its pipe and exits, a busy
// one is killed by the kernel (PR_SET_PDEATHSIG).
TEST_F(ProcessesTest, AKilledRunTakesItsWorkersWithIt) {
  const pid_t pid = Start(LongRun({}));
  ASSERT_TRUE(WaitForWorkers(pid));
  kill(pid, SIGKILL);
  EXPECT_EQ(Wait(pid).code, 128 + SIGKILL);
  EXPECT_EQ(SurvivorsAfter(2.0), 0);
}

TEST_F(ProcessesTest, AKilledWorkerMakesItsCellAnErrorAndTheRunGoesOn) {
  const pid_t pid = Start(LongRun({"--no-save"}));
  ASSERT_TRUE(WaitForWorkers(pid));
  const auto workers = ChildrenOf(pid);
  ASSERT_FALSE(workers.empty());
  kill(workers.front(), SIGKILL);
  const auto result = Wait(pid);
  EXPECT_EQ(result.code, 3) << result.err;  // an ERROR row
  EXPECT_EQ(SurvivorsAfter(2.0), 0);
  const auto report = nlohmann::json::parse(result.out);
  for (const auto& cell : report["cells"]) {
    if (cell["backend"] == "serial") {
      EXPECT_EQ(cell["status"], "OK") << cell["message"];
    } else {
      EXPECT_EQ(cell["status"], "ERROR");
      EXPECT_NE(cell["message"].get<std::string>().find("was killed by SIGKILL"), std::string::npos)
          << cell["message"];
    }
  }
}

}  // namespace
