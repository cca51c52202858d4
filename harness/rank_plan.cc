// A plan of one process spread over MPI ranks, and each rank's share of a cell.
#include "harness/rank_plan.h"

#include <fmt/format.h>

#include <algorithm>

namespace sqb {
std::uint64_t RankShare(std::uint64_t total, int ranks, int rank) {
  const auto p = static_cast<std::uint64_t>(ranks), r = static_cast<std::uint64_t>(rank);
  return total / p + (r < total % p ? 1 : 0);
}

void SpreadOverRanks(Plan& plan, int ranks, const std::vector<std::string>& modes, bool total,
                     const CacheSizes& caches) {
  const auto p = static_cast<std::uint64_t>(ranks);
  for (SizeGroup& g : plan.groups) {
    if (total && g.elements < p)
      throw UsageError(fmt::format("--mpi-size total: {} elements cannot be split over {} ranks",
                                   g.elements, ranks));
    if (!total && g.elements > kMaxElements / p)
      throw UsageError(
          fmt::format("{} elements per rank x {} ranks is over the most a cell may "
                      "hold ({})",
                      g.elements, ranks, kMaxElements));
    const std::uint64_t all = total ? g.elements : g.elements * p;
    const std::uint64_t share = RankShare(all, ranks, 0);
    const std::uint64_t share_bytes = 2 * SizeOf(g.dtype) * share;
    g.elements = all;
    if (total) g.level = ClassifyLevel(share_bytes, caches);
    std::vector<PlannedCell> spread;
    for (const std::string& mode : modes) {
      for (PlannedCell c : g.cells) {
        c.params.elements = all;
        c.params.ranks = ranks;
        c.params.mpi_mode = mode;
        c.ceiling_set += " mpi=" + mode;
        if (total) {
          const auto own =
              c.backend->device_caches ? c.backend->device_caches(c.params.variant) : std::nullopt;
          c.level = ClassifyLevel(share_bytes, own ? *own : caches);
        }
        spread.push_back(std::move(c));
      }
    }
    g.cells = std::move(spread);
  }
}

CellParams OwnParams(const PlannedCell& p, const Ranks* ranks) {
  CellParams own = p.params;
  if (ranks == nullptr) return own;
  own.elements = RankShare(p.params.elements, ranks->Size(), ranks->Rank());
  if (!p.backend->variant_is_device) return own;
  const std::vector<std::string>& devices = p.backend->variants.get();
  const auto it = std::find(devices.begin(), devices.end(), own.variant);
  if (it == devices.end()) return own;
  const auto index =
      static_cast<std::size_t>(it - devices.begin()) + static_cast<std::size_t>(ranks->LocalRank());
  own.variant = devices[index % devices.size()];
  own.backend = p.backend->name + "@" + own.variant;
  return own;
}

}  // namespace sqb
