// Planning for a device backend (a stand-in registered only here): its levels follow the device's
// own caches, and its copy ceiling runs on the same device.
#include <gtest/gtest.h>

#include "harness/plan.h"
#include "harness/registry.h"

namespace sqb {
namespace {

constexpr std::uint64_t kDeviceL2 = 8 << 20;

// Device "0" reports an 8 MiB L2 and nothing else; device "1" reports no caches (the CPU's apply).
BackendInfo Device(const std::string& chunk_kernel, Operation op) {
  BackendInfo b;
  b.name = chunk_kernel.empty() ? "gpu" : "gpu+" + chunk_kernel;
  b.executor = "gpu";
  b.chunk_kernel = chunk_kernel;
  b.description = "stand-in device";
  b.operation = op;
  b.variants = {"0", "1"};
  b.variant_is_device = true;
  if (op == Operation::kSquare) b.ceilings = {{"gpu+memcpy", {}}};
  b.unavailable_reason = [](const std::string&) { return std::string(); };
  b.device_caches = [](const std::string& variant) -> std::optional<CacheSizes> {
    if (variant == "0") return CacheSizes{0, kDeviceL2, 0};
    return std::nullopt;
  };
  b.make_cell = [](const CellParams&) -> std::unique_ptr<Cell> { return nullptr; };
  return b;
}
SQB_REGISTER_BACKEND(Device("", Operation::kSquare));
SQB_REGISTER_BACKEND(Device("memcpy", Operation::kCopy));

MachineLimits Cpu() { return {{48 << 10, 2 << 20, 32 << 20}, 2, 16ull << 30}; }

TEST(DevicePlan, LevelsFollowTheDevicesCachesAndSkipWhatItLacks) {
  RunOptions o;
  o.backends = {"gpu@0"};
  const Plan plan = MakePlan(o, Cpu());
  ASSERT_EQ(plan.groups.size(), 2u);
  EXPECT_EQ(plan.groups[0].elements, kDeviceL2 / 2 / 8) << "L2: half the device's L2";
  EXPECT_EQ(plan.groups[1].elements, 4 * kDeviceL2 / 8) << "DRAM: 4x the device's L2";
  EXPECT_EQ(plan.groups[0].cells.at(0).level, "L2");
  EXPECT_EQ(plan.groups[1].cells.at(0).level, "DRAM");
  int skipped = 0;
  for (const auto& note : plan.notes)
    skipped += note.find("skipped for gpu@0: its device has no such cache") != std::string::npos;
  EXPECT_EQ(skipped, 2) << "L1 and L3";
}

TEST(DevicePlan, TheCeilingRunsOnTheSameDeviceInTheSameSet) {
  RunOptions o;
  o.backends = {"gpu@0"};
  o.levels = {"DRAM"};
  const SizeGroup g = MakePlan(o, Cpu()).groups.at(0);
  ASSERT_EQ(g.cells.size(), 2u);
  EXPECT_EQ(g.cells[1].params.backend, "gpu+memcpy");
  EXPECT_EQ(g.cells[1].params.variant, "0");
  EXPECT_EQ(g.cells[1].ceiling_set, g.cells[0].ceiling_set);
  EXPECT_EQ(g.cells[0].ceiling_set, "gpu@0 x1 cores");

  o.backends = {"gpu@1"};
  const SizeGroup other = MakePlan(o, Cpu()).groups.at(0);
  EXPECT_EQ(other.cells.at(1).params.backend, "gpu+memcpy@1");
  EXPECT_NE(other.cells[1].ceiling_set, g.cells[1].ceiling_set) << "another device, another set";
}

TEST(DevicePlan, CpuAndDeviceSizesAreSeparateGroupsInSizeOrder) {
  RunOptions o;
  o.backends = {"gpu@0", "gpu@1"};
  o.levels = {"L2"};
  o.ceilings = false;
  const Plan plan = MakePlan(o, Cpu());
  ASSERT_EQ(plan.groups.size(), 2u);
  EXPECT_EQ(plan.groups[0].elements, (1u << 20) / 8) << "gpu@1 follows the CPU's 2 MiB L2";
  EXPECT_EQ(plan.groups[0].cells.at(0).params.variant, "1");
  EXPECT_EQ(plan.groups[1].elements, kDeviceL2 / 2 / 8);
  EXPECT_EQ(plan.groups[1].cells.at(0).params.variant, "0");
}

}  // namespace
}  // namespace sqb
