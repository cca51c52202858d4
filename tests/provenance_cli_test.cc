// What the backends contribute to a report, through the real binary: the environment variables
// and fingerprint lines of the backends a run measures (and only theirs), and who ran.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/cli_fixture.h"

namespace sqb::testing {
namespace {

class ProvenanceTest : public CliTest {
 protected:
  nlohmann::json RunJson(const std::string& backends) {
    const BinaryResult r =
        Run({"run", "--backends", backends, "--threads", "2", "--sizes", "4096", "--no-ceilings",
             "--max-time", "0.02", "--no-save", "--format", "json"},
            {.environment = {"OMP_THREAD_LIMIT=1"}});
    EXPECT_EQ(r.code, 0) << r.err;
    return nlohmann::json::parse(r.out);
  }
};

TEST_F(ProvenanceTest, AnOpenMpRunRecordsItsVariablesItsRuntimeAndTheTeamItGot) {
  const nlohmann::json report = RunJson("openmp");
  EXPECT_EQ(report["environment"].value("OMP_THREAD_LIMIT", ""), "1") << report["environment"];
  EXPECT_TRUE(report["fingerprint"]["fields"].contains("lib.openmp"));
  EXPECT_FALSE(report["fingerprint"]["fields"].contains("lib.tbb")) << "tbb was not measured";
  ASSERT_EQ(report["cells"].size(), 1u);
  const auto& flags = report["cells"][0]["flags"];
  EXPECT_NE(std::find(flags.begin(), flags.end(), "ran on 1 of 2 threads"), flags.end()) << flags;
}

TEST_F(ProvenanceTest, ARunWithoutOpenMpRecordsNeitherItsVariablesNorItsRuntime) {
  const nlohmann::json report = RunJson("serial");
  EXPECT_FALSE(report["environment"].contains("OMP_THREAD_LIMIT")) << report["environment"];
  EXPECT_FALSE(report["fingerprint"]["fields"].contains("lib.openmp"));
  EXPECT_TRUE(report["fingerprint"]["fields"].contains("cpu.model")) << "the harness's own lines";
}

}  // namespace
}  // namespace sqb::testing
