// Welch's t-test and its confidence interval: the test on per-repetition figures that compare uses.
#include "harness/welch_test.h"

#include <cmath>
#include <numeric>
#include <stdexcept>

namespace sqb {
namespace {

// The continued fraction of the regularized incomplete beta function (modified Lentz), which
// converges fast for x < (a + 1) / (a + b + 2).
double BetaContinuedFraction(double a, double b, double x) {
  constexpr double kTiny = 1e-300;
  constexpr double kEpsilon = 1e-15;
  double c = 1, d = 1 - (a + b) * x / (a + 1);
  if (std::fabs(d) < kTiny) d = kTiny;
  d = 1 / d;
  double h = d;
  for (int m = 1; m <= 1000; ++m) {
    const double m2 = 2.0 * m;
    double aa = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1 / d;
    h *= d * c;
    aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1 / d;
    const double step = d * c;
    h *= step;
    if (std::fabs(step - 1) < kEpsilon) break;
  }
  return h;
}

// I_x(a, b), the regularized incomplete beta function, for x in [0, 1].
double RegularizedBeta(double a, double b, double x) {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const double log_front =
      std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) + b * std::log1p(-x);
  const double front = std::exp(log_front);
  if (x < (a + 1) / (a + b + 2)) return front * BetaContinuedFraction(a, b, x) / a;
  return 1 - front * BetaContinuedFraction(b, a, 1 - x) / b;
}

double Mean(const std::vector<double>& v) {
  return std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}

double Variance(const std::vector<double>& v, double mean) {
  double sum = 0;
  for (double x : v) sum += (x - mean) * (x - mean);
  return sum / static_cast<double>(v.size() - 1);
}

void Require(const std::vector<double>& v) {
  if (v.size() < 2) throw std::invalid_argument("Welch's test needs at least 2 values a side");
  for (double x : v)
    if (!std::isfinite(x)) throw std::invalid_argument("values must be finite");
}

}  // namespace

double StudentTCdf(double t, double df) {
  if (std::isinf(t)) return t > 0 ? 1 : 0;
  // P(|T| > |t|) = I_{df / (df + t^2)}(df / 2, 1 / 2).
  const double tail = 0.5 * RegularizedBeta(df / 2, 0.5, df / (df + t * t));
  return t > 0 ? 1 - tail : tail;
}

double StudentTQuantile(double p, double df) {
  if (!(p > 0 && p < 1)) throw std::invalid_argument("p must be in (0, 1)");
  // The CDF is increasing: widen a bracket until it holds p, then bisect to the last bit.
  double low = -1, high = 1;
  while (StudentTCdf(low, df) > p) low *= 2;
  while (StudentTCdf(high, df) < p) high *= 2;
  for (int i = 0; i < 200 && high - low > 1e-15 * std::fabs(high); ++i) {
    const double mid = (low + high) / 2;
    (StudentTCdf(mid, df) < p ? low : high) = mid;
  }
  return (low + high) / 2;
}

WelchResult WelchTest(const std::vector<double>& a, const std::vector<double>& b,
                      double confidence) {
  Require(a);
  Require(b);
  if (!(confidence > 0 && confidence < 1))
    throw std::invalid_argument("confidence must be in (0, 1)");
  const double na = static_cast<double>(a.size()), nb = static_cast<double>(b.size());
  const double mean_a = Mean(a), mean_b = Mean(b);
  const double va = Variance(a, mean_a) / na, vb = Variance(b, mean_b) / nb;
  WelchResult r;
  r.difference = mean_a - mean_b;
  const double se = std::sqrt(va + vb);
  if (se == 0) {
    r.low = r.high = r.difference;
    r.p = r.difference == 0 ? 1 : 0;
    r.df = na + nb - 2;
    return r;
  }
  r.df = (va + vb) * (va + vb) / (va * va / (na - 1) + vb * vb / (nb - 1));
  const double t = r.difference / se;
  r.p = std::min(1.0, 2 * StudentTCdf(-std::fabs(t), r.df));
  const double half = StudentTQuantile(0.5 + confidence / 2, r.df) * se;
  r.low = r.difference - half;
  r.high = r.difference + half;
  return r;
}

}  // namespace sqb
