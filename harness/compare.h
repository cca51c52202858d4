// Comparing two reports: cells matched by every parameter; with repetitions on both sides, a rank
// test on the log medians of the repetitions, else on the samples, held to the level's A/A noise
// floor; Benjamini-Hochberg over all cells, and a verdict a CI pipeline can gate on.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "harness/compare_stats.h"
#include "harness/record.h"
#include "harness/reporters.h"

namespace sqb {

enum class MatchBy { kSize, kLevel };
enum class Verdict { kFaster, kSlower, kWithinNoise };
std::string_view Name(Verdict v);

struct CompareOptions {
  std::optional<MatchBy> match;  // default: size when the reports share sizes, else level
  double threshold = 0.02;       // the whole CI of B/A must lie beyond 1 +- this
  double fdr = 0.05;             // Benjamini-Hochberg false discovery rate over all cells
  int resamples = 10000;         // bootstrap
  std::uint64_t seed = 1;
};

// The most bootstrap draws one comparison makes (resamples x the samples of both sides, summed
// over the cells in common): about 25 s here. The largest committed reports compared with
// themselves need 6.7e8; a report's sample counts must not make a comparison run for hours.
inline constexpr std::uint64_t kMaxBootstrapDraws = std::uint64_t{1} << 31;

// No cells in common to compare, or too many samples: exit code 2.
struct CompareError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The A/A noise floor of a level, f: a cell of one-repetition reports of the same binary moved by
// up to a factor 1 + f (B/A or A/B) on the reference machine (docs/aa-study.md). With one
// repetition on a side, a cell is faster or slower only beyond it. "L2+" counts as L3, "L3+" as
// DRAM.
double NoiseFloor(const std::string& level);

struct CellComparison {
  std::string key;      // "openmp f32 3Ki threads=2 bind=cores" (+ knobs, offset)
  std::string backend;  // as named, variant included: "openmp+highway@avx2"
  std::string level;
  double gbps_a = 0, gbps_b = 0;  // medians
  std::size_t samples_a = 0, samples_b = 0;
  std::size_t repetitions_a = 0, repetitions_b = 0;
  // Both sides have >= 2 repetitions: p is Mann-Whitney U on the log medians of the repetitions,
  // ratio and CI exp of their Hodges-Lehmann shift. Else from the samples (a bootstrap CI,
  // Mann-Whitney U), and the verdict also needs the ratio beyond the level's noise floor.
  bool between_repetitions = false;
  RatioInterval ratio{};  // throughput B / A with its 95% CI
  double p = 1;           // two-sided
  double q = 1;           // Benjamini-Hochberg adjusted p
  Verdict verdict = Verdict::kWithinNoise;
  std::string reason;  // why "within noise" when it is not the statistics (e.g. too few samples)
};

struct LevelSummary {
  std::string level;    // "all" for the overall line
  std::string backend;  // "" when over every backend
  double geomean = 0;
  int faster = 0, slower = 0, same = 0;
};

struct Comparison {
  std::string path_a, path_b;
  MatchBy match = MatchBy::kSize;
  std::string match_reason;
  CompareOptions options;
  std::vector<std::string> not_like_for_like;  // one line per differing fingerprint field
  std::vector<CellComparison> cells;
  std::vector<std::string> only_in_a, only_in_b, not_comparable;
  std::vector<LevelSummary> levels;    // per level, then "all"
  std::vector<LevelSummary> backends;  // per level (as in levels), per backend in A's order
};

// Throws CompareError when no cell is common to both, or when their samples would need more
// than kMaxBootstrapDraws.
Comparison Compare(const Report& a, const Report& b, const CompareOptions& options);

// kTable, kMarkdown or kJson. Markdown and JSON hold every cell; the table holds every cell only
// with `details`, else the summary per level and backend and only the faster or slower cells.
std::string RenderComparison(const Comparison& c, Format format, bool details = false);

}  // namespace sqb
