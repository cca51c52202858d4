// The effective last-level cache read off a bandwidth curve: synthetic curves with known answers.
#include "harness/cache_probe.h"

#include <gtest/gtest.h>

namespace sqb {
namespace {

constexpr std::uint64_t kMiB = 1 << 20;

std::vector<ProbePoint> Curve(std::uint64_t first_mib, const std::vector<double>& gbps) {
  std::vector<ProbePoint> curve;
  std::uint64_t bytes = first_mib * kMiB;
  for (double g : gbps) {
    curve.push_back({bytes, g * 1e9});
    bytes *= 2;
  }
  return curve;
}

TEST(CacheProbe, TheLastSizeWellAboveThePlateauIsTheCache) {
  // As measured on a 2-core VM whose host reports a 480 MiB L3: 4..128 MiB.
  EXPECT_EQ(EffectiveCacheFromCurve(Curve(4, {27.4, 27.6, 26.2, 18.0, 11.0, 10.2})), 32 * kMiB);
  EXPECT_EQ(EffectiveCacheFromCurve(Curve(4, {29.6, 27.4, 26.3, 14.9, 11.0, 10.0})), 32 * kMiB);
  EXPECT_EQ(EffectiveCacheFromCurve(Curve(4, {30, 30, 12.5, 12, 11.8})), 8 * kMiB)
      << "12.5 is within 1.25x of the plateau: already memory";
}

TEST(CacheProbe, NoAnswerUntilTheCurveEndsInAPlateauAfterADrop) {
  EXPECT_FALSE(EffectiveCacheFromCurve(Curve(4, {30, 29})));
  EXPECT_FALSE(EffectiveCacheFromCurve(Curve(4, {30, 29, 28, 27}))) << "flat: no drop yet";
  EXPECT_FALSE(EffectiveCacheFromCurve(Curve(4, {30, 25, 18, 12}))) << "still falling";
  EXPECT_FALSE(EffectiveCacheFromCurve({})) << "nothing measured";
}

}  // namespace
}  // namespace sqb
