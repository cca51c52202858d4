// Device memory is budgeted as host memory is: a device backend, registered only in this test
// binary, whose cells live in a device memory the test sizes.
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "harness/plan.h"
#include "squarebench/registration.h"

namespace sqb {
namespace {

std::uint64_t g_device_free = 1ull << 30;

// A cell that keeps its arrays in host memory: the plan is what is tested, not a device.
class HostCell final : public Cell {
 public:
  explicit HostCell(const CellParams& p) : x_(p.elements), y_(p.elements) {}
  void Setup(const FillFn& fill) override { fill(0, x_.size(), x_.data(), y_.data()); }
  void Run() override {
    for (std::size_t i = 0; i < x_.size(); ++i) y_[i] = x_[i] * x_[i];
  }
  HostArrays ReadBack() override { return {x_.data(), y_.data(), x_.size()}; }

 private:
  std::vector<float> x_, y_;
};

SQB_REGISTER_BACKEND((BackendInfo{
    .name = "fakegpu",
    .executor = "fakegpu",
    .description = "a device of 50 MiB of L2 and as much free memory as the test says",
    .variants = LazyList({"0"}),
    .knobs = {{.name = "flavour",
               .values = {"a", "b", "c", "d"},
               .default_value = "a",
               .description = "four cells of one size"}},
    .variant_is_device = true,
    .device_caches =
        [](const std::string&) {
          return std::optional(CacheSizes{0, 50 << 20, 0});
        },
    .device_memory = [](const std::string&) { return std::optional(g_device_free); },
    .unavailable_reason = [](const std::string&) { return std::string(); },
    .make_cell = [](const CellParams& p) { return std::make_unique<HostCell>(p); },
}));

const MachineLimits kHost = {{48 << 10, 2 << 20, 32 << 20}, 2, 64ull << 30};

RunOptions FourFlavours() {
  RunOptions o;
  o.backends = {"fakegpu"};
  o.knobs["flavour"] = {"a", "b", "c", "d"};
  return o;
}

TEST(DeviceMemory, ADeviceMeasuresAsManyCellsAtOnceAsItsFreeMemoryHolds) {
  g_device_free = 1ull << 30;
  RunOptions o = FourFlavours();
  o.sizes = {32ull << 20};  // 256 MiB a cell: 3 fit in 80% of 1 GiB, the host holds all 4
  const Plan plan = MakePlan(o, kHost);
  ASSERT_EQ(plan.groups.size(), 1u);
  EXPECT_EQ(plan.groups[0].cells.size(), 4u);
  EXPECT_EQ(plan.groups[0].cells_at_once, 2u) << "two even batches, not 3 and a straggler";
  ASSERT_FALSE(plan.notes.empty());
  EXPECT_NE(plan.notes.back().find("fakegpu@0 holds 3 cells at once"), std::string::npos)
      << plan.notes.back();
}

TEST(DeviceMemory, ASizeAskedForThatNoCellOfTheDeviceHoldsIsRefused) {
  g_device_free = 1ull << 30;
  RunOptions o = FourFlavours();
  o.sizes = {128ull << 20};  // 1 GiB a cell
  try {
    MakePlan(o, kHost);
    FAIL() << "a cell larger than the device's free memory was planned";
  } catch (const UsageError& e) {
    EXPECT_NE(std::strstr(e.what(), "fakegpu@0 has only 1 GiB of device memory free"), nullptr)
        << e.what();
  }
}

TEST(DeviceMemory, ALevelTheDeviceCannotHoldIsSkippedWithANote) {
  g_device_free = 64ull << 20;  // the L2 level's 25 MiB fit; the DRAM level's 200 MiB do not
  const Plan plan = MakePlan(FourFlavours(), kHost);
  ASSERT_EQ(plan.groups.size(), 1u);
  EXPECT_EQ(plan.groups[0].cells.at(0).level, "L2") << "by the device's caches";
  EXPECT_EQ(plan.groups[0].cells_at_once, 2u);
  bool noted = false;
  for (const std::string& n : plan.notes)
    noted = noted || n.rfind("level DRAM skipped on fakegpu@0: ", 0) == 0;
  EXPECT_TRUE(noted) << "notes: " << ::testing::PrintToString(plan.notes);
}

}  // namespace
}  // namespace sqb
