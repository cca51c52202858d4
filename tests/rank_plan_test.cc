// A plan spread over MPI ranks, and the plan as rank 0 sends it (real registry).
#include "harness/rank_plan.h"

#include <gtest/gtest.h>

#include <set>

#include "harness/cell_key.h"
#include "harness/rank_messages.h"

namespace sqb {
namespace {

const MachineLimits kMachine = {{48 << 10, 2 << 20, 32ull << 20}, 2, 16ull << 30};

Plan SerialAt(std::uint64_t elements) {
  RunOptions o;
  o.backends = {"serial"};
  o.sizes = {elements};
  return MakePlan(o, kMachine);
}

TEST(RankPlan, SharesAddUpAndDifferByOneAtMost) {
  for (const auto& [total, ranks] : {std::pair{1000ull, 3}, {7ull, 7}, {1ull << 40, 10000}}) {
    std::uint64_t sum = 0, low = UINT64_MAX, high = 0;
    for (int r = 0; r < ranks; ++r) {
      const std::uint64_t share = RankShare(total, ranks, r);
      sum += share;
      low = std::min(low, share);
      high = std::max(high, share);
    }
    EXPECT_EQ(sum, total);
    EXPECT_LE(high - low, 1u);
  }
  EXPECT_EQ(RankShare(1000, 3, 0), 334u);
  EXPECT_EQ(RankShare(1000, 3, 2), 333u);
}

TEST(RankPlan, EveryCellOncePerModeWithTheTotalOverTheRanks) {
  Plan plan = SerialAt(4096);
  const std::size_t cells = plan.groups[0].cells.size();
  SpreadOverRanks(plan, 4, {"together", "each"}, /*total=*/false, kMachine.caches);
  const SizeGroup& g = plan.groups[0];
  EXPECT_EQ(g.elements, 4 * 4096u);
  EXPECT_EQ(g.level, "L1") << "the level of one rank's 4Ki elements (32 KiB of x + y)";
  ASSERT_EQ(g.cells.size(), 2 * cells);
  std::set<std::string> keys, ceiling_sets;
  for (const PlannedCell& c : g.cells) {
    EXPECT_EQ(c.params.ranks, 4);
    EXPECT_EQ(c.params.elements, 4 * 4096u);
    keys.insert(CellKey(c.params, c.level));
    ceiling_sets.insert(c.ceiling_set);
  }
  EXPECT_EQ(keys.size(), 2 * cells) << "each mode its own cell";
  EXPECT_EQ(ceiling_sets.size(), 2u) << "a cell's ceilings share its mode";
  EXPECT_NE(keys.begin()->find("ranks=4 mpi="), std::string::npos) << *keys.begin();
}

TEST(RankPlan, ATotalIsSplitAndItsLevelIsOneRanksShare) {
  Plan plan = SerialAt(1 << 20);  // 8 MiB of f32 x + y in all: L3 for one process
  SpreadOverRanks(plan, 64, {"together"}, /*total=*/true, kMachine.caches);
  EXPECT_EQ(plan.groups[0].elements, 1u << 20);
  EXPECT_EQ(plan.groups[0].level, "L2") << "16Ki elements per rank";
  Plan tiny = SerialAt(3);
  EXPECT_THROW(SpreadOverRanks(tiny, 4, {"together"}, true, kMachine.caches), UsageError);
}

TEST(RankPlan, TheSentPlanIsThePlan) {
  Plan plan = SerialAt(4096);
  SpreadOverRanks(plan, 2, {"together", "each"}, false, kMachine.caches);
  const Plan received = PlanFromText(PlanToText(plan));
  ASSERT_EQ(received.groups.size(), plan.groups.size());
  const SizeGroup &a = plan.groups[0], &b = received.groups[0];
  EXPECT_EQ(b.elements, a.elements);
  EXPECT_EQ(b.level, a.level);
  EXPECT_EQ(b.cells_at_once, a.cells_at_once);
  ASSERT_EQ(b.cells.size(), a.cells.size());
  for (std::size_t i = 0; i < a.cells.size(); ++i) {
    EXPECT_EQ(b.cells[i].backend, a.cells[i].backend);
    EXPECT_EQ(CellKey(b.cells[i].params, b.cells[i].level),
              CellKey(a.cells[i].params, a.cells[i].level));
    EXPECT_EQ(b.cells[i].ceiling_set, a.cells[i].ceiling_set);
  }
  EXPECT_THROW(PlanFromText(R"([{"dtype":0,"elements":1,"offset":0,"level":"L1",
      "cells_at_once":1,"cells":[{"info":"nosuch"}]}])"),
               std::runtime_error);
}

TEST(RankPlan, EachRankRunsItsShareOnItsOwnDevice) {
  Plan plan = SerialAt(1000);
  SpreadOverRanks(plan, 3, {"together"}, true, kMachine.caches);
  struct Third final : Ranks {
    int Rank() const override { return 2; }
    int Size() const override { return 3; }
  } third;
  const PlannedCell& cell = plan.groups[0].cells[0];
  EXPECT_EQ(OwnParams(cell, &third).elements, 333u);
  EXPECT_EQ(OwnParams(cell, nullptr).elements, 1000u);
}

}  // namespace
}  // namespace sqb
