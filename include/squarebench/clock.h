// The harness's one clock: what a backend uses when it calibrates a cost of its own.
#pragma once

#include <chrono>

namespace sqb {

using Clock = std::chrono::steady_clock;

inline double SecondsBetween(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

}  // namespace sqb
