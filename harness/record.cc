// The result record's names, throughput conversions and reference lookup.
#include "harness/record.h"

namespace sqb {

std::string_view Name(CellStatus s) {
  switch (s) {
    case CellStatus::kOk:
      return "OK";
    case CellStatus::kFailed:
      return "FAILED";
    case CellStatus::kError:
      return "ERROR";
    case CellStatus::kSkipped:
      return "SKIPPED";
  }
  return "?";
}

std::string_view Name(Binding b) { return b == Binding::kCores ? "cores" : "none"; }

const std::string* Fingerprint::Find(const std::string& key) const {
  for (const auto& [k, v] : fields) {
    if (k == key) return &v;
  }
  return nullptr;
}

double GigabytesPerSecond(const CellParams& p, double seconds_per_call) {
  return static_cast<double>(p.BytesPerCall()) / seconds_per_call / 1e9;
}

double GigaElementsPerSecond(const CellParams& p, double seconds_per_call) {
  return static_cast<double>(p.elements) / seconds_per_call / 1e9;
}

double RankGigabytesPerSecond(const CellRecord& c, const RankRecord& r, double seconds_per_call) {
  return static_cast<double>(2 * SizeOf(c.params.dtype) * r.elements) / seconds_per_call / 1e9;
}

double EventsPerSecond(const CellRecord& c, const EventCount& e) {
  return e.per_call / c.wall.stats.median;
}

double EventTimePercent(const CellRecord& c, const EventCount& e) {
  return 100 * e.per_call * e.cost_s / c.wall.stats.median;
}

}  // namespace sqb
