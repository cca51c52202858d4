// A cell measured across MPI ranks seen per rank and per host: rates, ratios and the slow ones.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "harness/record.h"

namespace sqb {

// One rank's rate. Measured: status OK with samples; only measured ranks have rates and ratios.
struct RankRate {
  const RankRecord* rank = nullptr;
  bool measured = false;
  double median_gbps = 0;  // RankGigabytesPerSecond at the rank's own median time
  double best_gbps = 0;
  double ratio = 0;  // median_gbps / the median over the measured ranks
  bool slow = false;
};

// The ranks that ran on one host. Its figure is the sum of its ranks' median GB/s: in "together"
// mode what the host delivered at once; in "each" mode the sum of its ranks' rates measured one at
// a time (what they give without contention), so that hosts compare on one footing in both modes.
// The ratio compares GB/s per rank (gbps / ranks), so that a host running fewer ranks than the
// others is not called slow for it; with equal rank counts it is the ratio of the sums.
struct HostRate {
  std::string host;
  std::vector<int> ranks;  // ascending
  bool measured = false;   // every one of its ranks was measured
  double gbps = 0;
  double ratio = 0;  // (gbps / ranks) / the median of that over the measured hosts
  bool slow = false;
};

struct RankView {
  double slow_below = 0;
  std::vector<RankRate> ranks;  // in the cell's order (by rank)
  std::vector<HostRate> hosts;  // in order of their first rank
  // Indices into ranks / hosts, sorted by ratio (slowest first; the unmeasured ones are absent).
  std::vector<std::size_t> ranks_by_ratio, hosts_by_ratio;
  std::size_t slow_ranks = 0, slow_hosts = 0;
  // Compared per host only when that tells something the ranks do not: two or more measured
  // hosts, and some host runs more than one rank.
  bool compare_hosts = false;
};

// The view of a cell with rank rows (empty ranks and hosts for a single-process cell). A rank or
// host is slow when its ratio is below `slow_below` (Report::slow_below, e.g. 0.90). The view
// points into `c`, which must outlive it.
RankView ViewRanks(const CellRecord& c, double slow_below);

// The flags a cell with rank rows gets, host flags first, each kind slowest first: at most
// kMaxSlowFlags of a kind, then one line counting the rest. The text before ':' is the kind, as
// FlagCounts (report_matrix.h) counts flags: "2 cells slow host".
//   "slow host: b, 0.80x the median host (below 0.90): ranks 2,3"
//   "slow host: 5 more below 0.90x the median host"
//   "slow rank: 1 on host a, 0.45x the median rank (below 0.90)"
//   "slow rank: 40 more below 0.90x the median rank"
// Host flags only when RankView::compare_hosts. Empty when nothing is slow.
inline constexpr std::size_t kMaxSlowFlags = 8;
std::vector<std::string> SlowRankFlags(const CellRecord& c, double slow_below);

// The one-line answer per kind, for the reporters; empty when fewer than two were measured:
//   "slowest host: b, 0.80x the median host (below 0.90): ranks 2,3"
//   "slowest host: b, 0.80x the median host (below 0.90): ranks 2,3; 3 of 16 hosts below 0.90"
//   "slowest host: b, 0.95x the median host (not below 0.90): ranks 2,3"
//   "slowest rank: 1 on host a, 0.45x the median rank (below 0.90); 2 of 8 ranks below 0.90"
std::string SlowestHostLine(const RankView& v);
std::string SlowestRankLine(const RankView& v);
// "rank 5 on host c: ERROR (why)" for each rank not OK, at most `max` and then "... N more".
std::vector<std::string> UnmeasuredRankLines(const RankView& v, std::size_t max);
// What the reporters say of a cell first, one line each: the slowest host (or why hosts are not
// compared: "all 4 ranks on host a", "one rank per host: each rank's host is named"), the slowest
// rank, then the ranks not measured (at most 4 of them).
std::vector<std::string> RankSummaryLines(const RankView& v);
// What the per-rank and per-host figures are, with the threshold.
std::string RanksLegend(double slow_below);

// Ranks as a short list: runs of three or more as ranges, "0-63", "2,3", "1,5-7"; after
// `max_items` items "... (N ranks)".
std::string RankList(const std::vector<int>& ranks, std::size_t max_items = 16);

// A ratio with enough decimals that it reads on the same side of `slow_below` as it is: "0.85".
std::string FormatRatio(double ratio, double slow_below);

// The rows a report shows when rows are many: above kMaxListedRows, only the slow ones, those not
// OK (ranks) and the slowest, median and fastest; all of them otherwise. Indices, ascending.
inline constexpr std::size_t kMaxListedRows = 32;
std::vector<std::size_t> ListedRanks(const RankView& v);
std::vector<std::size_t> ListedHosts(const RankView& v);

// The per-rank and per-host tables as plain text cells, for the table and Markdown reporters
// (each escapes them its own way): `listed` rows of ListedRanks / ListedHosts.
struct TextTable {
  std::vector<std::string> header;
  std::vector<bool> right;  // per column: aligned right (numbers)
  std::vector<std::vector<std::string>> rows;
};
TextTable RankTable(const RankView& v, const std::vector<std::size_t>& listed);
TextTable HostTable(const RankView& v, const std::vector<std::size_t>& listed);
// What a cut table leaves out: "10000 ranks: listed are the 3 below 0.90x the median rank, those
// not OK, and the slowest, median and fastest; every rank is in the JSON report". "" when whole.
std::string RanksListedLine(const RankView& v, std::size_t listed);
std::string HostsListedLine(const RankView& v, std::size_t listed);

}  // namespace sqb
