// The answer on one screen: per dtype, square backends x sizes, each cell median GB/s and eff %.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "harness/record.h"

namespace sqb {

// One matrix of a report: a column per size, a row per square backend as measured (threads,
// binding, offset and knobs told apart only where rows of one backend differ in them).
struct MatrixColumn {
  std::uint64_t elements = 0;
  std::string level;
};
struct MatrixRow {
  std::string label;                     // "openmp+highway", or "tbb threads=1" where needed
  std::vector<const CellRecord*> cells;  // per column; null where not measured
  std::vector<std::string> resolved;     // the distinct summaries of what ran ("AVX3 x16, ...")
};
enum class Mark { kNone, kFastest, kTied };  // tied: its 95% CI overlaps the fastest one's
struct Matrix {
  DType dtype = DType::kF32;
  std::vector<MatrixColumn> columns;
  std::vector<MatrixRow> rows;
  std::vector<std::vector<Mark>> marks;  // [row][column]
  // Per column: "L1 3Ki: fastest highway 390 GB/s = 101% of copy (regular stores), 2.71x serial".
  std::vector<std::string> per_level;
  // Cells that were not measured and why: "SKIPPED cuda f32 3Ki: no CUDA device".
  std::vector<std::string> problems;
};

std::vector<Matrix> BuildMatrices(const Report& r);

// "9 cells unstable, 3 noisy, 2 with outliers", or "" when no cell has a flag.
std::string FlagCounts(const Report& r);

// The text in a matrix cell: "34.3 101%", "34.3 -" without a ceiling, or the verdict.
std::string MatrixCellText(const Report& r, const CellRecord* c);

inline constexpr std::string_view kMatrixLegend =
    "each cell: median GB/s and eff % (median vs its ceiling: the fastest copy spread the same "
    "way, in the same rounds); * fastest in its column, ~ within the fastest's 95% CI";

}  // namespace sqb
