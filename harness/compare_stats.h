// Statistics for comparing two reports: rank test, bootstrap CI of the median ratio, BH, geomean.
#pragma once

#include <cstdint>
#include <vector>

namespace sqb {

// Two-sided p-value of the Mann-Whitney U test of a vs b, by the normal approximation with tie
// and continuity corrections: equal (to rounding) to scipy.stats.mannwhitneyu(a, b,
// alternative='two-sided', method='asymptotic', use_continuity=True). Symmetric in (a, b); 1 when
// every value is the same (the statistic has no variance). Throws std::invalid_argument when a or
// b is empty or holds a NaN.
double MannWhitneyUPValue(const std::vector<double>& a, const std::vector<double>& b);

struct RatioInterval {
  double ratio;  // median(b) / median(a): above 1 when B is slower, as times
  double low;
  double high;
};

// median(b) / median(a) with its percentile-bootstrap confidence interval. The procedure is fixed
// so that tools/compare_reference.py can reproduce it exactly:
//  - RNG: SplitMix64 with `seed` as its initial state; an index in [0, n) is next() % n (the
//    modulo bias is below n / 2^64, irrelevant for n <= 1000);
//  - each resample draws a's a.size() indices, then b's b.size() indices, with replacement, and
//    yields median(b*) / median(a*) (the median of an even count is the mean of the middle two);
//  - low and high are the (1 - confidence) / 2 and (1 + confidence) / 2 quantiles of the sorted
//    ratios, interpolating linearly between order statistics at position q * (resamples - 1)
//    (numpy.quantile's default 'linear' method).
// Values must be positive (times). Throws std::invalid_argument when a or b is empty or holds a
// NaN, resamples < 1, or confidence is outside (0, 1).
RatioInterval BootstrapMedianRatio(const std::vector<double>& a, const std::vector<double>& b,
                                   int resamples, std::uint64_t seed, double confidence = 0.95);

// The median of non-empty values; for an even count the mean of the middle two, as numpy.median.
double Median(std::vector<double> values);

struct ShiftInterval {
  double shift;  // the Hodges-Lehmann estimate: the median of every a[i] - b[j]
  double low;
  double high;
};

// The Hodges-Lehmann shift of a against b with its distribution-free confidence interval (Moses),
// the estimate and interval that go with the Mann-Whitney U test. The procedure is fixed so that
// tools/compare_reference.py can reproduce it exactly: d = every a[i] - b[j], sorted ascending;
// shift = the median of d (the mean of the middle two for an even count); with n = a.size() *
// b.size(), z the (1 + confidence) / 2 standard normal quantile and
// k = floor(n / 2 - z * sqrt(a.size() * b.size() * (a.size() + b.size() + 1) / 12)) clamped to
// [0, (n - 1) / 2], low = d[k] and high = d[n - 1 - k] (0-based). Throws std::invalid_argument
// when a or b is empty or holds a non-finite value, or confidence is outside (0, 1).
ShiftInterval HodgesLehmannShift(const std::vector<double>& a, const std::vector<double>& b,
                                 double confidence = 0.95);

// Benjamini-Hochberg adjusted p-values (q-values) in the input order: the step-up minimum of
// p_(i) * m / i over ranks >= i, capped at 1, as scipy.stats.false_discovery_control(p,
// method='bh') and statsmodels' multipletests(p, method='fdr_bh')[1]. Values must be in [0, 1].
std::vector<double> BenjaminiHochbergAdjusted(const std::vector<double>& p);

// Which hypotheses are rejected at false discovery rate `fdr`: adjusted p <= fdr.
std::vector<bool> BenjaminiHochbergReject(const std::vector<double>& p, double fdr);

// exp(mean(log(ratios))). Values must be positive; NaN when empty.
double GeometricMean(const std::vector<double>& ratios);

}  // namespace sqb
