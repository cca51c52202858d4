// Summary statistics of per-call times: best, median with a distribution-free CI, err%, outliers.
#include "harness/stats.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace sqb {
namespace {

constexpr double kCiConfidence = 0.95;
constexpr double kOutlierZ = 10;
constexpr double kMadZ = 0.6745;  // makes 0.6745 * |x - median| / MAD estimate |x - mu| / sigma
// MAD == 0 means at least half the samples are identical (e.g. quantized by a coarse clock), and
// the z-score is undefined. Counting every value != median would flag a single clock tick, so the
// MAD is then taken as 0.1% of the median: an outlier is a value more than ~1.5% away from it.
constexpr double kZeroMadFraction = 1e-3;

// Requires sorted, non-empty values.
double MedianOfSorted(const std::vector<double>& v) {
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

// P(B = k) for B ~ Binomial(n, 1/2), in log space so that large n does not underflow 2^-n early.
double BinomialHalfPmf(std::size_t n, std::size_t k) {
  const double dn = static_cast<double>(n), dk = static_cast<double>(k);
  return std::exp(std::lgamma(dn + 1) - std::lgamma(dk + 1) - std::lgamma(dn - dk + 1) -
                  dn * std::log(2.0));
}

}  // namespace

void MedianCiRanks(std::size_t n, double confidence, std::size_t* lo, std::size_t* hi) {
  // The interval [X_(l), X_(n+1-l)] (1-based) covers the median with probability
  // P(l <= B <= n - l) = 1 - 2 P(B <= l - 1). Take the largest l that still reaches `confidence`;
  // l = 1 (the whole sample) is the answer also when no l reaches it.
  std::size_t best_l = 1;
  double tail = 0;  // P(B <= l - 1)
  for (std::size_t l = 1; 2 * l <= n + 1; ++l) {
    tail += BinomialHalfPmf(n, l - 1);
    if (1 - 2 * tail < confidence) break;
    best_l = l;
  }
  *lo = best_l - 1;
  *hi = n >= best_l ? n - best_l : 0;
}

SampleStats Summarize(std::vector<double> values) {
  SampleStats s;
  if (values.empty()) return s;
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  s.n = n;
  s.best = values.front();
  s.max = values.back();
  s.median = MedianOfSorted(values);
  s.mean = std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(n);

  std::size_t lo = 0, hi = 0;
  MedianCiRanks(n, kCiConfidence, &lo, &hi);
  s.ci_low = values[lo];
  s.ci_high = values[hi];

  std::vector<double> deviations(n);
  for (std::size_t i = 0; i < n; ++i) deviations[i] = std::abs(values[i] - s.median);
  std::sort(deviations.begin(), deviations.end());
  const double mad = MedianOfSorted(deviations);

  // A zero median with spread has no meaningful relative error: report it as unbounded.
  if (s.median != 0) {
    s.err_pct = mad / std::abs(s.median) * 100;
  } else if (mad != 0) {
    s.err_pct = std::numeric_limits<double>::infinity();
  }

  // Zero only when MAD and median are both 0: no scale to judge by, so nothing is counted.
  const double scale = mad != 0 ? mad : kZeroMadFraction * std::abs(s.median);
  if (scale != 0) {
    s.outliers =
        static_cast<std::size_t>(std::count_if(deviations.begin(), deviations.end(), [&](double d) {
          return kMadZ * d / scale > kOutlierZ;
        }));
  }
  return s;
}

}  // namespace sqb
