// The interleaved executor's own contract: every element written exactly once whatever G, Q and
// N, one thread on one pinned core with the mask given back, no allocation while timed, errors
// carried out of the coroutines, and knob values checked before anything runs.
#include <gtest/gtest.h>
#include <pthread.h>
#include <sched.h>

#include <atomic>
#include <cstdlib>
#include <map>
#include <new>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#include "harness/chunked_cell.h"
#include "harness/inputs.h"
#include "harness/plan.h"
#include "harness/registry.h"
#include "harness/verify.h"
#include "squarebench/affinity.h"

// Every operator new in this test binary is counted while g_count_allocations is set. The
// replacement pair is malloc/free, which GCC, seeing new and free meet after inlining, takes for a
// mismatch.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
namespace {
std::atomic<bool> g_count_allocations{false};
std::atomic<long> g_allocations{0};
}  // namespace

void* operator new(std::size_t size) {
  if (g_count_allocations) ++g_allocations;
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
// The nothrow form too (std::stable_sort's buffer uses it): a sanitizer's own would pair its
// allocation with the free() above.
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  if (g_count_allocations) ++g_allocations;
  return std::malloc(size == 0 ? 1 : size);
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }

namespace sqb {
namespace {

// A chunk kernel that counts: every call adds 1 to each y it covers, so y[i] after one Run is the
// number of times element i was computed.
template <typename T>
void AddOne(const T*, T* y, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) y[i] += T(1);
}

SQB_REGISTER_CHUNK_KERNEL((ChunkKernelInfo{
    .name = "counting",
    .description = "adds 1 to each element of y it covers",
    .resolve =
        [](const CellParams&) {
          return ChunkFns{AddOne<float>, AddOne<double>};
        },
}));

CellParams Params(std::size_t n, std::uint64_t tasks, std::uint64_t quantum,
                  const std::string& prefetch = "off", Binding binding = Binding::kCores) {
  CellParams p;
  p.backend = "interleaved+counting";
  p.executor = "interleaved";
  p.chunk_kernel = "counting";
  p.elements = n;
  p.binding = binding;
  p.knobs = {{"tasks", std::to_string(tasks)},
             {"quantum", std::to_string(quantum)},
             {"prefetch", prefetch},
             {"hugepages", "off"}};
  return p;
}

std::unique_ptr<Executor> MakeExecutor(const CellParams& p) {
  const ExecutorInfo* e = FindExecutor("interleaved");
  if (e == nullptr) throw std::runtime_error("interleaved executor not registered");
  return e->make(p);
}

const EventCount& Event(const std::vector<EventCount>& events, const std::string& name) {
  for (const auto& e : events)
    if (e.name == name) return e;
  throw std::runtime_error("no event " + name);
}

struct Shape {
  std::size_t n;
  std::uint64_t tasks;
  std::uint64_t quantum;
};

void PrintTo(const Shape& s, std::ostream* os) {
  *os << "n=" << s.n << " G=" << s.tasks << " Q=" << s.quantum;
}

class InterleavedShapes : public ::testing::TestWithParam<Shape> {};

// Through the executor: the ranges handed out cover [0, n) exactly once, in order, and the
// counted switches and resumes are exactly what the schedule implies.
TEST_P(InterleavedShapes, EveryElementOnceInOrder) {
  const Shape s = GetParam();
  for (const char* prefetch : {"off", "on"}) {
    auto executor = MakeExecutor(Params(s.n, s.tasks, s.quantum, prefetch));
    std::vector<int> written(s.n, 0), prefetched(s.n, 0);
    std::size_t expected_begin = 0;
    bool in_order = true;
    executor->ForEachRange(
        s.n,
        [&](std::size_t b, std::size_t e) {
          in_order = in_order && b == expected_begin && e > b;
          expected_begin = e;
          for (std::size_t i = b; i < e; ++i) ++written[i];
        },
        [&](std::size_t b, std::size_t e) {
          for (std::size_t i = b; i < e; ++i) ++prefetched[i];
        });
    EXPECT_TRUE(in_order) << prefetch;
    for (std::size_t i = 0; i < s.n; ++i) {
      ASSERT_EQ(written[i], 1) << "element " << i << ", prefetch " << prefetch;
      ASSERT_EQ(prefetched[i], std::string(prefetch) == "on" ? 1 : 0) << "element " << i;
    }
    const double quanta = static_cast<double>((s.n + s.quantum - 1) / s.quantum);
    const auto events = executor->Events();
    EXPECT_EQ(Event(events, "switches").per_call, quanta);
    EXPECT_EQ(Event(events, "resumes").per_call, quanta + static_cast<double>(s.tasks));
  }
}

// Through the composed cell with the counting kernel: after k calls every y is exactly k.
TEST_P(InterleavedShapes, CountingKernelSeesEachElementOncePerCall) {
  const Shape s = GetParam();
  const BackendInfo* b = FindBackend("interleaved+counting");
  ASSERT_NE(b, nullptr);
  auto cell = b->make_cell(Params(s.n, s.tasks, s.quantum));
  cell->Setup([](std::size_t begin, std::size_t end, void* x, void* y) {
    for (std::size_t i = begin; i < end; ++i) static_cast<float*>(x)[i] = 0;
    for (std::size_t i = begin; i < end; ++i) static_cast<float*>(y)[i] = 0;
  });
  for (int call = 1; call <= 3; ++call) {
    cell->Bind();
    cell->Run();
    cell->Unbind();
    const HostArrays a = cell->ReadBack();
    const float* y = static_cast<const float*>(a.y);
    for (std::size_t i = 0; i < s.n; ++i) ASSERT_EQ(y[i], float(call)) << "element " << i;
  }
}

INSTANTIATE_TEST_SUITE_P(Shapes, InterleavedShapes,
                         ::testing::Values(Shape{0, 16, 4096},      // N = 0
                                           Shape{100, 16, 4096},    // N < Q
                                           Shape{10007, 16, 4096},  // N not a multiple of Q
                                           Shape{40, 16, 16},       // G > number of quanta
                                           Shape{1000, 1, 7},       // G = 1
                                           Shape{300, 4, 1},        // Q = 1
                                           Shape{65536, 3, 4096}),  // N a multiple of Q
                         [](const auto& info) {
                           return "n" + std::to_string(info.param.n) + "_g" +
                                  std::to_string(info.param.tasks) + "_q" +
                                  std::to_string(info.param.quantum);
                         });

cpu_set_t CurrentMask() {
  cpu_set_t m;
  CPU_ZERO(&m);
  pthread_getaffinity_np(pthread_self(), sizeof(m), &m);
  return m;
}

// All tasks run on the calling thread, on the core Bind pinned it to; Unbind gives back the mask
// the thread had, so pinning never leaks into whatever runs next.
TEST(Interleaved, OneThreadOnePinnedCoreAndTheMaskIsGivenBack) {
  CaptureOriginalAffinity();
  const cpu_set_t before = CurrentMask();
  auto executor = MakeExecutor(Params(1 << 16, 16, 256));
  std::vector<std::thread::id> threads;
  std::vector<int> cpus;
  executor->Bind();
  executor->ForEachRange(
      1 << 16,
      [&](std::size_t, std::size_t) {
        threads.push_back(std::this_thread::get_id());
        cpus.push_back(sched_getcpu());
      },
      [](std::size_t, std::size_t) {});
  executor->Unbind();
  ASSERT_EQ(threads.size(), 256u);
  for (std::size_t i = 0; i < threads.size(); ++i) {
    EXPECT_EQ(threads[i], std::this_thread::get_id());
    EXPECT_EQ(cpus[i], BindingCpu(0));
  }
  const cpu_set_t after = CurrentMask();
  EXPECT_TRUE(CPU_EQUAL(&before, &after));
  EXPECT_NE(executor->Placement().find(std::to_string(BindingCpu(0))), std::string::npos);
}

TEST(Interleaved, BindingNoneLeavesTheMaskAlone) {
  CaptureOriginalAffinity();
  const cpu_set_t before = CurrentMask();
  auto executor = MakeExecutor(Params(1000, 4, 10, "off", Binding::kNone));
  executor->Bind();
  const cpu_set_t during = CurrentMask();
  executor->Unbind();
  EXPECT_TRUE(CPU_EQUAL(&before, &during));
  EXPECT_EQ(executor->Placement(), "unpinned");
}

// Bind calibrates the cost of one resume with empty tasks, so the report can state the share of
// each call scheduling takes.
TEST(Interleaved, ResumeCostIsCalibratedOnBind) {
  auto executor = MakeExecutor(Params(1000, 16, 10));
  EXPECT_EQ(Event(executor->Events(), "resumes").cost_s, 0);
  executor->Bind();
  executor->Unbind();
  EXPECT_EQ(Event(executor->Events(), "switches").cost_s, 0) << "the cost is counted once";
  const double cost = Event(executor->Events(), "resumes").cost_s;
  EXPECT_GT(cost, 0);
  EXPECT_LT(cost, 1e-3);  // a sanity bound on the units (seconds), not a speed requirement
}

TEST(Interleaved, NoAllocationWhileTimed) {
  const BackendInfo* b = FindBackend("interleaved+counting");
  ASSERT_NE(b, nullptr);
  auto cell = b->make_cell(Params(100000, 16, 64, "on"));
  cell->Setup([](std::size_t, std::size_t, void*, void*) {});
  cell->Bind();
  g_allocations = 0;
  g_count_allocations = true;
  for (int i = 0; i < 3; ++i) cell->Run();
  g_count_allocations = false;
  cell->Unbind();
  EXPECT_EQ(g_allocations.load(), 0);
}

// A task's exception leaves ForEachRange once every task has parked; the executor then runs the
// next call normally.
TEST(Interleaved, ATaskThatThrowsSurfacesAndTheExecutorRecovers) {
  auto executor = MakeExecutor(Params(1000, 8, 10));
  const auto nothing = [](std::size_t, std::size_t) {};
  int calls = 0;
  EXPECT_THROW(executor->ForEachRange(
                   1000,
                   [&](std::size_t b, std::size_t) {
                     ++calls;
                     if (b == 500) throw std::runtime_error("task failed");
                   },
                   nothing),
               std::runtime_error);
  EXPECT_EQ(calls, 51);  // quanta 0..50: claiming and computing stop at the first error
  std::vector<int> written(1000, 0);
  executor->ForEachRange(
      1000,
      [&](std::size_t b, std::size_t e) {
        for (std::size_t i = b; i < e; ++i) ++written[i];
      },
      nothing);
  for (int w : written) ASSERT_EQ(w, 1);
}

// Streaming stores with many chunks on one thread: the cell fences once per call, not per chunk.
// Every store policy must still give a bitwise-exact y, odd sizes and a misaligned y included.
TEST(Interleaved, HighwayIsExactUnderEveryStorePolicy) {
  const BackendInfo* b = FindBackend("interleaved+highway");
  ASSERT_NE(b, nullptr);
  for (const char* stores : {"regular", "streaming", "auto"}) {
    for (std::size_t offset : {0, 3}) {
      CellParams p = Params(100003, 16, 1000);
      p.backend = "interleaved+highway";
      p.chunk_kernel = "highway";
      p.variant = "auto";
      p.offset = offset;
      p.knobs["stores"] = stores;
      auto cell = b->make_cell(p);
      cell->Setup(TimedFill(p.dtype));
      cell->Bind();
      cell->Run();
      cell->Unbind();
      const auto bad = FindMismatch(p.dtype, Operation::kSquare, cell->ReadBack(), false);
      EXPECT_FALSE(bad) << stores << ", offset " << offset << ": " << bad->Describe();
    }
  }
}

MachineLimits SmallMachine() {
  MachineLimits m;
  m.caches = {48 << 10, 2 << 20, 32 << 20};
  m.cores = 2;
  m.available_memory = std::uint64_t{8} << 30;
  return m;
}

RunOptions Options(std::map<std::string, std::vector<std::string>> knobs) {
  RunOptions o;
  o.backends = {"interleaved"};
  o.sizes = {1000};
  o.knobs = std::move(knobs);
  o.ceilings = false;
  return o;
}

TEST(InterleavedKnobs, BadValuesAreUsageErrors) {
  for (const auto& [knob, value] :
       std::vector<std::pair<std::string, std::string>>{{"tasks", "0"},
                                                        {"tasks", "1000001"},
                                                        {"tasks", "lots"},
                                                        {"quantum", "0"},
                                                        {"quantum", "1.5"},
                                                        {"prefetch", "yes"}}) {
    EXPECT_THROW(MakePlan(Options({{knob, {value}}}), SmallMachine()), UsageError)
        << knob << "=" << value;
  }
}

// Each value is its own cell, recorded in decimal so that compare matches "4Ki" with "4096".
TEST(InterleavedKnobs, ListsBecomeCellsWithCanonicalValues) {
  const Plan plan = MakePlan(Options({{"tasks", {"1", "1000000"}},
                                      {"quantum", {"4Ki", "1Mi"}},  // 1Mi > N is fine
                                      {"prefetch", {"off", "on"}}}),
                             SmallMachine());
  ASSERT_EQ(plan.groups.size(), 1u);
  std::set<std::map<std::string, std::string>> keys;
  for (const auto& c : plan.groups[0].cells) keys.insert(c.params.knobs);
  EXPECT_EQ(keys.size(), 2u * 2u * 2u);
  for (const auto& k : keys) {
    EXPECT_TRUE(k.at("quantum") == "4096" || k.at("quantum") == "1048576") << k.at("quantum");
    EXPECT_TRUE(k.at("tasks") == "1" || k.at("tasks") == "1000000");
  }
}

}  // namespace
}  // namespace sqb
