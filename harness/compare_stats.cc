// Statistics for comparing two reports: rank test, bootstrap CI of the median ratio, BH, geomean.
#include "harness/compare_stats.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <numbers>
#include <numeric>
#include <stdexcept>

namespace sqb {
namespace {

// NaN would break the strict weak ordering that sorting relies on.
void RequireSamples(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.empty() || b.empty()) throw std::invalid_argument("both samples must be non-empty");
  const auto is_nan = [](double x) { return std::isnan(x); };
  if (std::ranges::any_of(a, is_nan) || std::ranges::any_of(b, is_nan)) {
    throw std::invalid_argument("samples must not hold NaN");
  }
}

// Requires non-empty values; reorders them.
double MedianInPlace(std::vector<double>& values) {
  const std::size_t n = values.size();
  const auto middle = values.begin() + static_cast<std::ptrdiff_t>(n / 2);
  std::nth_element(values.begin(), middle, values.end());
  if (n % 2) return *middle;
  // nth_element leaves the lower half before `middle`: its largest is the other middle value.
  const double low = *std::max_element(values.begin(), middle);
  const double sum = low + *middle;
  // Halving first only where the sum overflows: elsewhere (a + b) / 2 is the reference's value.
  return std::isfinite(sum) ? sum / 2 : low / 2 + *middle / 2;
}

// Requires sorted, non-empty values and q in [0, 1].
double QuantileOfSorted(const std::vector<double>& sorted, double q) {
  const double position = q * static_cast<double>(sorted.size() - 1);
  const auto lower = static_cast<std::size_t>(position);
  if (lower + 1 >= sorted.size()) return sorted.back();
  const double fraction = position - static_cast<double>(lower);
  // Also keeps an infinite ratio from turning into inf - inf or 0 * inf (NaN).
  if (fraction == 0 || sorted[lower + 1] == sorted[lower]) return sorted[lower];
  return sorted[lower] + fraction * (sorted[lower + 1] - sorted[lower]);
}

// The standard normal quantile of p in (0, 1), by bisection of 0.5 * erfc(-x / sqrt(2)) to the
// last bit: scipy.stats.norm.ppf's value to about 1e-15.
double NormalQuantile(double p) {
  double low = -40, high = 40;
  for (int i = 0; i < 200; ++i) {
    const double mid = (low + high) / 2;
    if (mid == low || mid == high) break;
    (0.5 * std::erfc(-mid / std::numbers::sqrt2) < p ? low : high) = mid;
  }
  return (low + high) / 2;
}

class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}

  std::uint64_t Next() {
    state_ += 0x9e3779b97f4a7c15;
    std::uint64_t z = state_;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
    z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
    return z ^ (z >> 31);
  }

 private:
  std::uint64_t state_;
};

// Fills `out` (already sized) with values drawn with replacement from `from`.
void Resample(const std::vector<double>& from, SplitMix64& rng, std::vector<double>& out) {
  for (double& x : out) x = from[rng.Next() % from.size()];
}

}  // namespace

double MannWhitneyUPValue(const std::vector<double>& a, const std::vector<double>& b) {
  RequireSamples(a, b);
  struct Value {
    double x;
    bool from_a;
  };
  std::vector<Value> all;
  all.reserve(a.size() + b.size());
  for (double x : a) all.push_back({x, true});
  for (double x : b) all.push_back({x, false});
  std::sort(all.begin(), all.end(), [](const Value& l, const Value& r) { return l.x < r.x; });

  // Ranks are 1-based, averaged over each group of equal values; every sum here is of integers
  // or half-integers, so exact.
  double rank_sum_a = 0;
  double tie_term = 0;  // sum of t^3 - t over the tie groups, of size t
  for (std::size_t i = 0; i < all.size();) {
    std::size_t j = i;
    while (j < all.size() && all[j].x == all[i].x) ++j;
    const double average_rank = static_cast<double>(i + 1 + j) / 2;
    for (std::size_t k = i; k < j; ++k) {
      if (all[k].from_a) rank_sum_a += average_rank;
    }
    const double t = static_cast<double>(j - i);
    tie_term += t * t * t - t;
    i = j;
  }

  // The operations follow scipy's order; only the normal tail (std::erfc here, scipy's own ndtr)
  // rounds differently, by a few ulps.
  const double n1 = static_cast<double>(a.size());
  const double n2 = static_cast<double>(b.size());
  const double n = n1 + n2;
  const double u1 = rank_sum_a - n1 * (n1 + 1) / 2;
  const double u = std::max(u1, n1 * n2 - u1);
  const double sigma = std::sqrt(n1 * n2 / 12 * ((n + 1) - tie_term / (n * (n - 1))));
  // A single tie group: every ranking is the same, so nothing can be told apart.
  if (sigma == 0) return 1.0;
  const double z = (u - n1 * n2 / 2 - 0.5) / sigma;
  // 2 * (1 - Phi(z)); above 1 when u is at its mean (the continuity correction makes z < 0).
  return std::min(1.0, std::erfc(z / std::numbers::sqrt2));
}

RatioInterval BootstrapMedianRatio(const std::vector<double>& a, const std::vector<double>& b,
                                   int resamples, std::uint64_t seed, double confidence) {
  RequireSamples(a, b);
  if (resamples < 1) throw std::invalid_argument("resamples must be at least 1");
  if (!(confidence > 0 && confidence < 1)) {
    throw std::invalid_argument("confidence must be in (0, 1)");
  }
  SplitMix64 rng(seed);
  std::vector<double> a_star(a.size());
  std::vector<double> b_star(b.size());
  std::vector<double> ratios(static_cast<std::size_t>(resamples));
  for (double& ratio : ratios) {
    Resample(a, rng, a_star);
    Resample(b, rng, b_star);
    ratio = MedianInPlace(b_star) / MedianInPlace(a_star);
  }
  std::sort(ratios.begin(), ratios.end());
  return {.ratio = Median(b) / Median(a),
          .low = QuantileOfSorted(ratios, (1 - confidence) / 2),
          .high = QuantileOfSorted(ratios, (1 + confidence) / 2)};
}

std::vector<double> BenjaminiHochbergAdjusted(const std::vector<double>& p) {
  const std::size_t m = p.size();
  std::vector<std::size_t> order(m);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&p](std::size_t l, std::size_t r) { return p[l] < p[r]; });

  std::vector<double> adjusted(m);
  double running_min = 1.0;  // also the cap at 1
  for (std::size_t rank = m; rank >= 1; --rank) {
    const std::size_t index = order[rank - 1];
    const double scaled = p[index] * (static_cast<double>(m) / static_cast<double>(rank));
    running_min = std::min(running_min, scaled);
    adjusted[index] = running_min;
  }
  return adjusted;
}

std::vector<bool> BenjaminiHochbergReject(const std::vector<double>& p, double fdr) {
  const std::vector<double> adjusted = BenjaminiHochbergAdjusted(p);
  std::vector<bool> reject(adjusted.size());
  for (std::size_t i = 0; i < adjusted.size(); ++i) reject[i] = adjusted[i] <= fdr;
  return reject;
}

double Median(std::vector<double> values) { return MedianInPlace(values); }

ShiftInterval HodgesLehmannShift(const std::vector<double>& a, const std::vector<double>& b,
                                 double confidence) {
  if (a.empty() || b.empty()) throw std::invalid_argument("both samples must be non-empty");
  const auto finite = [](double x) { return std::isfinite(x); };
  if (!std::ranges::all_of(a, finite) || !std::ranges::all_of(b, finite))
    throw std::invalid_argument("values must be finite");
  if (!(confidence > 0 && confidence < 1))
    throw std::invalid_argument("confidence must be in (0, 1)");
  std::vector<double> d;
  d.reserve(a.size() * b.size());
  for (double x : a)
    for (double y : b) d.push_back(x - y);
  std::sort(d.begin(), d.end());
  const std::size_t n = d.size();
  const double shift = Median(d);
  const double na = static_cast<double>(a.size()), nb = static_cast<double>(b.size());
  const double z = NormalQuantile((1 + confidence) / 2);
  const double k =
      std::floor(static_cast<double>(n) / 2 - z * std::sqrt(na * nb * (na + nb + 1) / 12));
  const std::size_t lower =
      static_cast<std::size_t>(std::clamp(k, 0.0, static_cast<double>((n - 1) / 2)));
  return {shift, d[lower], d[n - 1 - lower]};
}

double GeometricMean(const std::vector<double>& ratios) {
  if (ratios.empty()) return std::numeric_limits<double>::quiet_NaN();
  double log_sum = 0;
  for (double r : ratios) log_sum += std::log(r);
  return std::exp(log_sum / static_cast<double>(ratios.size()));
}

}  // namespace sqb
