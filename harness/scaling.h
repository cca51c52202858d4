// Thread scaling: each backend's speedup over itself on one thread, its parallel efficiency, and
// its speedup over the best one-thread backend at the same size.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "harness/record.h"

namespace sqb {

struct ScalingPoint {
  std::string series;  // the backend and whatever else varies, threads aside
  DType dtype = DType::kF32;
  std::uint64_t elements = 0;
  std::string level;
  int threads = 1;
  double gbps = 0;              // median
  double speedup = 0;           // over the same series on 1 thread
  double efficiency = 0;        // speedup / threads
  std::string best_single;      // the fastest square cell on 1 thread at this size
  double over_best_single = 0;  // gbps / that cell's
};

// One point per verified square cell whose series was also measured on 1 thread at the same size,
// when the report has some series at two or more thread counts; in report order.
std::vector<ScalingPoint> AnalyzeScaling(const Report& r);

}  // namespace sqb
