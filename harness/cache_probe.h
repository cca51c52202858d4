// The last-level cache this process can actually use, measured: a VM's or a busy host's share of
// a large shared L3 can be a small fraction of what hwloc reports, and every level rule after L2
// (sizes, classification, the streaming-store switch) is only as good as this figure.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "squarebench/caches.h"

namespace sqb {

// Read bandwidth of one thread over a buffer of `bytes`, sizes ascending by doubling.
struct ProbePoint {
  std::uint64_t bytes = 0;
  double bytes_per_second = 0;
};

// From a curve ending in a plateau (the last two points within 10% of each other and at most
// 1/1.3 of the fastest point before them), the largest size still read at >= 1.25x the plateau's
// bandwidth; nullopt when the curve does not (yet) end in such a plateau.
std::optional<std::uint64_t> EffectiveCacheFromCurve(const std::vector<ProbePoint>& curve);

// What the probe found; measured once per process (about 0.1-0.5 s) on first use.
struct LastLevelCache {
  std::uint64_t reported = 0;   // hwloc's last level (0 when unknown)
  std::uint64_t effective = 0;  // min(reported, measured); == reported when nothing smaller shows
  std::vector<ProbePoint> curve;
};
const LastLevelCache& MeasuredLastLevelCache();

}  // namespace sqb
