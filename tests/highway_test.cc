// The Highway kernels under every compiled target this CPU supports (Highway's per-target test
// pattern: hwy::SetSupportedTargetsForTest), for every tail, misaligned starts and every store
// policy, bitwise against Square() (and x, for the copy kernels). The conformance suite covers the
// composed backends too.
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "backends/highway/highway_targets.h"
#include "harness/inputs.h"
#include "harness/verify.h"
#include "hwy/targets.h"

namespace sqb {
namespace {

class HighwayPerTarget : public ::testing::TestWithParam<std::int64_t> {
 protected:
  void SetUp() override { hwy::SetSupportedTargetsForTest(GetParam()); }
  void TearDown() override { hwy::SetSupportedTargetsForTest(0); }
};

// x holds normals, zeros, infinities, NaNs and denormals; y is poisoned, with guard elements on
// both sides that must stay untouched.
template <typename T>
void ExpectKernelExact(Operation op, ChunkFn<T> kernel, std::size_t n, std::size_t x_shift,
                       std::size_t y_shift, const std::string& what) {
  constexpr std::size_t kGuard = 8;
  std::vector<T> xs(n + x_shift + kGuard), ys(n + y_shift + 2 * kGuard, Poison<T>());
  const T specials[] = {T(0),
                        -T(0),
                        std::numeric_limits<T>::infinity(),
                        std::numeric_limits<T>::quiet_NaN(),
                        std::numeric_limits<T>::denorm_min(),
                        std::numeric_limits<T>::max()};
  T* x = xs.data() + x_shift;
  T* y = ys.data() + kGuard + y_shift;
  for (std::size_t i = 0; i < n; ++i)
    x[i] = i % 7 == 6 ? specials[(i / 7) % std::size(specials)] : TimedInput<T>(i);
  kernel(x, y, n);
  const auto bad =
      FindMismatch(std::is_same_v<T, float> ? DType::kF32 : DType::kF64, op, {x, y, n});
  EXPECT_FALSE(bad) << what << " n=" << n << " x+" << x_shift << " y+" << y_shift << ": "
                    << bad->Describe();
  const T poison = Poison<T>();
  for (std::size_t i = 0; i < ys.size(); ++i) {
    if (i >= kGuard + y_shift && i < kGuard + y_shift + n) continue;
    ASSERT_EQ(std::memcmp(&ys[i], &poison, sizeof(T)), 0) << what << ": wrote outside y, at " << i;
  }
}

template <typename T>
void ExpectAllTailsAndAlignments(Operation op, ChunkFn<T> kernel, std::size_t lanes,
                                 const std::string& what) {
  for (std::size_t n = 0; n <= 3 * lanes + 1; ++n)
    for (std::size_t x_shift : {0, 1})
      for (std::size_t y_shift : {0, 1, 3})
        ExpectKernelExact<T>(op, kernel, n, x_shift, y_shift, what);
  ExpectKernelExact<T>(op, kernel, 1000003, 1, 3, what);
}

// Every store policy of one operation's kernels, both types. Unfenced kernels are checked on the
// thread that stored, which sees its own non-temporal stores without a fence (another thread
// would need FenceStreams first).
void ExpectKernelSetExact(Operation op, const HighwayKernelSet& set, const HighwayTarget& t) {
  const std::string name = op == Operation::kSquare ? "square" : "copy";
  for (const auto& [kernels, policy] :
       {std::pair{&set.regular, "regular"}, std::pair{&set.streaming, "streaming"},
        std::pair{&set.streaming_unfenced, "streaming, unfenced"}}) {
    ExpectAllTailsAndAlignments<float>(op, kernels->f32, t.lanes_f32, name + ", " + policy);
    ExpectAllTailsAndAlignments<double>(op, kernels->f64, t.lanes_f64, name + ", " + policy);
  }
}

TEST_P(HighwayPerTarget, DispatchPicksTheTargetUnderTest) {
  EXPECT_EQ(DispatchedHighwayTarget().bit, GetParam());
}

TEST_P(HighwayPerTarget, DispatchedKernelsAreBitwiseExact) {
  for (Operation op : {Operation::kSquare, Operation::kCopy})
    ExpectKernelSetExact(op, DispatchedHighwayKernels(op), DispatchedHighwayTarget());
}

TEST_P(HighwayPerTarget, NamedTargetKernelsAreBitwiseExact) {
  for (const HighwayTarget& t : CompiledHighwayTargets()) {
    if (t.bit != GetParam()) continue;
    ExpectKernelSetExact(Operation::kSquare, t.square, t);
    ExpectKernelSetExact(Operation::kCopy, t.copy, t);
  }
}

INSTANTIATE_TEST_SUITE_P(SupportedTargets, HighwayPerTarget,
                         ::testing::ValuesIn(hwy::SupportedAndGeneratedTargets()),
                         [](const auto& info) { return std::string(hwy::TargetName(info.param)); });

TEST(HighwayTargets, BestFirstWithLaneCounts) {
  const auto& targets = CompiledHighwayTargets();
  ASSERT_FALSE(targets.empty());
  for (std::size_t i = 1; i < targets.size(); ++i) EXPECT_LT(targets[i - 1].bit, targets[i].bit);
  for (const auto& t : targets) {
    const bool scalar = t.lanes_f32 == 1 && t.lanes_f64 == 1;
    EXPECT_TRUE(scalar || t.lanes_f32 == 2 * t.lanes_f64) << t.name;
  }
}

}  // namespace
}  // namespace sqb
