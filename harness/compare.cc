// Comparing two reports: cells matched by every parameter; with repetitions on both sides, a rank
// test on the log medians of the repetitions, else on the samples, held to the level's A/A noise
// floor; Benjamini-Hochberg over all cells, and a verdict a CI pipeline can gate on.
#include "harness/compare.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "harness/cell_key.h"

namespace sqb {
namespace {

constexpr std::size_t kMinSamplesForVerdict = 9;
// The largest factor by which a cell moved between the one-repetition A/A pairs of four runs of
// scripts/aa-study on the machine of docs/aa-study.md (max(B/A, A/B) - 1), per level, rounded up
// to 5%.
constexpr double kNoiseFloorL1 = 1.30, kNoiseFloorL2 = 1.10, kNoiseFloorL3 = 1.65,
                 kNoiseFloorDram = 1.85;

// Fingerprint fields that differ between any two runs on one machine: not evidence of a
// different setup, so listed apart from the like-for-like warnings.
const std::set<std::string> kVolatileFields = {"load.avg1",           "load.avg5",
                                               "load.avg15",          "memory.available",
                                               "timer.resolution_ns", "timer.overhead_ns"};

std::string MatchKey(const CellRecord& c, MatchBy match) {
  return CellKey(c, match == MatchBy::kSize ? KeySize::kElements : KeySize::kLevel);
}

std::map<std::string, const CellRecord*> Index(const Report& r, MatchBy match,
                                               std::vector<std::string>* duplicates) {
  std::map<std::string, const CellRecord*> index;
  for (const CellRecord& c : r.cells) {
    if (c.params.elements == 0) continue;  // a backend that could not run: no size, no cell
    const std::string key = MatchKey(c, match);
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

// Indexed rather than Fingerprint::Find, whose linear search would make a report with many
// fields quadratic.
std::map<std::string_view, std::string_view> FieldIndex(const Fingerprint& f) {
  std::map<std::string_view, std::string_view> index;
  for (const auto& [k, v] : f.fields) index.emplace(k, v);
  return index;
}

void CompareFingerprints(const Report& a, const Report& b, Comparison* out) {
  std::vector<std::string> volatile_fields;
  const auto fa = FieldIndex(a.fingerprint), fb = FieldIndex(b.fingerprint);
  const auto value = [](const auto& index, std::string_view key) {
    const auto it = index.find(key);
    return it != index.end() ? std::string(it->second) : std::string("(absent)");
  };
  std::vector<std::string_view> keys;
  for (const auto& [k, v] : a.fingerprint.fields) keys.push_back(k);
  for (const auto& [k, v] : b.fingerprint.fields)
    if (!fa.count(k)) keys.push_back(k);
  for (const auto key : keys) {
    const std::string va = value(fa, key), vb = value(fb, key);
    if (va == vb) continue;
    if (kVolatileFields.count(std::string(key))) {
      volatile_fields.push_back(std::string(key));
    } else {
      out->not_like_for_like.push_back(fmt::format("not like-for-like: {}: {} -> {}", key, va, vb));
    }
  }
  // A setting that changes what is measured, not only how long.
  const auto setting = [](const Report& r, std::string_view key) {
    for (const auto& [k, v] : r.settings)
      if (k == key) return v;
    return std::string("0");
  };
  if (const std::string sa = setting(a, "inject_slowdown"), sb = setting(b, "inject_slowdown");
      sa != sb)
    out->not_like_for_like.push_back(
        fmt::format("not like-for-like: --inject-slowdown {} -> {}", sa, sb));
  if (!volatile_fields.empty())
    out->not_like_for_like.push_back(
        fmt::format("differ as between any two runs: {}", fmt::join(volatile_fields, ", ")));
}

// In floating point: 2 * sizeof(T) * elements overflows 64 bits for elements of 2^60.
double BytesPerCall(const CellParams& p) {
  return 2.0 * static_cast<double>(SizeOf(p.dtype)) * static_cast<double>(p.elements);
}

// Seconds per byte of every sample: cells matched by level may differ in size.
std::vector<double> SecondsPerByte(const CellRecord& c) {
  std::vector<double> out;
  const double bytes = BytesPerCall(c.params);
  for (double s : c.wall.samples) out.push_back(s / bytes);
  return out;
}

// The repetitions' sample counts: one of all samples where the record does not split them (or
// its split does not add up, which the report reader refuses).
std::vector<std::size_t> Repetitions(const CellRecord& c) {
  std::size_t sum = 0;
  for (std::size_t n : c.repetitions) sum += n;
  if (c.repetitions.empty() || sum != c.wall.samples.size()) return {c.wall.samples.size()};
  return c.repetitions;
}

// log(median seconds per byte) of each repetition.
std::vector<double> LogRepetitionMedians(const CellRecord& c) {
  std::vector<double> out;
  const double log_bytes = std::log(BytesPerCall(c.params));
  std::size_t first = 0;
  for (std::size_t n : Repetitions(c)) {
    const auto begin = c.wall.samples.begin() + static_cast<std::ptrdiff_t>(first);
    out.push_back(std::log(Median({begin, begin + static_cast<std::ptrdiff_t>(n)})) - log_bytes);
    first += n;
  }
  return out;
}

// Throughput ratio B/A = A/B of seconds per byte. Between repetitions: a rank test on their log
// medians, and exp of the Hodges-Lehmann shift between them with its CI (rank-based, as the
// repetitions of a noisy machine have heavy tails: docs/aa-study.md). Within one run:
// bootstrapped from the raw samples, on seconds scaled by the bytes after (seconds per byte of a
// tiny time underflow to 0, and 0 / 0 would put NaN among the ratios it sorts).
void Measure(const CompareOptions& o, const CellRecord& a, const CellRecord& b, CellComparison* c) {
  c->gbps_a = GigabytesPerSecond(a.params, a.wall.stats.median);
  c->gbps_b = GigabytesPerSecond(b.params, b.wall.stats.median);
  c->samples_a = a.wall.samples.size();
  c->samples_b = b.wall.samples.size();
  c->repetitions_a = Repetitions(a).size();
  c->repetitions_b = Repetitions(b).size();
  c->between_repetitions = c->repetitions_a >= 2 && c->repetitions_b >= 2;
  if (c->between_repetitions) {
    const std::vector<double> la = LogRepetitionMedians(a), lb = LogRepetitionMedians(b);
    const ShiftInterval s = HodgesLehmannShift(la, lb);
    c->ratio = {std::exp(s.shift), std::exp(s.low), std::exp(s.high)};
    c->p = MannWhitneyUPValue(la, lb);
    return;
  }
  RatioInterval r = BootstrapMedianRatio(b.wall.samples, a.wall.samples, o.resamples, o.seed);
  const double bytes_b_over_a = BytesPerCall(b.params) / BytesPerCall(a.params);
  for (double* x : {&r.ratio, &r.low, &r.high}) *x *= bytes_b_over_a;
  c->ratio = r;
  c->p = MannWhitneyUPValue(SecondsPerByte(a), SecondsPerByte(b));
}

void Decide(const CompareOptions& o, std::vector<CellComparison>& cells) {
  std::vector<double> p;
  for (const auto& c : cells) p.push_back(c.p);
  const std::vector<double> q = BenjaminiHochbergAdjusted(p);
  const std::vector<bool> significant = BenjaminiHochbergReject(p, o.fdr);
  for (std::size_t i = 0; i < cells.size(); ++i) {
    CellComparison& c = cells[i];
    c.q = q[i];
    if (!c.between_repetitions &&
        (c.samples_a < kMinSamplesForVerdict || c.samples_b < kMinSamplesForVerdict)) {
      c.reason = fmt::format("fewer than {} samples", kMinSamplesForVerdict);
      continue;
    }
    if (!significant[i]) continue;
    // Between repetitions: significant, and estimated beyond the threshold. Within one run:
    // the whole CI beyond it, as the samples understate how far a rerun moves.
    Verdict v = Verdict::kWithinNoise;
    const double low = c.between_repetitions ? c.ratio.ratio : c.ratio.low;
    const double high = c.between_repetitions ? c.ratio.ratio : c.ratio.high;
    if (low > 1 + o.threshold) v = Verdict::kFaster;
    if (high < 1 - o.threshold) v = Verdict::kSlower;
    const double floor = 1 + NoiseFloor(c.level);
    const bool beyond_floor = c.ratio.ratio > floor || c.ratio.ratio < 1 / floor;
    if (v != Verdict::kWithinNoise && !c.between_repetitions && !beyond_floor) {
      c.reason = fmt::format("one repetition: within the level's noise floor x{:.2f}", floor);
      continue;
    }
    c.verdict = v;
  }
}

LevelSummary SummarizeCells(const std::string& level,
                            const std::vector<const CellComparison*>& cells) {
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

// As asked, else by size when the reports share any cell at a size, else by level.
void ChooseMatch(const Report& a, const Report& b, const CompareOptions& o, Comparison* out) {
  if (o.match) {
    out->match = *o.match;
    out->match_reason = "as asked";
  } else if (const std::size_t common = CommonKeys(a, b, MatchBy::kSize); common > 0) {
    out->match = MatchBy::kSize;
    out->match_reason = fmt::format("{} cells share backend, parameters and size", common);
  } else {
    out->match = MatchBy::kLevel;
    out->match_reason = "no sizes in common, so cells are matched by memory level";
  }
}

struct Pair {
  std::string key;
  const CellRecord *a, *b;
};

// The verified cells both reports hold, in A's order (sizes as they were measured); lists the
// others in out->only_in_a, only_in_b and not_comparable. Throws CompareError when their samples
// would need more than kMaxBootstrapDraws.
std::vector<Pair> PairCells(const Report& a, const Report& b, const CompareOptions& o,
                            Comparison* out) {
  std::vector<std::string> duplicates;
  const auto ia = Index(a, out->match, &duplicates), ib = Index(b, out->match, &duplicates);
  for (const auto& key : duplicates)
    out->not_comparable.push_back(key + ": several cells match; the first of each report is used");
  std::vector<Pair> pairs;
  std::uint64_t draws = 0;
  for (const CellRecord& cell : a.cells) {
    if (cell.params.elements == 0) continue;
    std::string key = MatchKey(cell, out->match);
    const CellRecord* ca = ia.at(key);
    if (ca != &cell) continue;  // a duplicate: the first is used
    const auto it = ib.find(key);
    if (it == ib.end()) {
      out->only_in_a.push_back(key);
      continue;
    }
    const CellRecord* cb = it->second;
    if (ca->status != CellStatus::kOk || cb->status != CellStatus::kOk ||
        ca->wall.samples.empty() || cb->wall.samples.empty()) {
      out->not_comparable.push_back(
          fmt::format("{}: A {}, B {}", key, Name(ca->status), Name(cb->status)));
      continue;
    }
    // Checked per cell, so the sum never nears overflow. Cells with repetitions on both sides are
    // not bootstrapped: they cost a difference per pair of repetitions.
    const std::size_t reps_a = Repetitions(*ca).size(), reps_b = Repetitions(*cb).size();
    draws += reps_a >= 2 && reps_b >= 2 ? static_cast<std::uint64_t>(reps_a) * reps_b
                                        : static_cast<std::uint64_t>(std::max(o.resamples, 0)) *
                                              (ca->wall.samples.size() + cb->wall.samples.size());
    if (draws > kMaxBootstrapDraws)
      throw CompareError(
          fmt::format("too many samples to compare: the bootstrap ({} resamples) and the pairs of "
                      "repetitions would take more than {} draws over the cells in common",
                      o.resamples, kMaxBootstrapDraws));
    pairs.push_back({std::move(key), ca, cb});
  }
  for (const auto& [key, cb] : ib)
    if (!ia.count(key)) out->only_in_b.push_back(key);
  std::sort(out->only_in_a.begin(), out->only_in_a.end());
  return pairs;
}

// One summary per level, in the order the cells first reach it, then "all"; and one per level
// and backend.
void SummarizeLevels(Comparison* out) {
  std::vector<std::string> levels;
  for (const auto& c : out->cells)
    if (std::find(levels.begin(), levels.end(), c.level) == levels.end()) levels.push_back(c.level);
  std::vector<const CellComparison*> all;
  for (const auto& level : levels) {
    std::vector<const CellComparison*> in_level;
    std::vector<std::string> backends;
    for (const auto& c : out->cells) {
      if (c.level != level) continue;
      in_level.push_back(&c);
      if (std::find(backends.begin(), backends.end(), c.backend) == backends.end())
        backends.push_back(c.backend);
    }
    out->levels.push_back(SummarizeCells(level, in_level));
    for (const auto& backend : backends) {
      std::vector<const CellComparison*> in_backend;
      for (const auto* c : in_level)
        if (c->backend == backend) in_backend.push_back(c);
      out->backends.push_back(SummarizeCells(level, in_backend));
      out->backends.back().backend = backend;
    }
    all.insert(all.end(), in_level.begin(), in_level.end());
  }
  out->levels.push_back(SummarizeCells("all", all));
}

}  // namespace

double NoiseFloor(const std::string& level) {
  if (level == "L1") return kNoiseFloorL1;
  if (level == "L1+" || level == "L2") return kNoiseFloorL2;
  if (level == "L2+" || level == "L3") return kNoiseFloorL3;
  return kNoiseFloorDram;
}

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
  ChooseMatch(a, b, o, &out);
  CompareFingerprints(a, b, &out);
  for (const Pair& pair : PairCells(a, b, o, &out)) {
    CellComparison c;
    c.key = pair.key;
    c.backend = pair.a->params.backend;
    c.level = pair.a->level;
    Measure(o, *pair.a, *pair.b, &c);
    out.cells.push_back(std::move(c));
  }
  if (out.cells.empty())
    throw CompareError("no cells in common to compare (matching by " +
                       std::string(out.match == MatchBy::kSize ? "size" : "level") + ")");
  Decide(o, out.cells);
  SummarizeLevels(&out);
  return out;
}

}  // namespace sqb
