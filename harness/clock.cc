// The harness's one clock, and its measured resolution and per-reading overhead.
#include "harness/clock.h"

#include <time.h>

#include <algorithm>

namespace sqb {
namespace {

// Bounds keep calibration to a few ms even on a slow (trapping) clock source.
constexpr int kResolutionTries = 2000;
constexpr int kOverheadRounds = 20;
constexpr int kCallsPerRound = 20000;
constexpr double kPhaseBudgetS = 0.01;

// Smallest non-zero step between consecutive readings: the finest interval the clock can show
// (on a vDSO clock this is about one reading's cost, not the nominal 1 ns).
double ObservedStep() {
  const Clock::time_point start = Clock::now();
  Clock::duration best = Clock::duration::max();
  for (int i = 0; i < kResolutionTries; ++i) {
    const Clock::time_point a = Clock::now();
    Clock::time_point b = Clock::now();
    while (b == a) b = Clock::now();
    best = std::min(best, b - a);
    if (SecondsBetween(start, b) > kPhaseBudgetS) break;
  }
  return std::chrono::duration<double>(best).count();
}

// Mean cost of one reading; the cheapest round, so that a preemption does not inflate it.
double ReadingCost() {
  const Clock::time_point start = Clock::now();
  double best = 0;
  for (int round = 0; round < kOverheadRounds; ++round) {
    const Clock::time_point a = Clock::now();
    Clock::time_point b = a;
    for (int i = 0; i < kCallsPerRound; ++i) b = Clock::now();
    const double per_call = SecondsBetween(a, b) / kCallsPerRound;
    if (round == 0 || per_call < best) best = per_call;
    if (SecondsBetween(start, b) > kPhaseBudgetS) break;
  }
  return best;
}

TimerFacts Measure() {
  TimerFacts t;
  t.resolution_s = ObservedStep();
  // libstdc++'s steady_clock reads CLOCK_MONOTONIC: its declared granularity is a floor too.
  timespec res{};
  if (clock_getres(CLOCK_MONOTONIC, &res) == 0) {
    t.resolution_s = std::max(t.resolution_s, static_cast<double>(res.tv_sec) + res.tv_nsec * 1e-9);
  }
  t.overhead_s = ReadingCost();
  return t;
}

}  // namespace

const TimerFacts& MeasuredTimer() {
  static const TimerFacts facts = Measure();
  return facts;
}

}  // namespace sqb
