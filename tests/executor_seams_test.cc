// The API's seams for the next kinds of backend, each exercised by an executor registered only in
// this test binary: ranges run in forked processes on shared arrays, an executor that reports who
// ran, and a per-sample agreement across processes.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "run_in_process.h"
#include "squarebench/executor.h"
#include "squarebench/registration.h"

namespace sqb {
namespace {

using testing::FindCell;
using testing::RunToJson;

// One forked process per part, each computing its StaticRange of the job, on every call: the
// simplest executor whose ranges cannot call a closure of the caller.
class ForkedExecutor final : public Executor {
 public:
  explicit ForkedExecutor(const CellParams& p) : parts_(p.threads) {}

  void Attach(void* x_base, std::size_t, void* y_base, std::size_t) override {
    attached_ = x_base != nullptr && y_base != nullptr;
  }

  void ForEachRange(std::size_t, RangeFn, RangeFn) override {
    throw CellError("ForEachRange called on an out-of-process executor");
  }

  void ForEachChunk(const ChunkJob& job) override {
    if (!attached_) throw CellError("ForEachChunk before Attach");
    std::vector<pid_t> children;
    for (int part = 0; part < parts_; ++part) {
      const pid_t pid = fork();
      if (pid < 0) throw CellError("fork failed");
      if (pid == 0) {
        const Range r = StaticRange(job.n, static_cast<std::size_t>(parts_), part);
        RunChunkJob(job, r.begin, r.end);
        _exit(0);
      }
      children.push_back(pid);
    }
    ran_ = 0;
    for (pid_t pid : children) {
      int status = 0;
      if (waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0) ++ran_;
    }
    if (ran_ != parts_) throw CellError("a worker process failed");
  }

  std::string Placement() const override { return std::to_string(parts_) + " processes"; }
  std::optional<Participation> LastParticipation() const override {
    return Participation{.threads = ran_};
  }

 private:
  int parts_;
  bool attached_ = false;
  int ran_ = 0;
};

SQB_REGISTER_EXECUTOR((ExecutorInfo{
    .name = "forked",
    .description = "a forked process per part per call, on shared arrays",
    .parallel = true,
    .out_of_process = true,
    .make = [](const CellParams& p) -> std::unique_ptr<Executor> {
      return std::make_unique<ForkedExecutor>(p);
    },
}));

// Given threads, runs everything on the calling thread, and says so.
class ShirkingExecutor final : public Executor {
 public:
  void ForEachRange(std::size_t n, RangeFn body, RangeFn) override { body(0, n); }
  std::string Placement() const override { return "calling thread"; }
  std::optional<Participation> LastParticipation() const override {
    return Participation{.threads = 1};
  }
};

SQB_REGISTER_EXECUTOR((ExecutorInfo{
    .name = "shirking",
    .description = "asked for threads, runs on one",
    .parallel = true,
    .make = [](const CellParams&) -> std::unique_ptr<Executor> {
      return std::make_unique<ShirkingExecutor>();
    },
}));

// Stands in for MPI ranks: every batch "took" one second on the slowest rank.
std::atomic<int> agreements{0};
class AgreeingExecutor final : public Executor {
 public:
  void ForEachRange(std::size_t n, RangeFn body, RangeFn) override { body(0, n); }
  std::string Placement() const override { return "calling thread"; }
  double AgreeOnSample(double) override {
    ++agreements;
    return 1.0;
  }
};

SQB_REGISTER_EXECUTOR((ExecutorInfo{
    .name = "agreeing",
    .description = "agrees every batch took one second",
    .make = [](const CellParams&) -> std::unique_ptr<Executor> {
      return std::make_unique<AgreeingExecutor>();
    },
}));

TEST(ExecutorSeams, ForkedWorkersComputeVerifiedResultsInSharedArrays) {
  int code = -1;
  const auto report = RunToJson({"forked", "forked+memcpy"}, &code, {"--threads", "2"});
  EXPECT_EQ(code, 0);
  for (const char* name : {"forked", "forked+memcpy"}) {
    const auto& c = FindCell(report, name);
    EXPECT_EQ(c["status"], "OK") << name << ": " << c["message"];
    for (const auto& flag : c["flags"])  // a fork per call is noisy; every worker must have run
      EXPECT_EQ(flag.get<std::string>().find("ran on"), std::string::npos) << flag;
  }
}

TEST(ExecutorSeams, FewerThreadsThanAskedIsFlagged) {
  int code = -1;
  const auto report = RunToJson({"shirking"}, &code, {"--threads", "2", "--no-ceilings"});
  EXPECT_EQ(code, 0);
  const auto& flags = FindCell(report, "shirking")["flags"];
  EXPECT_NE(std::find(flags.begin(), flags.end(), "ran on 1 of 2 threads"), flags.end()) << flags;
}

TEST(ExecutorSeams, EverySampleIsTheAgreedOne) {
  agreements = 0;
  int code = -1;
  const auto report = RunToJson({"agreeing"}, &code, {"--no-ceilings"});
  EXPECT_EQ(code, 0);
  const auto& c = FindCell(report, "agreeing");
  ASSERT_EQ(c["status"], "OK") << c["message"];
  const double calls = c["calls_per_sample"].get<double>();
  const auto& samples = c["wall"]["samples_s"];
  ASSERT_FALSE(samples.empty());
  for (const auto& s : samples) EXPECT_DOUBLE_EQ(s.get<double>(), 1.0 / calls);
  // Calibration's timings are agreed too, so every rank would pick the same calls per sample.
  EXPECT_GT(agreements.load(), static_cast<int>(samples.size()));
}

}  // namespace
}  // namespace sqb
