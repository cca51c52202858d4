// Time against size: per-level fits t = alpha + bytes / beta, and where one backend overtakes
// another, from the cells of a report that measured several sizes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "harness/record.h"

namespace sqb {

// One measured point: bytes moved per call (STREAM counting) and the median seconds per call.
struct TimePoint {
  double bytes = 0;
  double seconds = 0;
};

// t = fixed_s + bytes / bytes_per_s, fitted by least squares on relative error (weights 1/t^2),
// so that on log-spaced sizes the small calls count as much as the large ones. A negative
// intercept (noise around a fixed cost of ~0) is clamped to 0 and the slope refitted.
struct LineFit {
  double fixed_s = 0;
  double bytes_per_s = 0;
  double max_rel_residual = 0;  // the largest |t - fit| / t over the points
};
// Needs >= 2 points with distinct sizes and positive times; nullopt otherwise, or when the fitted
// bandwidth is not positive.
std::optional<LineFit> FitTimeAgainstBytes(const std::vector<TimePoint>& points);

// The cells of one series (everything but the size the same) within one level.
struct LevelFit {
  std::string series;  // e.g. "openmp (2 threads)"; see SeriesLabel
  std::string level;
  DType dtype = DType::kF32;
  std::uint64_t min_elements = 0;
  std::uint64_t max_elements = 0;
  int points = 0;
  LineFit fit;
};

// Where series `faster` overtakes series `slower`: below `elements` slower is ahead, above it
// faster is (until a later crossover, if any).
struct Crossover {
  std::string faster;
  std::string slower;
  DType dtype = DType::kF32;
  double elements = 0;      // estimated per array, between the two measured sizes that bracket it
  std::string level;        // the level of the bracketing sizes (of the smaller one)
  std::uint64_t below = 0;  // the measured sizes that bracket it
  std::uint64_t above = 0;
};

struct SizeAnalysis {
  std::vector<LevelFit> fits;
  std::vector<Crossover> crossovers;
};

// "openmp (2 threads)", "interleaved [quantum=64]": the backend, plus threads, binding, offset and
// knobs wherever they differ between the report's cells of that backend.
std::string SeriesLabel(const Report& r, const CellRecord& c, bool with_threads = true);

// Fits for every series and level with >= 3 verified sizes, and crossovers between every pair of
// square series measured at >= 2 common sizes, in the order of the report's cells.
SizeAnalysis AnalyzeSizes(const Report& r);

}  // namespace sqb
