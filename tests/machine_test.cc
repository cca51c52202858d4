// Facts about the machine readers (topology, fingerprint, timer), never their speed.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>

#include "harness/clock.h"
#include "harness/fingerprint.h"
#include "harness/topology.h"

namespace sqb {
namespace {

TEST(TopologyTest, CoresAndPusAreConsistent) {
  const Topology& t = MachineTopology();
  EXPECT_GE(t.cores, 1);
  EXPECT_GE(t.pus, t.cores);
  ASSERT_EQ(t.core_cpus.size(), static_cast<std::size_t>(t.cores));
  const std::set<int> distinct(t.core_cpus.begin(), t.core_cpus.end());
  EXPECT_EQ(distinct.size(), t.core_cpus.size()) << "one CPU per core";
  EXPECT_GT(t.memory_bytes, 0u);
}

TEST(TopologyTest, LastLevelIsTheLargestLevelPresent) {
  const Topology& t = MachineTopology();
  const std::uint64_t expected = t.l3_bytes ? t.l3_bytes : t.l2_bytes ? t.l2_bytes : t.l1d_bytes;
  EXPECT_EQ(t.LastLevelBytes(), expected);
}

TEST(TopologyTest, IsCached) { EXPECT_EQ(&MachineTopology(), &MachineTopology()); }

TEST(TimerTest, FactsArePositive) {
  const TimerFacts& t = MeasuredTimer();
  EXPECT_GT(t.resolution_s, 0);
  EXPECT_GT(t.overhead_s, 0);
  EXPECT_EQ(&MeasuredTimer(), &t);
}

TEST(FingerprintTest, HasTheCoreKeysWithValues) {
  const Fingerprint fp = CollectFingerprint({});
  for (const std::string key : {"cpu.model", "cache.l1d", "build.type", "timer.resolution_ns"}) {
    const auto it = std::find_if(fp.fields.begin(), fp.fields.end(),
                                 [&](const auto& field) { return field.first == key; });
    ASSERT_NE(it, fp.fields.end()) << key;
    EXPECT_FALSE(it->second.empty()) << key;
  }
}

TEST(FingerprintTest, KeysAreUniqueAndValuesNonEmpty) {
  const Fingerprint fp = CollectFingerprint({});
  std::set<std::string> keys;
  for (const auto& [key, value] : fp.fields) {
    EXPECT_TRUE(keys.insert(key).second) << "duplicate " << key;
    EXPECT_FALSE(value.empty()) << key;
  }
  for (const std::string& w : fp.warnings) EXPECT_FALSE(w.empty());
}

}  // namespace
}  // namespace sqb
