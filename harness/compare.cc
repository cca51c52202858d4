// Comparing two reports: cells matched by every parameter, ratio with a bootstrap CI, Mann-Whitney
// U with Benjamini-Hochberg over all cells, and a verdict a CI pipeline can gate on.
#include "harness/compare.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "harness/sizes.h"

namespace sqb {
namespace {

constexpr std::size_t kMinSamplesForVerdict = 9;

// Fingerprint fields that differ between any two runs on one machine: not evidence of a
// different setup, so listed apart from the like-for-like warnings.
const std::set<std::string> kVolatileFields = {"load.avg1",           "load.avg5",
                                               "load.avg15",          "memory.available",
                                               "timer.resolution_ns", "timer.overhead_ns"};

std::string CellKey(const CellRecord& c, MatchBy match) {
  const CellParams& p = c.params;
  std::string key = fmt::format("{} {} {} threads={} bind={}", p.backend, Name(p.dtype),
                                match == MatchBy::kSize ? FormatCount(p.elements) : c.level,
                                p.threads, Name(p.binding));
  if (p.offset != 0) key += fmt::format(" offset={}", p.offset);
  for (const auto& [k, v] : p.knobs) key += fmt::format(" {}={}", k, v);
  return key;
}

std::map<std::string, const CellRecord*> Index(const Report& r, MatchBy match,
                                               std::vector<std::string>* duplicates) {
  std::map<std::string, const CellRecord*> index;
  for (const CellRecord& c : r.cells) {
    if (c.params.elements == 0) continue;  // a backend that could not run: no size, no cell
    const std::string key = CellKey(c, match);
    if (!index.emplace(key, &c).second) duplicates->push_back(key);
  }
  return index;
}

std::size_t CommonKeys(const Report& a, const Report& b, MatchBy match) {
  std::vector<std::string> ignored;
  const auto ia = Index(a, match, &ignored), ib = Index(b, match, &ignored);
  return static_cast<std::size_t>(
      std::count_if(ia.begin(), ia.end(), [&](const auto& kv) { return ib.count(kv.first) > 0; }));
}

void CompareFingerprints(const Report& a, const Report& b, Comparison* out) {
  std::vector<std::string> volatile_fields;
  const auto value = [](const Fingerprint& f, const std::string& key) {
    const std::string* v = f.Find(key);
    return v ? *v : std::string("(absent)");
  };
  std::vector<std::string> keys;
  for (const auto& [k, v] : a.fingerprint.fields) keys.push_back(k);
  for (const auto& [k, v] : b.fingerprint.fields)
    if (!a.fingerprint.Find(k)) keys.push_back(k);
  for (const auto& key : keys) {
    const std::string va = value(a.fingerprint, key), vb = value(b.fingerprint, key);
    if (va == vb) continue;
    if (kVolatileFields.count(key)) {
      volatile_fields.push_back(key);
    } else {
      out->not_like_for_like.push_back(fmt::format("not like-for-like: {}: {} -> {}", key, va, vb));
    }
  }
  if (!volatile_fields.empty())
    out->not_like_for_like.push_back(
        fmt::format("differ as between any two runs: {}", fmt::join(volatile_fields, ", ")));
}

// Seconds per byte of every sample: cells matched by level may differ in size.
std::vector<double> SecondsPerByte(const CellRecord& c) {
  std::vector<double> out;
  const double bytes = static_cast<double>(c.params.BytesPerCall());
  for (double s : c.wall.samples) out.push_back(s / bytes);
  return out;
}

// Throughput ratio B/A: the ratio A/B of seconds per byte, bootstrapped from the raw samples.
void Measure(const CompareOptions& o, const CellRecord& a, const CellRecord& b, CellComparison* c) {
  const std::vector<double> sa = SecondsPerByte(a);
  const std::vector<double> sb = SecondsPerByte(b);
  c->gbps_a = GigabytesPerSecond(a.params, a.wall.stats.median);
  c->gbps_b = GigabytesPerSecond(b.params, b.wall.stats.median);
  c->samples_a = sa.size();
  c->samples_b = sb.size();
  c->ratio = BootstrapMedianRatio(sb, sa, o.resamples, o.seed);  // median(a) / median(b)
  c->p = MannWhitneyUPValue(sa, sb);
}

void Decide(const CompareOptions& o, std::vector<CellComparison>& cells) {
  std::vector<double> p;
  for (const auto& c : cells) p.push_back(c.p);
  const std::vector<double> q = BenjaminiHochbergAdjusted(p);
  const std::vector<bool> significant = BenjaminiHochbergReject(p, o.fdr);
  for (std::size_t i = 0; i < cells.size(); ++i) {
    CellComparison& c = cells[i];
    c.q = q[i];
    if (c.samples_a < kMinSamplesForVerdict || c.samples_b < kMinSamplesForVerdict) {
      c.reason = fmt::format("fewer than {} samples", kMinSamplesForVerdict);
      continue;
    }
    if (!significant[i]) continue;
    if (c.ratio.low > 1 + o.threshold) c.verdict = Verdict::kFaster;
    if (c.ratio.high < 1 - o.threshold) c.verdict = Verdict::kSlower;
  }
}

LevelSummary Summarize(const std::string& level, const std::vector<const CellComparison*>& cells) {
  LevelSummary s{level};
  std::vector<double> ratios;
  for (const auto* c : cells) {
    ratios.push_back(c->ratio.ratio);
    if (c->verdict == Verdict::kFaster) ++s.faster;
    if (c->verdict == Verdict::kSlower) ++s.slower;
    if (c->verdict == Verdict::kWithinNoise) ++s.same;
  }
  s.geomean = GeometricMean(ratios);
  return s;
}

}  // namespace

std::string_view Name(Verdict v) {
  switch (v) {
    case Verdict::kFaster:
      return "faster";
    case Verdict::kSlower:
      return "slower";
    case Verdict::kWithinNoise:
      break;
  }
  return "within noise";
}

Comparison Compare(const Report& a, const Report& b, const CompareOptions& o) {
  Comparison out;
  out.options = o;
  if (o.match) {
    out.match = *o.match;
    out.match_reason = "as asked";
  } else if (const std::size_t common = CommonKeys(a, b, MatchBy::kSize); common > 0) {
    out.match = MatchBy::kSize;
    out.match_reason = fmt::format("{} cells share backend, parameters and size", common);
  } else {
    out.match = MatchBy::kLevel;
    out.match_reason = "no sizes in common, so cells are matched by memory level";
  }
  CompareFingerprints(a, b, &out);

  std::vector<std::string> duplicates;
  const auto ia = Index(a, out.match, &duplicates), ib = Index(b, out.match, &duplicates);
  for (const auto& key : duplicates)
    out.not_comparable.push_back(key + ": several cells match; the first of each report is used");
  for (const CellRecord& cell : a.cells) {  // in A's order: sizes as they were measured
    if (cell.params.elements == 0) continue;
    const std::string key = CellKey(cell, out.match);
    const CellRecord* ca = ia.at(key);
    if (ca != &cell) continue;  // a duplicate: the first is used
    const auto it = ib.find(key);
    if (it == ib.end()) {
      out.only_in_a.push_back(key);
      continue;
    }
    const CellRecord* cb = it->second;
    if (ca->status != CellStatus::kOk || cb->status != CellStatus::kOk ||
        ca->wall.samples.empty() || cb->wall.samples.empty()) {
      out.not_comparable.push_back(
          fmt::format("{}: A {}, B {}", key, Name(ca->status), Name(cb->status)));
      continue;
    }
    CellComparison c;
    c.key = key;
    c.level = ca->level;
    Measure(o, *ca, *cb, &c);
    out.cells.push_back(std::move(c));
  }
  for (const auto& [key, cb] : ib)
    if (!ia.count(key)) out.only_in_b.push_back(key);
  std::sort(out.only_in_a.begin(), out.only_in_a.end());
  if (out.cells.empty())
    throw CompareError("no cells in common to compare (matching by " +
                       std::string(out.match == MatchBy::kSize ? "size" : "level") + ")");
  Decide(o, out.cells);

  std::vector<std::string> levels;
  for (const auto& c : out.cells)
    if (std::find(levels.begin(), levels.end(), c.level) == levels.end()) levels.push_back(c.level);
  std::vector<const CellComparison*> all;
  for (const auto& level : levels) {
    std::vector<const CellComparison*> in_level;
    for (const auto& c : out.cells)
      if (c.level == level) in_level.push_back(&c);
    out.levels.push_back(Summarize(level, in_level));
    all.insert(all.end(), in_level.begin(), in_level.end());
  }
  out.levels.push_back(Summarize("all", all));
  return out;
}

}  // namespace sqb
