// A cell measured across MPI ranks seen per rank and per host: rates, ratios and the slow ones.
#include "harness/rank_view.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <string_view>

#include "harness/report_layout.h"
#include "squarebench/format.h"

namespace sqb {
namespace {

double MedianOrZero(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

// A ratio against a median of 0 (no bytes) or of nothing is no evidence of slowness, nor is one
// that is not a number (infinite rates, from hostile reports).
double Ratio(double x, double median) {
  const double ratio = x / median;
  return median > 0 && !std::isnan(ratio) ? ratio : 1;
}

// "0.90"; a threshold that two decimals would misstate as written with more.
std::string FormatThreshold(double t) {
  const std::string two = fmt::format("{:.2f}", t);
  return std::abs(std::stod(two) - t) < 1e-12 ? two : fmt::format("{:g}", t);
}

std::string RanksWord(const std::vector<int>& ranks) {
  return fmt::format("rank{} {}", ranks.size() == 1 ? "" : "s", RankList(ranks));
}

// Indices of the measured rows, slowest first (ties in row order).
template <typename Row>
std::vector<std::size_t> ByRatio(const std::vector<Row>& rows) {
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < rows.size(); ++i)
    if (rows[i].measured) order.push_back(i);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return rows[a].ratio < rows[b].ratio; });
  return order;
}

// The rows to list when there are many: the slow, the unmeasured, the slowest, median, fastest.
template <typename Row>
std::vector<std::size_t> Listed(const std::vector<Row>& rows,
                                const std::vector<std::size_t>& order) {
  std::vector<std::size_t> listed;
  for (std::size_t i = 0; i < rows.size(); ++i)
    if (rows.size() <= kMaxListedRows || rows[i].slow || !rows[i].measured) listed.push_back(i);
  if (rows.size() > kMaxListedRows && !order.empty()) {
    listed.push_back(order.front());
    listed.push_back(order[(order.size() - 1) / 2]);
    listed.push_back(order.back());
  }
  std::sort(listed.begin(), listed.end());
  listed.erase(std::unique(listed.begin(), listed.end()), listed.end());
  return listed;
}

std::string Rate(bool measured, double gbps) {
  return measured ? FormatRate(gbps) : std::string("-");
}

}  // namespace

RankView ViewRanks(const CellRecord& c, double slow_below) {
  RankView v;
  v.slow_below = slow_below;
  std::vector<double> rates;
  for (const RankRecord& r : c.ranks) {
    RankRate x{.rank = &r, .measured = r.status == CellStatus::kOk && r.wall.stats.n > 0};
    if (x.measured) {
      x.median_gbps = RankGigabytesPerSecond(c, r, r.wall.stats.median);
      x.best_gbps = RankGigabytesPerSecond(c, r, r.wall.stats.best);
      rates.push_back(x.median_gbps);
    }
    v.ranks.push_back(x);
  }
  const double median_rank = MedianOrZero(rates);
  std::map<std::string_view, std::size_t> host_index;
  for (RankRate& x : v.ranks) {
    if (x.measured) {
      x.ratio = Ratio(x.median_gbps, median_rank);
      x.slow = x.ratio < slow_below;
      v.slow_ranks += x.slow;
    }
    const auto [it, added] = host_index.emplace(x.rank->host, v.hosts.size());
    if (added) v.hosts.push_back({.host = x.rank->host, .measured = true});
    HostRate& h = v.hosts[it->second];
    h.ranks.push_back(x.rank->rank);
    h.measured = h.measured && x.measured;
    h.gbps += x.median_gbps;
  }
  std::vector<double> per_rank;
  bool shared = false;
  for (HostRate& h : v.hosts) {
    std::sort(h.ranks.begin(), h.ranks.end());
    shared = shared || h.ranks.size() > 1;
    if (h.measured) per_rank.push_back(h.gbps / static_cast<double>(h.ranks.size()));
  }
  v.compare_hosts = per_rank.size() >= 2 && shared;
  const double median_host = MedianOrZero(per_rank);
  for (HostRate& h : v.hosts) {
    if (!h.measured) continue;
    h.ratio = Ratio(h.gbps / static_cast<double>(h.ranks.size()), median_host);
    h.slow = v.compare_hosts && h.ratio < slow_below;
    v.slow_hosts += h.slow;
  }
  v.ranks_by_ratio = ByRatio(v.ranks);
  v.hosts_by_ratio = ByRatio(v.hosts);
  return v;
}

std::vector<std::string> SlowRankFlags(const CellRecord& c, double slow_below) {
  std::vector<std::string> flags;
  if (c.ranks.empty()) return flags;
  const RankView v = ViewRanks(c, slow_below);
  const std::string below = FormatThreshold(slow_below);
  std::size_t listed = 0;
  for (std::size_t i : v.hosts_by_ratio) {
    const HostRate& h = v.hosts[i];
    if (!h.slow || listed++ == kMaxSlowFlags) break;
    flags.push_back(fmt::format("slow host: {}, {}x the median host (below {}): {}", h.host,
                                FormatRatio(h.ratio, slow_below), below, RanksWord(h.ranks)));
  }
  if (v.slow_hosts > kMaxSlowFlags)
    flags.push_back(fmt::format("slow host: {} more below {}x the median host",
                                v.slow_hosts - kMaxSlowFlags, below));
  listed = 0;
  for (std::size_t i : v.ranks_by_ratio) {
    const RankRate& x = v.ranks[i];
    if (!x.slow || listed++ == kMaxSlowFlags) break;
    flags.push_back(fmt::format("slow rank: {} on host {}, {}x the median rank (below {})",
                                x.rank->rank, x.rank->host, FormatRatio(x.ratio, slow_below),
                                below));
  }
  if (v.slow_ranks > kMaxSlowFlags)
    flags.push_back(fmt::format("slow rank: {} more below {}x the median rank",
                                v.slow_ranks - kMaxSlowFlags, below));
  return flags;
}

std::string SlowestHostLine(const RankView& v) {
  if (!v.compare_hosts) return "";
  const HostRate& h = v.hosts[v.hosts_by_ratio.front()];
  const std::string below = FormatThreshold(v.slow_below);
  std::string line = fmt::format("slowest host: {}, {}x the median host ({} {}): {}", h.host,
                                 FormatRatio(h.ratio, v.slow_below), h.slow ? "below" : "not below",
                                 below, RanksWord(h.ranks));
  if (v.slow_hosts > 1)
    line += fmt::format("; {} of {} hosts below {}", v.slow_hosts, v.hosts_by_ratio.size(), below);
  return line;
}

std::string SlowestRankLine(const RankView& v) {
  if (v.ranks_by_ratio.size() < 2) return "";
  const RankRate& x = v.ranks[v.ranks_by_ratio.front()];
  const std::string below = FormatThreshold(v.slow_below);
  std::string line = fmt::format("slowest rank: {} on host {}, {}x the median rank ({} {})",
                                 x.rank->rank, x.rank->host, FormatRatio(x.ratio, v.slow_below),
                                 x.slow ? "below" : "not below", below);
  if (v.slow_ranks > 1)
    line += fmt::format("; {} of {} ranks below {}", v.slow_ranks, v.ranks_by_ratio.size(), below);
  return line;
}

std::vector<std::string> UnmeasuredRankLines(const RankView& v, std::size_t max) {
  std::vector<std::string> lines;
  std::size_t unmeasured = 0;
  for (const RankRate& x : v.ranks) {
    if (x.measured || unmeasured++ >= max) continue;
    const RankRecord& r = *x.rank;
    std::string line = fmt::format("rank {} on host {}: {}", r.rank, r.host, Name(r.status));
    if (r.status == CellStatus::kOk) line += ", not timed";
    if (!r.message.empty()) line += fmt::format(" ({})", r.message);
    lines.push_back(std::move(line));
  }
  if (unmeasured > max) lines.push_back(fmt::format("... and {} more", unmeasured - max));
  return lines;
}

std::vector<std::string> RankSummaryLines(const RankView& v) {
  std::vector<std::string> lines;
  if (v.compare_hosts) {
    lines.push_back(SlowestHostLine(v));
  } else if (v.hosts.size() == 1) {
    lines.push_back(fmt::format("all {} ranks on host {}", v.ranks.size(), v.hosts.front().host));
  } else if (v.hosts.size() == v.ranks.size()) {
    lines.push_back("one rank per host: each rank's host is named");
  }
  if (std::string line = SlowestRankLine(v); !line.empty()) lines.push_back(std::move(line));
  for (std::string& line : UnmeasuredRankLines(v, 4)) lines.push_back("not measured: " + line);
  return lines;
}

std::string RanksLegend(double slow_below) {
  const std::string below = FormatThreshold(slow_below);
  return fmt::format(
      "per cell measured across MPI ranks: each rank's median GB/s for its own share of the "
      "elements, against the median rank; each host's GB/s, the sum of its ranks' (with mpi=each "
      "the sum of rates measured one rank at a time), against the median host per rank; slow "
      "below {}x",
      below);
}

std::string RankList(const std::vector<int>& ranks, std::size_t max_items) {
  std::vector<std::string> items;
  for (std::size_t i = 0; i < ranks.size() && items.size() <= max_items;) {
    std::size_t end = i + 1;
    while (end < ranks.size() && ranks[end] == ranks[end - 1] + 1) ++end;
    if (end - i >= 3) {
      items.push_back(fmt::format("{}-{}", ranks[i], ranks[end - 1]));
    } else {
      for (std::size_t k = i; k < end; ++k) items.push_back(fmt::format("{}", ranks[k]));
    }
    i = end;
  }
  if (items.size() <= max_items) return fmt::format("{}", fmt::join(items, ","));
  items.resize(max_items);
  return fmt::format("{},... ({} ranks)", fmt::join(items, ","), ranks.size());
}

std::string FormatRatio(double ratio, double slow_below) {
  const bool below = ratio < slow_below;
  for (int decimals = 2; decimals < 6; ++decimals) {
    const std::string s = fmt::format("{:.{}f}", ratio, decimals);
    if ((std::stod(s) < slow_below) == below) return s;
  }
  return fmt::format("{:.6g}", ratio);
}

std::vector<std::size_t> ListedRanks(const RankView& v) {
  return Listed(v.ranks, v.ranks_by_ratio);
}
std::vector<std::size_t> ListedHosts(const RankView& v) {
  return Listed(v.hosts, v.hosts_by_ratio);
}

TextTable RankTable(const RankView& v, const std::vector<std::size_t>& listed) {
  const bool devices = std::any_of(v.ranks.begin(), v.ranks.end(),
                                   [](const RankRate& x) { return !x.rank->device.empty(); });
  TextTable t;
  t.header = {"rank", "host", "cpus"};
  if (devices) t.header.push_back("device");
  for (std::string_view h : {"elements", "median GB/s", "best GB/s", "x median", "status"})
    t.header.emplace_back(h);
  t.right.assign(t.header.size(), true);
  t.right[1] = t.right[2] = t.right.back() = false;
  if (devices) t.right[3] = false;
  for (std::size_t i : listed) {
    const RankRate& x = v.ranks[i];
    const RankRecord& r = *x.rank;
    std::vector<std::string> row = {fmt::format("{}", r.rank), r.host, r.cpus};
    if (devices) row.push_back(r.device);
    row.push_back(FormatCount(r.elements));
    row.push_back(Rate(x.measured, x.median_gbps));
    row.push_back(Rate(x.measured, x.best_gbps));
    row.push_back(x.measured ? FormatRatio(x.ratio, v.slow_below) : "-");
    std::string status(Name(r.status));
    if (x.slow) status += ", slow";
    if (!r.message.empty()) status += ": " + r.message;
    row.push_back(std::move(status));
    t.rows.push_back(std::move(row));
  }
  return t;
}

TextTable HostTable(const RankView& v, const std::vector<std::size_t>& listed) {
  TextTable t{.header = {"host", "ranks", "GB/s", "x median host", "flag"},
              .right = {false, false, true, true, false}};
  for (std::size_t i : listed) {
    const HostRate& h = v.hosts[i];
    t.rows.push_back({h.host, RankList(h.ranks, 8), Rate(h.measured, h.gbps),
                      h.measured ? FormatRatio(h.ratio, v.slow_below) : "-",
                      h.slow       ? "slow"
                      : h.measured ? ""
                                   : "not every rank measured"});
  }
  return t;
}

std::string RanksListedLine(const RankView& v, std::size_t listed) {
  if (listed == v.ranks.size()) return "";
  return fmt::format(
      "{} ranks: listed are the {} below {}x the median rank, any not OK, and the slowest, median "
      "and fastest; every rank is in the JSON report",
      v.ranks.size(), v.slow_ranks, FormatThreshold(v.slow_below));
}

std::string HostsListedLine(const RankView& v, std::size_t listed) {
  if (listed == v.hosts.size()) return "";
  return fmt::format(
      "{} hosts: listed are the {} below {}x the median host, any not fully measured, and the "
      "slowest, median and fastest",
      v.hosts.size(), v.slow_hosts, FormatThreshold(v.slow_below));
}

}  // namespace sqb
