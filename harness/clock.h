// The clock's measured resolution and per-reading overhead.
#pragma once

#include "squarebench/clock.h"

namespace sqb {

struct TimerFacts {
  double resolution_s = 0;  // smallest non-zero step between two readings observed
  double overhead_s = 0;    // mean cost of one Clock::now()
};

// Measured once (a few ms) on first call, then cached.
const TimerFacts& MeasuredTimer();

}  // namespace sqb
