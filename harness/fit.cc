// Per-level fits of time against size, and crossovers between series, from a report's cells.
#include "harness/fit.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "harness/cell_key.h"

namespace sqb {
namespace {

// Two series closer than this at a size are tied there: a crossover needs one clearly ahead on
// each side, so noise between near-equal series makes none.
constexpr double kTieRatio = 1.03;
// A crossover is placed only between measured sizes at most this far apart: between the default
// run's levels (8-16x apart) an interpolated size would be a guess.
constexpr double kMaxBracket = 4.0;

struct Series {
  std::string key;  // the cells' key without their size
  std::string label;
  DType dtype = DType::kF32;
  Operation operation = Operation::kSquare;
  std::map<std::uint64_t, const CellRecord*> by_size;
};

std::vector<Series> CollectSeries(const Report& r) {
  std::vector<Series> out;
  for (const CellRecord& c : r.cells) {
    if (c.status != CellStatus::kOk || c.wall.stats.n == 0) continue;
    const std::string key = CellKey(c, KeySize::kNone);
    auto it = std::find_if(out.begin(), out.end(), [&](const Series& s) { return s.key == key; });
    if (it == out.end()) {
      out.push_back({key, SeriesLabel(r, c), c.params.dtype, c.operation, {}});
      it = out.end() - 1;
    }
    it->by_size[c.params.elements] = &c;
  }
  return out;
}

double Seconds(const CellRecord& c) { return c.wall.stats.median; }

// Where log(t_a / t_b) crosses 0 between two sizes, interpolated in log size.
double InterpolateCrossing(std::uint64_t n0, double ratio0, std::uint64_t n1, double ratio1) {
  const double l0 = std::log(ratio0), l1 = std::log(ratio1);
  const double f = l0 / (l0 - l1);
  return std::exp(std::log(static_cast<double>(n0)) +
                  f * (std::log(static_cast<double>(n1)) - std::log(static_cast<double>(n0))));
}

// Changes of who is ahead over the sizes both series measured, ignoring ties and one-size leads.
void FindCrossovers(const Series& a, const Series& b, std::vector<Crossover>* out) {
  struct Lead {
    std::uint64_t n;
    double ratio;  // t_a / t_b: > 1 means b is ahead
    const CellRecord* cell;
  };
  std::vector<Lead> leads;
  for (const auto& [n, ca] : a.by_size) {
    const auto cb = b.by_size.find(n);
    if (cb == b.by_size.end()) continue;
    const double ratio = Seconds(*ca) / Seconds(*cb->second);
    if (ratio > kTieRatio || ratio < 1 / kTieRatio) leads.push_back({n, ratio, ca});
  }
  // Runs of one series ahead; a lead held at one size only, between two runs of the other, is
  // noise and joins its neighbours.
  struct Run {
    std::size_t first, last;  // indices into leads
  };
  std::vector<Run> runs;
  for (std::size_t i = 0; i < leads.size(); ++i) {
    if (!runs.empty() && (leads[i].ratio > 1) == (leads[runs.back().last].ratio > 1)) {
      runs.back().last = i;
    } else {
      runs.push_back({i, i});
    }
  }
  for (std::size_t k = 1; k + 1 < runs.size();) {
    if (runs[k].first != runs[k].last) {
      ++k;
      continue;
    }
    runs[k - 1].last = runs[k + 1].last;
    runs.erase(runs.begin() + static_cast<std::ptrdiff_t>(k),
               runs.begin() + static_cast<std::ptrdiff_t>(k) + 2);
  }
  for (std::size_t k = 1; k < runs.size(); ++k) {
    const Lead& lo = leads[runs[k - 1].last];
    const Lead& hi = leads[runs[k].first];
    if (static_cast<double>(hi.n) > kMaxBracket * static_cast<double>(lo.n)) continue;
    const bool a_overtakes = hi.ratio < 1;
    out->push_back({a_overtakes ? a.label : b.label, a_overtakes ? b.label : a.label, a.dtype,
                    InterpolateCrossing(lo.n, lo.ratio, hi.n, hi.ratio), lo.cell->level, lo.n,
                    hi.n});
  }
}

}  // namespace

std::optional<LineFit> FitTimeAgainstBytes(const std::vector<TimePoint>& points) {
  std::set<double> sizes;
  for (const TimePoint& p : points) {
    if (!(p.seconds > 0) || !(p.bytes > 0)) return std::nullopt;
    sizes.insert(p.bytes);
  }
  if (sizes.size() < 2) return std::nullopt;
  // Weighted least squares of t = a + s * b with weights 1 / t^2.
  double sw = 0, sb = 0, st = 0, sbb = 0, sbt = 0;
  for (const TimePoint& p : points) {
    const double w = 1 / (p.seconds * p.seconds);
    sw += w;
    sb += w * p.bytes;
    st += w * p.seconds;
    sbb += w * p.bytes * p.bytes;
    sbt += w * p.bytes * p.seconds;
  }
  double slope = (sw * sbt - sb * st) / (sw * sbb - sb * sb);
  double intercept = (st - slope * sb) / sw;
  if (intercept < 0) {
    intercept = 0;
    slope = sbt / sbb;
  }
  if (!(slope > 0)) return std::nullopt;
  LineFit fit{intercept, 1 / slope, 0};
  for (const TimePoint& p : points) {
    const double predicted = intercept + slope * p.bytes;
    fit.max_rel_residual =
        std::max(fit.max_rel_residual, std::abs(p.seconds - predicted) / p.seconds);
  }
  return fit;
}

std::string SeriesLabel(const Report& r, const CellRecord& c, bool with_threads) {
  std::set<int> threads;
  std::set<Binding> bindings;
  std::set<std::uint64_t> offsets;
  std::map<std::string, std::set<std::string>> knobs;
  for (const CellRecord& o : r.cells) {
    if (o.params.backend != c.params.backend) continue;
    threads.insert(o.params.threads);
    bindings.insert(o.params.binding);
    offsets.insert(o.params.offset);
    for (const auto& [k, v] : o.params.knobs) knobs[k].insert(v);
  }
  std::vector<std::string> parts;
  if (with_threads && threads.size() > 1)
    parts.push_back(fmt::format("{} thread{}", c.params.threads, c.params.threads == 1 ? "" : "s"));
  for (const auto& [k, values] : knobs)
    if (values.size() > 1) parts.push_back(fmt::format("{}={}", k, KnobValue(c.params, k)));
  if (bindings.size() > 1) parts.push_back(fmt::format("bind {}", Name(c.params.binding)));
  if (offsets.size() > 1) parts.push_back(fmt::format("offset {}", c.params.offset));
  if (parts.empty()) return c.params.backend;
  return fmt::format("{} ({})", c.params.backend, fmt::join(parts, ", "));
}

SizeAnalysis AnalyzeSizes(const Report& r) {
  SizeAnalysis out;
  const std::vector<Series> series = CollectSeries(r);
  for (const Series& s : series) {
    std::map<std::string, std::vector<const CellRecord*>> by_level;
    std::vector<std::string> level_order;
    for (const auto& [n, c] : s.by_size) {
      if (!by_level.count(c->level)) level_order.push_back(c->level);
      by_level[c->level].push_back(c);
    }
    for (const std::string& level : level_order) {
      const auto& cells = by_level[level];
      if (cells.size() < 3) continue;
      std::vector<TimePoint> points;
      for (const CellRecord* c : cells)
        points.push_back({static_cast<double>(c->params.BytesPerCall()), Seconds(*c)});
      const auto fit = FitTimeAgainstBytes(points);
      if (!fit) continue;
      out.fits.push_back({s.label, level, s.dtype, cells.front()->params.elements,
                          cells.back()->params.elements, static_cast<int>(cells.size()), *fit});
    }
  }
  for (std::size_t i = 0; i < series.size(); ++i) {
    for (std::size_t j = i + 1; j < series.size(); ++j) {
      const Series& a = series[i];
      const Series& b = series[j];
      if (a.dtype != b.dtype || a.operation != Operation::kSquare ||
          b.operation != Operation::kSquare)
        continue;
      FindCrossovers(a, b, &out.crossovers);
    }
  }
  return out;
}

}  // namespace sqb
