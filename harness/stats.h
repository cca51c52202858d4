// Summary statistics of per-call times: best, median with a distribution-free CI, err%, outliers.
#pragma once

#include <cstddef>
#include <vector>

namespace sqb {

struct SampleStats {
  std::size_t n = 0;
  double best = 0;  // minimum
  double median = 0;
  double ci_low = 0;   // 95% confidence interval of the median from order statistics
  double ci_high = 0;  // (binomial, distribution-free); equals [best, max] when n is small
  double mean = 0;
  double max = 0;
  double err_pct = 0;        // median absolute deviation as a % of the median
  std::size_t outliers = 0;  // modified z-score (0.6745 * |x - median| / MAD) above 10
};

// Requires at least one value. Values are seconds per call, but nothing here depends on units.
SampleStats Summarize(std::vector<double> values);

// The 0-based ranks [lo, hi] of the order statistics bounding a >= `confidence` CI of the median
// of n values (distribution-free; binomial with p = 1/2). For small n, [0, n - 1].
void MedianCiRanks(std::size_t n, double confidence, std::size_t* lo, std::size_t* hi);

}  // namespace sqb
