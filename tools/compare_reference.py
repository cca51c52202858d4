# Prints the scipy/numpy reference values that tests/compare_stats_test.cc and compare_test.cc
# check against.
#
# Run as (Python 3.11.7, scipy 1.17.1, numpy 2.4.6):
#   python3 -m venv /tmp/venv && /tmp/venv/bin/pip install scipy==1.17.1 numpy==2.4.6
#   /tmp/venv/bin/python tools/compare_reference.py
# The output is deterministic; floats are printed with repr (round-trip exact).
#
# The bootstrap is an independent pure-Python re-implementation of the procedure documented in
# harness/compare_stats.h (SplitMix64 draws, a's indices then b's per resample); only the final
# quantile comes from numpy.quantile (its default 'linear' method).

import math

import numpy
import scipy
from scipy import stats

MASK64 = (1 << 64) - 1

TIES_A = [3.0, 1.0, 2.0, 2.0]
TIES_B = [2.0, 3.0, 3.0, 4.0, 5.0]

A9 = [1.023e-3, 1.011e-3, 1.047e-3, 1.002e-3, 1.035e-3, 1.018e-3, 1.029e-3, 1.041e-3, 1.008e-3]
B9 = [1.052e-3, 1.031e-3, 1.066e-3, 1.044e-3, 1.027e-3, 1.059e-3, 1.038e-3, 1.071e-3, 1.049e-3]

# Quantized to 10 ns, as from a coarse clock: many ties within and across the samples.
A25 = [1.21e-6, 1.23e-6, 1.22e-6, 1.21e-6, 1.25e-6, 1.22e-6, 1.24e-6, 1.21e-6, 1.23e-6,
       1.22e-6, 1.30e-6, 1.22e-6, 1.23e-6, 1.21e-6, 1.24e-6, 1.22e-6, 1.26e-6, 1.23e-6,
       1.21e-6, 1.22e-6, 1.23e-6, 1.25e-6, 1.22e-6, 1.24e-6, 1.21e-6]
B20 = [1.23e-6, 1.24e-6, 1.22e-6, 1.25e-6, 1.23e-6, 1.24e-6, 1.26e-6, 1.23e-6, 1.25e-6,
       1.24e-6, 1.22e-6, 1.27e-6, 1.24e-6, 1.23e-6, 1.25e-6, 1.24e-6, 1.31e-6, 1.23e-6,
       1.24e-6, 1.26e-6]

A15 = [2.004e-3, 1.998e-3, 2.013e-3, 2.021e-3, 1.991e-3, 2.007e-3, 2.030e-3, 1.995e-3,
       2.010e-3, 2.002e-3, 2.017e-3, 1.989e-3, 2.025e-3, 2.000e-3, 2.009e-3]
A15_TIMES_1_1 = [1.1 * x for x in A15]
A15_TIMES_1_01 = [1.01 * x for x in A15]

ALL_EQUAL = [5.0, 5.0, 5.0]

# Repetitions of one cell on each side (seconds per call), as a report splits its samples: the
# hierarchical case, where compare tests the log medians of the repetitions.
REPS_A = [[1.00e-6, 1.02e-6, 1.01e-6], [1.05e-6, 1.04e-6, 1.06e-6, 1.05e-6],
          [0.99e-6, 1.00e-6, 0.98e-6], [1.03e-6, 1.02e-6, 1.04e-6]]
REPS_B = [[1.10e-6, 1.12e-6, 1.11e-6], [1.16e-6, 1.15e-6, 1.14e-6],
          [1.09e-6, 1.08e-6, 1.10e-6, 1.12e-6], [1.13e-6, 1.11e-6, 1.12e-6], [1.20e-6, 1.18e-6]]
HL_A = [0.5, 1.25, 0.75, 1.5, 1.0]
HL_B = [2.0, 2.75, 1.5, 3.25, 2.5, 2.25, 3.5]
BH_P = [0.01, 0.04, 0.03, 0.005, 0.20, 0.04, 0.9, 0.5]
BH_FDR = 0.05


def splitmix64(seed):
    state = seed & MASK64
    while True:
        state = (state + 0x9E3779B97F4A7C15) & MASK64
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
        yield z ^ (z >> 31)


def median(values):
    s = sorted(values)
    n = len(s)
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2


def hodges_lehmann(a, b, confidence=0.95):
    """The median of every a[i] - b[j] and Moses' distribution-free interval."""
    d = sorted(x - y for x in a for y in b)
    n = len(d)
    z = float(stats.norm.ppf((1 + confidence) / 2))
    k = math.floor(n / 2 - z * math.sqrt(len(a) * len(b) * (len(a) + len(b) + 1) / 12))
    k = min(max(k, 0), (n - 1) // 2)
    return median(d), d[k], d[n - 1 - k]


def bootstrap_median_ratio(a, b, resamples, seed, confidence=0.95):
    rng = splitmix64(seed)
    ratios = []
    for _ in range(resamples):
        a_star = [a[next(rng) % len(a)] for _ in a]
        b_star = [b[next(rng) % len(b)] for _ in b]
        ratios.append(median(b_star) / median(a_star))
    ratios.sort()
    low, high = numpy.quantile(ratios, [(1 - confidence) / 2, (1 + confidence) / 2])
    return median(b) / median(a), float(low), float(high)


def main():
    print(f"# scipy {scipy.__version__}, numpy {numpy.__version__}")
    print("# mannwhitneyu(a, b, alternative='two-sided', method='asymptotic', use_continuity=True)")
    cases = [
        ("ties (4 vs 5)", TIES_A, TIES_B),
        ("9 vs 9, no ties", A9, B9),
        ("25 vs 20, quantized", A25, B20),
        ("identical samples", A9, A9),
        ("all values equal", ALL_EQUAL, ALL_EQUAL),
        ("b = 1.1 * a (15 vs 15)", A15, A15_TIMES_1_1),
        ("b = 1.01 * a (15 vs 15)", A15, A15_TIMES_1_01),
    ]
    for name, a, b in cases:
        result = stats.mannwhitneyu(a, b, alternative="two-sided", method="asymptotic",
                                    use_continuity=True)
        print(f"{name}: U1 = {float(result.statistic)!r}, p = {float(result.pvalue)!r}")

    print("# false_discovery_control(p, method='bh')")
    adjusted = stats.false_discovery_control(BH_P, method="bh")
    print(f"p = {BH_P!r}")
    print(f"adjusted = {[float(q) for q in adjusted]!r}")
    print(f"reject at fdr {BH_FDR} = {[bool(q <= BH_FDR) for q in adjusted]!r}")

    print("# Hodges-Lehmann shift (shift, low, high), confidence 0.95")
    print(f"HL_A vs HL_B: {hodges_lehmann(HL_A, HL_B)!r}")
    print(f"A9 vs B9: {hodges_lehmann(A9, B9)!r}")
    log_a = [math.log(median(r)) for r in REPS_A]
    log_b = [math.log(median(r)) for r in REPS_B]
    result = stats.mannwhitneyu(log_a, log_b, alternative="two-sided", method="asymptotic",
                                use_continuity=True)
    print(f"log medians of REPS_A vs REPS_B: p = {float(result.pvalue)!r}, "
          f"shift = {hodges_lehmann(log_a, log_b)!r}")

    print("# bootstrap (ratio, low, high), confidence 0.95")
    print(f"A9/B9, 1000 resamples, seed 12345: {bootstrap_median_ratio(A9, B9, 1000, 12345)!r}")
    print(f"A15/1.1*A15, 2000 resamples, seed 7: "
          f"{bootstrap_median_ratio(A15, A15_TIMES_1_1, 2000, 7)!r}")


if __name__ == "__main__":
    main()
