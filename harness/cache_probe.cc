// The last-level cache this process can actually use, measured by read bandwidth at doubling sizes.
#include "harness/cache_probe.h"

#include <algorithm>
#include <memory>

#include "harness/clock.h"
#include "harness/topology.h"

namespace sqb {
namespace {

constexpr double kPlateauTolerance = 1.10;   // two sizes this close read from the same level
constexpr double kDropBeforePlateau = 1.3;   // the plateau must sit this far below a faster size
constexpr double kCachedOverPlateau = 1.25;  // a size this much faster is still served by a cache

// Best-of-passes read bandwidth over `bytes` (a pass sums the buffer; the sum is kept alive).
double ReadBandwidth(std::uint64_t bytes) {
  const std::size_t n = bytes / sizeof(std::uint64_t);
  std::unique_ptr<std::uint64_t[]> buffer(new std::uint64_t[n]);
  for (std::size_t i = 0; i < n; ++i) buffer[i] = i;  // first touch
  double best = 0, spent = 0;
  for (int pass = 0; pass < 3 || (spent < 0.005 && pass < 1000); ++pass) {
    const auto start = Clock::now();
    std::uint64_t a = 0, b = 0, c = 0, d = 0;
    for (std::size_t i = 0; i + 4 <= n; i += 4) {
      a += buffer[i];
      b += buffer[i + 1];
      c += buffer[i + 2];
      d += buffer[i + 3];
    }
    std::uint64_t sum = a + b + c + d;
    asm volatile("" : "+r"(sum));
    const double seconds = SecondsBetween(start, Clock::now());
    spent += seconds;
    if (seconds > 0) best = std::max(best, static_cast<double>(bytes) / seconds);
  }
  return best;
}

LastLevelCache Probe() {
  const Topology& t = MachineTopology();
  LastLevelCache llc;
  llc.reported = llc.effective = t.LastLevelBytes();
  if (t.l3_bytes == 0 || t.l2_bytes == 0) return llc;  // no shared level to second-guess
  const std::uint64_t available = AvailableMemoryBytes();
  const std::uint64_t limit = std::min<std::uint64_t>(
      {2 * t.l3_bytes, available ? available / 8 : t.l3_bytes, std::uint64_t{4} << 30});
  for (std::uint64_t bytes = std::max<std::uint64_t>(2 * t.l2_bytes, 1 << 20); bytes <= limit;
       bytes *= 2) {
    llc.curve.push_back({bytes, ReadBandwidth(bytes)});
    if (const auto cache = EffectiveCacheFromCurve(llc.curve)) {
      llc.effective = std::min(llc.reported, *cache);
      break;
    }
  }
  return llc;
}

}  // namespace

std::optional<std::uint64_t> EffectiveCacheFromCurve(const std::vector<ProbePoint>& curve) {
  if (curve.size() < 3) return std::nullopt;
  const double last = curve.back().bytes_per_second;
  const double before = curve[curve.size() - 2].bytes_per_second;
  if (std::max(last, before) > kPlateauTolerance * std::min(last, before)) return std::nullopt;
  const double plateau = (last + before) / 2;
  double fastest = 0;
  for (std::size_t i = 0; i + 2 < curve.size(); ++i)
    fastest = std::max(fastest, curve[i].bytes_per_second);
  if (fastest < kDropBeforePlateau * plateau) return std::nullopt;
  std::optional<std::uint64_t> cached;
  for (std::size_t i = 0; i + 2 < curve.size(); ++i)
    if (curve[i].bytes_per_second >= kCachedOverPlateau * plateau) cached = curve[i].bytes;
  return cached;
}

const LastLevelCache& MeasuredLastLevelCache() {
  static const LastLevelCache llc = Probe();
  return llc;
}

std::uint64_t EffectiveLastLevelBytes() { return MeasuredLastLevelCache().effective; }

}  // namespace sqb
