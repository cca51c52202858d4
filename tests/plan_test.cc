// Planning: backend names and variants, default sets, thread and memory limits (real registry).
#include "harness/plan.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <set>

#include "harness/cell_key.h"
#include "harness/registry.h"

namespace sqb {
namespace {

constexpr std::uint64_t kGiB = 1ull << 30;

MachineLimits TwoCoreMachine() { return {{48 << 10, 2 << 20, 480ull << 20}, 2, 20 * kGiB}; }

// The default device backends that can run here, with the caches their level sizes follow: a GPU
// has its own (its L2), so its cells form size groups of their own; a device on the CPU (PoCL)
// follows the CPU's and shares the CPU's groups.
struct DeviceHere {
  std::string name;
  std::optional<CacheSizes> own_caches;
};
std::vector<DeviceHere> DefaultDevicesHere() {
  std::vector<DeviceHere> devices;
  for (const char* device : {"opencl", "cuda"}) {
    const BackendInfo* b = FindBackend(device);
    if (b == nullptr || b->variants.empty() || !b->unavailable_reason(b->variants.front()).empty())
      continue;
    devices.push_back(
        {device, b->device_caches ? b->device_caches(b->variants.front()) : std::nullopt});
  }
  return devices;
}

// The square backends of the CPU-size groups and, in *cells, how many cells each such group has:
// the CPU backends always, and a device backend with its one ceiling where it follows the CPU.
std::set<std::string> DefaultSquareBackends(std::size_t* cells) {
  std::set<std::string> names = {"clones", "highway",       "interleaved",    "interleaved+highway",
                                 "openmp", "openmp+clones", "openmp+highway", "openmp+stdsimd",
                                 "pool",   "pool+highway",  "serial",         "stdsimd",
                                 "tbb",    "tbb+highway"};
  *cells = 14 + 5 * 3;  // 3 ceilings for each of 5 ways of spreading
  for (const DeviceHere& d : DefaultDevicesHere()) {
    if (d.own_caches) continue;
    names.insert(d.name);
    *cells += 2;
  }
  return names;
}

// Whether a group holds only the cells of devices with caches of their own, at one of their sizes.
bool IsOwnDeviceGroup(const SizeGroup& g) {
  const std::vector<DeviceHere> devices = DefaultDevicesHere();
  return std::all_of(g.cells.begin(), g.cells.end(), [&](const PlannedCell& c) {
    return std::any_of(devices.begin(), devices.end(), [&](const DeviceHere& d) {
      return d.own_caches && c.backend->executor == d.name;
    });
  });
}

TEST(Plan, DefaultRunIsEveryDefaultBackendAtFourLevels) {
  const Plan plan = MakePlan(RunOptions{}, TwoCoreMachine());
  std::size_t cells = 0;
  const std::set<std::string> expected = DefaultSquareBackends(&cells);
  std::vector<const SizeGroup*> cpu_groups;
  for (const SizeGroup& g : plan.groups)
    if (!IsOwnDeviceGroup(g)) cpu_groups.push_back(&g);
  ASSERT_EQ(cpu_groups.size(), 4u);
  const std::vector<std::uint64_t> sizes = {3072, 131072, 31457280, 251658240};
  const std::vector<std::string> levels = {"L1", "L2", "L3", "DRAM"};
  for (std::size_t i = 0; i < 4; ++i) {
    const SizeGroup& g = *cpu_groups[i];
    EXPECT_EQ(g.elements, sizes[i]);
    EXPECT_EQ(g.level, levels[i]);
    // DRAM: 1.88 GiB per cell, 8 fit in 16 GiB (80% of 20): as few even batches as that allows.
    const std::size_t batches = (cells + 7) / 8;
    EXPECT_EQ(g.cells_at_once, i < 3 ? cells : (cells + batches - 1) / batches);
    std::set<std::string> squares;
    for (const auto& c : g.cells) {
      if (c.backend->operation == Operation::kSquare) squares.insert(c.params.backend);
      EXPECT_EQ(c.params.threads, c.backend->parallel ? 2 : 1) << c.params.backend;
      EXPECT_EQ(c.params.binding, Binding::kCores);
      EXPECT_EQ(c.level, levels[i]);
    }
    EXPECT_EQ(squares, expected);
    EXPECT_EQ(g.cells.size(), cells);
  }
}

// Copies of the cells' ceiling set, as "backend stores=<value>".
std::multiset<std::string> CeilingsOf(const SizeGroup& g, const PlannedCell& rated) {
  std::multiset<std::string> out;
  for (const auto& c : g.cells)
    if (c.backend->operation == Operation::kCopy && c.ceiling_set == rated.ceiling_set)
      out.insert(c.params.backend + " stores=" + KnobValue(c.params, "stores"));
  return out;
}

TEST(Plan, EverySquareCellGetsItsThreeCeilingsSpreadTheSameWayOnce) {
  RunOptions o;
  o.backends = {"openmp", "openmp+highway", "openmp+memcpy", "interleaved"};
  o.sizes = {4096};
  o.threads = {1, 2};
  o.knobs = {{"quantum", {"1Ki", "4Ki"}}, {"stores", {"regular", "streaming"}}};
  const SizeGroup g = MakePlan(o, TwoCoreMachine()).groups.at(0);
  std::set<std::string> sets;
  for (const auto& c : g.cells) {
    if (c.backend->operation != Operation::kSquare) continue;
    sets.insert(c.ceiling_set);
    const std::string exec = c.params.executor;
    EXPECT_EQ(CeilingsOf(g, c), (std::multiset<std::string>{exec + "+copy stores=regular",
                                                            exec + "+copy stores=streaming",
                                                            exec + "+memcpy stores="}))
        << c.ceiling_set;
  }
  // openmp on 1 and 2 threads; interleaved with each quantum (a spreading knob), not each store
  // policy (a chunk kernel's knob, which the ceilings set for themselves).
  EXPECT_EQ(sets,
            (std::set<std::string>{"openmp x1 cores hugepages=off", "openmp x2 cores hugepages=off",
                                   "interleaved x1 cores hugepages=off prefetch=off "
                                   "quantum=1024 tasks=16",
                                   "interleaved x1 cores hugepages=off prefetch=off "
                                   "quantum=4096 tasks=16"}));
  // openmp: 2 thread counts x (scalar + highway x 2 stores); openmp+memcpy asked for is one of
  // the ceilings; interleaved: 2 quanta. Ceilings: 4 sets x 3.
  EXPECT_EQ(g.cells.size(), 2u * 3 + 2 + 4 * 3);
}

TEST(Plan, NoCeilingsWhenAskedOrWhenOnlyCopiesRun) {
  RunOptions o;
  o.sizes = {4096};
  o.backends = {"openmp"};
  o.ceilings = false;
  EXPECT_EQ(MakePlan(o, TwoCoreMachine()).groups.at(0).cells.size(), 1u);
  o.ceilings = true;
  o.backends = {"memcpy"};
  EXPECT_EQ(MakePlan(o, TwoCoreMachine()).groups.at(0).cells.size(), 1u);
}

TEST(Plan, ExplicitListsBecomeCells) {
  RunOptions o;
  o.backends = {"serial", "openmp"};
  o.dtypes = {DType::kF32, DType::kF64};
  o.sizes = {1000};
  o.threads = {1, 2};
  o.bindings = {Binding::kNone, Binding::kCores};
  o.ceilings = false;
  const Plan plan = MakePlan(o, TwoCoreMachine());
  ASSERT_EQ(plan.groups.size(), 2u);
  // serial: 2 bindings x 1 thread; openmp: 2 bindings x 2 thread counts
  EXPECT_EQ(plan.groups[0].cells.size(), 6u);
  EXPECT_EQ(plan.groups[1].dtype, DType::kF64);
}

// A backend or knob value given twice, in any spelling, is refused, not silently merged.
TEST(Plan, RepeatedBackendsAndKnobValuesAreRefused) {
  RunOptions o;
  o.sizes = {1000};
  o.ceilings = false;
  o.backends = {"serial", "openmp", "openmp+scalar"};  // the last is openmp again
  EXPECT_THROW(MakePlan(o, TwoCoreMachine()), UsageError);
  o.backends = {"interleaved"};
  o.knobs["tasks"] = {"1024", "1Ki"};
  EXPECT_THROW(MakePlan(o, TwoCoreMachine()), UsageError);
  o.knobs["tasks"] = {"1024", "2Ki"};
  EXPECT_EQ(MakePlan(o, TwoCoreMachine()).groups[0].cells.size(), 2u);
}

TEST(Plan, NamesFollowTheGrammar) {
  RunOptions o;
  o.sizes = {1000};
  o.backends = {"serial+memcpy"};
  EXPECT_EQ(MakePlan(o, TwoCoreMachine()).groups[0].cells[0].params.backend, "memcpy");
  for (const char* bad : {"nosuch", "openmp+nosuch", "serial@avx2", "", "+", "open mp", "OPENMP"}) {
    o.backends = {bad};
    EXPECT_THROW(MakePlan(o, TwoCoreMachine()), UsageError) << bad;
  }
}

TEST(Plan, DefaultVariantIsTheFirstOrNone) {
  EXPECT_EQ(DefaultVariant(*FindBackend("serial")), "");
  const BackendInfo* copy = FindBackend("openmp+copy");
  ASSERT_NE(copy, nullptr);
  ASSERT_FALSE(copy->variants.empty());
  EXPECT_EQ(DefaultVariant(*copy), copy->variants.front());
  RunOptions o;
  o.sizes = {1000};
  o.ceilings = false;
  o.backends = {"openmp+copy@" + copy->variants.front()};  // the default variant is implied
  EXPECT_EQ(MakePlan(o, TwoCoreMachine()).groups[0].cells[0].params.backend, "openmp+copy");
}

TEST(Plan, AllKnobsNamesEachKnobOnce) {
  std::set<std::string> names;
  for (const KnobInfo* k : AllKnobs()) EXPECT_TRUE(names.insert(k->name).second) << k->name;
  for (const auto& b : Backends())
    for (const KnobInfo& k : b.knobs) EXPECT_TRUE(names.count(k.name)) << b.name << " " << k.name;
  EXPECT_TRUE(names.count("tasks"));
  EXPECT_TRUE(names.count("stores"));
}

// The same cell is planned once: a ceiling two square backends share is measured once.
TEST(Plan, CellsOfAGroupHaveDistinctKeys) {
  RunOptions o;
  o.sizes = {1000};
  o.backends = {"openmp", "openmp+memcpy"};  // openmp+memcpy is also openmp's ceiling
  for (const SizeGroup& g : MakePlan(o, TwoCoreMachine()).groups) {
    std::set<std::string> keys;
    for (const PlannedCell& c : g.cells)
      EXPECT_TRUE(keys.insert(CellKey(c.params, c.level)).second) << CellKey(c.params, c.level);
  }
}

TEST(Plan, UnknownBackendListsTheValidOnes) {
  RunOptions o;
  o.backends = {"nosuch"};
  try {
    MakePlan(o, TwoCoreMachine());
    FAIL() << "expected a UsageError";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("openmp"), std::string::npos) << e.what();
  }
}

TEST(Plan, RejectsBadThreadCounts) {
  RunOptions o;
  o.sizes = {1000};
  for (int t : {0, -1, 129}) {
    o.threads = {t};
    EXPECT_THROW(MakePlan(o, TwoCoreMachine()), UsageError) << t;
  }
  o.threads = {128};
  EXPECT_NO_THROW(MakePlan(o, TwoCoreMachine()));
}

TEST(Plan, RefusesSizesThatDoNotFitBeforeAllocating) {
  RunOptions o;
  o.sizes = {3 * kGiB};  // 24 GiB of f32 arrays per cell on a 20 GiB machine
  EXPECT_THROW(MakePlan(o, TwoCoreMachine()), UsageError);
}

// Cells whose arrays do not fit in memory together are measured in as few batches as fit, of
// even size (3 + 2, not 4 + 1), each batch in rounds; one after another when only one fits.
TEST(Plan, BatchesAsFewAndEvenAsFitInMemory) {
  RunOptions o;
  o.backends = {"serial", "openmp", "tbb", "memcpy", "openmp+memcpy"};
  o.ceilings = false;
  for (const auto& [elements, at_once] : std::vector<std::pair<std::uint64_t, std::size_t>>{
           {1ull << 28, 5},     // 2 GiB per cell (x, y): all 5 fit in 16 GiB (80% of 20)
           {1ull << 29, 3},     // 4 GiB: 4 fit, so 3 + 2
           {1ull << 30, 2},     // 8 GiB: 2 fit, so 2 + 2 + 1
           {3ull << 29, 1}}) {  // 12 GiB: one after another
    o.sizes = {elements};
    const Plan plan = MakePlan(o, TwoCoreMachine());
    ASSERT_EQ(plan.groups.size(), 1u);
    EXPECT_EQ(plan.groups[0].cells_at_once, at_once) << elements;
    EXPECT_EQ(plan.notes.empty(), at_once == 5) << elements;
  }
}

TEST(Plan, DefaultDramLevelIsSkippedWithANoteWhenMemoryIsShort) {
  MachineLimits small = TwoCoreMachine();
  small.available_memory = 1 * kGiB;  // DRAM cell needs 1.875 GiB
  const Plan plan = MakePlan(RunOptions{}, small);
  EXPECT_EQ(std::count_if(plan.groups.begin(), plan.groups.end(),
                          [](const SizeGroup& g) { return !IsOwnDeviceGroup(g); }),
            3);
  ASSERT_FALSE(plan.notes.empty());
  EXPECT_NE(plan.notes.back().find("DRAM"), std::string::npos);
}

TEST(Plan, AMissingLevelIsNotedOnceForAllBackendsAndDtypes) {
  RunOptions o;
  o.backends = {"serial", "openmp"};
  o.dtypes = {DType::kF32, DType::kF64};
  const MachineLimits no_l3 = {{48 << 10, 2 << 20, 0}, 2, 20 * kGiB};
  const Plan plan = MakePlan(o, no_l3);
  EXPECT_EQ(std::count(plan.notes.begin(), plan.notes.end(),
                       "level L3 skipped: this machine reports no such cache"),
            1);
}

TEST(Plan, RejectsUnknownAndMissingLevels) {
  RunOptions o;
  o.levels = {"L7"};
  EXPECT_THROW(MakePlan(o, TwoCoreMachine()), UsageError);
  MachineLimits no_l3 = TwoCoreMachine();
  no_l3.caches.l3 = 0;
  o.levels = {"L3"};
  EXPECT_THROW(MakePlan(o, no_l3), UsageError);
}

}  // namespace
}  // namespace sqb
