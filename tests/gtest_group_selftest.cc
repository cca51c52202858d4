// Cases for run_gtest_group_test.py, the test of tests/run_gtest_group.py: a pass, a failure, an
// abort mid-way and a pass after it (one process dies, the rest of the group runs on in another), a
// skip, a disabled case, value- and type-parameterised names; a hang and an exit() mid-way, each
// only when its environment variable asks. Built only for that test, never part of the suite
// itself.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>

namespace {

TEST(GroupSelftest, APasses) { EXPECT_EQ(1 + 1, 2); }

TEST(GroupSelftest, BFails) { EXPECT_EQ(1 + 1, 3) << "deliberate failure of BFails"; }

TEST(GroupSelftest, CAbortsMidway) {
  std::printf("CAbortsMidway: about to abort\n");
  std::fflush(stdout);
  std::abort();
}

TEST(GroupSelftest, DPassesAfterTheCrash) { EXPECT_TRUE(true); }

TEST(GroupSelftest, ESkips) { GTEST_SKIP() << "deliberately skipped"; }

TEST(GroupSelftest, FHangsWhenAsked) {
  if (std::getenv("SQB_SELFTEST_HANG") != nullptr) {
    std::this_thread::sleep_for(std::chrono::minutes(10));
  }
}

TEST(GroupSelftest, GExitsWhenAsked) {
  if (std::getenv("SQB_SELFTEST_EXIT") != nullptr) {
    std::fflush(stdout);
    std::_Exit(0);
  }
}

TEST(GroupSelftest, DISABLED_NeverRuns) { FAIL() << "a disabled case ran"; }

class GroupSelftestParam : public testing::TestWithParam<int> {};

TEST_P(GroupSelftestParam, Passes) { EXPECT_GT(GetParam(), 0); }

INSTANTIATE_TEST_SUITE_P(Values, GroupSelftestParam, testing::Values(1, 2),
                         [](const testing::TestParamInfo<int>& info) {
                           return "v" + std::to_string(info.param);
                         });

template <typename T>
class GroupSelftestTyped : public testing::Test {};

using Types = testing::Types<int, double>;
TYPED_TEST_SUITE(GroupSelftestTyped, Types);

TYPED_TEST(GroupSelftestTyped, Passes) { EXPECT_EQ(TypeParam(2) * TypeParam(2), TypeParam(4)); }

}  // namespace
