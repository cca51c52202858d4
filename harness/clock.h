// The harness's one clock, and its measured resolution and per-reading overhead.
#pragma once

#include <chrono>

namespace sqb {

using Clock = std::chrono::steady_clock;

inline double SecondsBetween(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

struct TimerFacts {
  double resolution_s = 0;  // smallest non-zero step between two readings observed
  double overhead_s = 0;    // mean cost of one Clock::now()
};

// Measured once (a few ms) on first call, then cached.
const TimerFacts& MeasuredTimer();

}  // namespace sqb
