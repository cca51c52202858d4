// Welch's t-test and its confidence interval: the test on per-repetition figures that compare uses.
#pragma once

#include <vector>

namespace sqb {

// The CDF of Student's t distribution with df > 0 degrees of freedom (df may be fractional), to
// about 1e-12, as scipy.stats.t.cdf(t, df).
double StudentTCdf(double t, double df);

// The t with StudentTCdf(t, df) = p, for p in (0, 1), as scipy.stats.t.ppf(p, df).
double StudentTQuantile(double p, double df);

struct WelchResult {
  double difference = 0;     // mean(a) - mean(b)
  double low = 0, high = 0;  // its confidence interval
  double p = 1;              // two-sided
  double df = 0;             // Welch-Satterthwaite
};

// Welch's unequal-variance t-test of mean(a) vs mean(b): p and df equal (to rounding) to
// scipy.stats.ttest_ind(a, b, equal_var=False), the interval to its confidence_interval(). When
// both variances are 0, the interval is the difference itself and p is 1 when it is 0, else 0.
// Throws std::invalid_argument when a or b has fewer than 2 values or a non-finite one, or
// confidence is outside (0, 1).
WelchResult WelchTest(const std::vector<double>& a, const std::vector<double>& b,
                      double confidence = 0.95);

}  // namespace sqb
