// Waiting out other runtimes' spinning workers before a timed sample.
#include "harness/idle.h"

#include <time.h>

#include <chrono>
#include <thread>

#include "harness/clock.h"

namespace sqb {
namespace {

double CpuSeconds(clockid_t id) {
  timespec ts{};
  clock_gettime(id, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

// CPU time of every thread but the caller's.
double OtherThreadsCpuSeconds() {
  return CpuSeconds(CLOCK_PROCESS_CPUTIME_ID) - CpuSeconds(CLOCK_THREAD_CPUTIME_ID);
}

}  // namespace

bool WaitUntilOtherThreadsIdle(double max_wait_s) {
  constexpr double kWindowS = 1e-3;
  constexpr double kIdleShare = 0.10;
  const auto start = Clock::now();
  double cpu_before = OtherThreadsCpuSeconds();
  auto wall_before = start;
  for (;;) {
    std::this_thread::sleep_for(std::chrono::duration<double>(kWindowS));
    const double cpu = OtherThreadsCpuSeconds();
    const auto wall = Clock::now();
    if (cpu - cpu_before < kIdleShare * SecondsBetween(wall_before, wall)) return true;
    if (SecondsBetween(start, wall) > max_wait_s) return false;
    cpu_before = cpu;
    wall_before = wall;
  }
}

}  // namespace sqb
