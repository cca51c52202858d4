// What the seed post's models and the fork-join floor promise beyond the conformance suite:
// stdpar really runs on more than one thread, pool's workers sleep between calls and wake for the
// next, threads counts and prices its thread starts, processes says when huge pages cannot apply.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cerrno>
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>

#include "harness/idle.h"
#include "harness/inputs.h"
#include "harness/registry.h"
#include "harness/verify.h"
#include "squarebench/page_buffer.h"

namespace sqb {
namespace {

std::unique_ptr<Cell> MakeCell(const std::string& backend, std::uint64_t elements, int threads,
                               std::map<std::string, std::string> knobs = {}) {
  const BackendInfo* b = FindBackend(backend);
  if (b == nullptr) return nullptr;
  CellParams p;
  p.backend = backend;
  p.executor = b->executor;
  p.chunk_kernel = b->chunk_kernel;
  p.elements = elements;
  p.threads = threads;
  p.knobs = std::move(knobs);
  auto cell = b->make_cell(p);
  cell->Setup(TimedFill(DType::kF32));
  return cell;
}

void ExpectVerified(Cell& cell) {
  const auto bad = FindMismatch(DType::kF32, Operation::kSquare, cell.ReadBack(), false);
  EXPECT_FALSE(bad.has_value()) << bad->Describe();
}

// A dynamic scheduler may leave a thread out of any one call; over a few calls of a range of many
// blocks, the second thread joins.
TEST(SeedModels, StdparRunsOnMoreThanOneThread) {
  auto cell = MakeCell("stdpar", 1 << 22, 2);
  if (!cell) GTEST_SKIP() << "stdpar is not built";
  int most = 0;
  cell->Bind();
  for (int call = 0; call < 50 && most < 2; ++call) {
    cell->Run();
    most = std::max(most, cell->LastParticipation()->threads);
  }
  cell->Unbind();
  EXPECT_EQ(most, 2);
  ExpectVerified(*cell);
}

// Calls far apart find the workers asleep on the futex: each must still wake them all.
TEST(SeedModels, PoolWorkersSleepBetweenCallsAndWakeForTheNext) {
  auto cell = MakeCell("pool", 1 << 16, 2);
  ASSERT_TRUE(cell);
  for (int call = 0; call < 20; ++call) {
    cell->Bind();
    cell->Run();
    cell->Unbind();
    EXPECT_EQ(cell->LastParticipation()->threads, 2);
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  ExpectVerified(*cell);
  // No thread of this process keeps a CPU busy once the calls stop.
  EXPECT_TRUE(WaitUntilOtherThreadsIdle(1.0));
}

TEST(SeedModels, ThreadsCountsAndPricesItsThreadStarts) {
  auto cell = MakeCell("threads", 1 << 12, 2);
  ASSERT_TRUE(cell);
  cell->Bind();
  cell->Run();
  cell->Unbind();
  const auto events = cell->Events();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].name, "thread starts");
  EXPECT_EQ(events[0].per_call, 2);
  EXPECT_GT(events[0].cost_s, 0);
  ExpectVerified(*cell);
}

TEST(SeedModels, ProcessesSayWhenSharedMemoryGetsNoHugePages) {
  const std::string policy = PageBuffer::SharedHugePagePolicy();
  if (policy != "never" && policy != "deny") GTEST_SKIP() << "shmem_enabled is " << policy;
  auto shared = MakeCell("processes", 1 << 12, 2, {{"hugepages", "on"}, {"transport", "shared"}});
  ASSERT_TRUE(shared);
  EXPECT_NE(shared->Summary().find("no huge pages: shared memory"), std::string::npos)
      << shared->Summary();
  // Piped, the arrays are the caller's own, private memory: the request applies.
  auto piped = MakeCell("processes", 1 << 12, 2, {{"hugepages", "on"}, {"transport", "pipe"}});
  ASSERT_TRUE(piped);
  EXPECT_EQ(piped->Summary().find("no huge pages"), std::string::npos) << piped->Summary();
}

std::size_t ThreadsOfThisProcess() {
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& task : std::filesystem::directory_iterator("/proc/self/task"))
    ++n;
  return n;
}

// Our own executors' threads and processes end with their cell (the runtimes' pools, OpenMP's and
// TBB's, are theirs to keep). No child process is left either, running or as a zombie.
TEST(SeedModels, NoWorkerThreadOrProcessOutlivesItsCell) {
  const std::map<std::string, std::string> shared = {{"transport", "shared"}},
                                           piped = {{"transport", "pipe"}};
  for (const auto& [backend, knobs] :
       std::vector<std::pair<std::string, std::map<std::string, std::string>>>{
           {"pool", {}}, {"threads", {}}, {"processes", shared}, {"processes", piped}}) {
    const std::size_t before = ThreadsOfThisProcess();
    {
      auto cell = MakeCell(backend, 1 << 16, 3, knobs);
      ASSERT_TRUE(cell) << backend;
      cell->Bind();
      cell->Run();
      cell->Unbind();
      ExpectVerified(*cell);
    }
    EXPECT_EQ(ThreadsOfThisProcess(), before) << backend;
    errno = 0;
    EXPECT_EQ(waitpid(-1, nullptr, WNOHANG), -1) << backend;
    EXPECT_EQ(errno, ECHILD) << backend;
  }
}

}  // namespace
}  // namespace sqb
