// squarebench under mpiexec, with chunk kernels slow or failing on one rank on purpose: rank rows,
// aggregate bytes, one report, the slow rank named, and every failure ending the whole job.
#include <signal.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <set>

#include "tests/cli_fixture.h"

namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;
using sqb::testing::BinaryResult;
using sqb::testing::Slurp;

class MpiTest : public sqb::testing::CliTest {
 protected:
  // `mpiexec -n ranks` of the test squarebench; Open MPI refuses root and more ranks than cores
  // unless told.
  pid_t StartRanks(int ranks, std::vector<std::string> args,
                   std::vector<std::string> environment = {}) {
    std::vector<std::string> all = {"-n", std::to_string(ranks), "--oversubscribe", SQB_MPI_BINARY};
    all.insert(all.end(), args.begin(), args.end());
    environment.insert(environment.end(),
                       {"OMPI_ALLOW_RUN_AS_ROOT=1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1",
                        "OMPI_MCA_rmaps_base_oversubscribe=1",
                        // Waiting ranks yield their core: ctest runs other tests beside these.
                        "OMPI_MCA_mpi_yield_when_idle=1",
                        // LeakSanitizer can then name Open MPI's plugins (tests/lsan.supp).
                        "OMPI_MCA_mca_base_component_disable_dlclose=1"});
    // Open MPI's libraries have no frame pointers: LeakSanitizer's fast unwinder stops in them
    // and leaves stacks the suppressions cannot match.
    if (const char* lsan = std::getenv("LSAN_OPTIONS"))
      environment.push_back(std::string("LSAN_OPTIONS=") + lsan + ":fast_unwind_on_malloc=0");
    return sqb::testing::StartBinary(SQB_MPIEXEC, all, dir_, {.environment = environment});
  }

  // Waits at most `limit` for the job; a job still running then is killed and the test fails.
  BinaryResult WaitWithin(pid_t pid, std::chrono::seconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    for (;;) {
      siginfo_t info{};
      if (waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
          info.si_pid == pid)
        return Wait(pid);
      if (std::chrono::steady_clock::now() > deadline) {
        ADD_FAILURE() << "the job did not end within " << limit.count() << " s";
        kill(pid, SIGTERM);
        return Wait(pid);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }

  BinaryResult RunRanks(int ranks, const std::vector<std::string>& args,
                        const std::vector<std::string>& environment = {}) {
    return WaitWithin(StartRanks(ranks, args, environment), std::chrono::seconds(120));
  }

  std::vector<std::string> Quick(std::vector<std::string> args) {
    const std::vector<std::string> quick = {
        "--samples", "9", "--min-time", "0.001", "--results-dir", (dir_ / "results").string()};
    args.insert(args.end(), quick.begin(), quick.end());
    return args;
  }

  std::vector<fs::path> SavedReports() {
    std::vector<fs::path> reports;
    if (!fs::exists(dir_ / "results")) return reports;
    for (const auto& e : fs::recursive_directory_iterator(dir_ / "results"))
      if (e.path().extension() == ".json") reports.push_back(e.path());
    return reports;
  }

  // Processes still running the test binary with this test's folder in their arguments.
  int Survivors() {
    int n = 0;
    for (const auto& e : fs::directory_iterator("/proc")) {
      const std::string cmd = Slurp(e.path() / "cmdline");
      if (cmd.find(SQB_MPI_BINARY) != std::string::npos &&
          cmd.find(dir_.string()) != std::string::npos)
        ++n;
    }
    return n;
  }
};

// Every cell of a two-rank run, together and each: a row per rank, verified, whose elements add
// up to the cell's, each with as many samples as the cell; one report, written by rank 0.
TEST_F(MpiTest, TwoRanksGiveEveryRankItsRowAndOneReport) {
  const BinaryResult r = RunRanks(2, Quick({"--backends", "serial", "--sizes", "4Ki", "--mpi-mode",
                                            "together,each", "--format", "json"}));
  ASSERT_EQ(r.code, 0) << r.err;
  const Json j = Json::parse(r.out);
  std::set<std::string> modes;
  for (const Json& cell : j["cells"]) {
    ASSERT_EQ(cell["status"], "OK") << cell.dump();
    EXPECT_EQ(cell["ranks"], 2);
    modes.insert(cell["mpi_mode"].get<std::string>());
    ASSERT_EQ(cell["rank_rows"].size(), 2u);
    std::uint64_t elements = 0;
    for (int i = 0; i < 2; ++i) {
      const Json& row = cell["rank_rows"][i];
      EXPECT_EQ(row["rank"], i);
      EXPECT_EQ(row["status"], "OK");
      EXPECT_EQ(row["wall"]["samples_s"].size(), cell["wall"]["samples_s"].size());
      elements += row["elements"].get<std::uint64_t>();
    }
    // Aggregate bytes are all ranks' bytes.
    EXPECT_EQ(elements, cell["elements"].get<std::uint64_t>());
    EXPECT_EQ(cell["elements"], 2 * 4096);
  }
  EXPECT_EQ(modes, (std::set<std::string>{"together", "each"}));
  EXPECT_EQ(SavedReports().size(), 1u);
  EXPECT_EQ(Survivors(), 0);
}

// Three ranks on two cores, a total split across them: 1000 = 334 + 333 + 333.
TEST_F(MpiTest, ThreeOversubscribedRanksSplitATotal) {
  const BinaryResult r =
      RunRanks(3, Quick({"--backends", "serial", "--sizes", "1000", "--mpi-size", "total",
                         "--no-ceilings", "--format", "json", "--no-save"}));
  ASSERT_EQ(r.code, 0) << r.err;
  const Json cell = Json::parse(r.out)["cells"][0];
  EXPECT_EQ(cell["elements"], 1000);
  ASSERT_EQ(cell["rank_rows"].size(), 3u);
  EXPECT_EQ(cell["rank_rows"][0]["elements"], 334);
  EXPECT_EQ(cell["rank_rows"][1]["elements"], 333);
  EXPECT_EQ(cell["rank_rows"][2]["elements"], 333);
}

// A rank slowed on purpose is named in the cell's flags and in the table's one line.
TEST_F(MpiTest, ASlowRankIsNamed) {
  const BinaryResult r = RunRanks(3,
                                  Quick({"--backends", "slowrank", "--sizes", "4Ki",
                                         "--no-ceilings", "--format", "json", "--no-save"}),
                                  {"SQB_TEST_SLOW_RANK=1"});
  ASSERT_EQ(r.code, 0) << r.err;
  const Json cell = Json::parse(r.out)["cells"][0];
  bool named = false;
  for (const Json& flag : cell["flags"])
    named = named || flag.get<std::string>().find("slow rank: 1 on host") == 0;
  EXPECT_TRUE(named) << cell["flags"].dump();
  for (const Json& flag : cell["flags"])
    EXPECT_EQ(flag.get<std::string>().find("slow rank: 0 "), std::string::npos) << flag;
}

// A bad option (every rank), a plan refused on rank 0 (after MPI_Init) and an exception on one
// rank alone each end the whole job quickly, non-zero, with squarebench's line first.
TEST_F(MpiTest, EveryFailureEndsTheWholeJob) {
  struct Case {
    std::vector<std::string> args, environment;
    std::string line;
  };
  const std::vector<Case> cases = {
      {{"--mpi-mode", "sideways"}, {}, "squarebench: error: --mpi-mode 'sideways'"},
      {{"--backends", "nosuch"}, {}, "squarebench: error: unknown backend"},
      {{"--backends", "slowrank", "--sizes", "1Ki"},
       {"SQB_TEST_THROW_RANK=1"},
       "squarebench: error: rank 1 of 2: fingerprint failed on purpose"},
  };
  for (const Case& c : cases) {
    const BinaryResult r =
        WaitWithin(StartRanks(2, Quick(c.args), c.environment), std::chrono::seconds(30));
    EXPECT_NE(r.code, 0) << c.line;
    EXPECT_EQ(r.err.find("squarebench: error:"), r.err.find(c.line)) << r.err;
    EXPECT_NE(r.err.find(c.line), std::string::npos) << r.err;
    // Once, not once per rank.
    EXPECT_EQ(r.err.find("squarebench: error:", r.err.find(c.line) + 1), std::string::npos)
        << r.err;
    EXPECT_TRUE(SavedReports().empty());
    EXPECT_EQ(Survivors(), 0);
  }
}

// SIGTERM to mpiexec (which forwards it, and kills the ranks a second later): every rank stops
// after its sample and rank 0 saves what was measured, marked incomplete; no rank is left. Every
// step of the second size is short (samples of 50 ms, arrays of 1 MiB), as that second asks.
TEST_F(MpiTest, SigtermSavesAnIncompleteReport) {
  const pid_t pid = StartRanks(2, {"--backends", "serial", "--no-ceilings", "--sizes", "1Ki,256Ki",
                                   "--samples", "30", "--max-time", "30", "--min-time", "0.05",
                                   "--progress", "--results-dir", (dir_ / "results").string()});
  ASSERT_TRUE(sqb::testing::WaitForStderr(pid, dir_, "[2/2]"));
  kill(pid, SIGTERM);
  const BinaryResult r = WaitWithin(pid, std::chrono::seconds(30));
  EXPECT_NE(r.code, 0);
  const std::vector<fs::path> reports = SavedReports();
  ASSERT_EQ(reports.size(), 1u) << r.err;
  const Json j = Json::parse(Slurp(reports[0]));
  EXPECT_FALSE(j["complete"].get<bool>());
  EXPECT_EQ(j["cells"][0]["status"], "OK");
  EXPECT_EQ(j["cells"][0]["rank_rows"].size(), 2u);
  EXPECT_EQ(Survivors(), 0);
}

}  // namespace
