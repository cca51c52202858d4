// Internal to the reporters: grouping, ranking and number formatting shared by table and Markdown.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "harness/efficiency.h"
#include "harness/fit.h"
#include "harness/record.h"

namespace sqb {

inline constexpr std::string_view kCountingRule =
    "bytes counted STREAM-style: 2 x sizeof(T) per element (read x, write y); 1 GB/s = 1e9 bytes/s";
// What the columns mean, naming the copy kernels measured as ceilings in `cells` (the legend
// cannot know them in advance: they are whatever copy-ceiling backends the binary was built with).
std::string ColumnLegend(const std::vector<CellRecord>& cells);

std::string_view OperationName(Operation op);

// Text in a Markdown paragraph or table cell: characters Markdown would take as markup escaped,
// line breaks as spaces.
std::string MarkdownEscape(std::string_view s);
// One CSV field as RFC 4180 has it: quoted (quotes doubled) when it holds a comma, quote or break.
std::string CsvQuote(std::string_view field);  // "square", "copy"

// The width the terminal views keep to.
inline constexpr std::size_t kScreenWidth = 120;
// `text` broken at spaces into lines of at most kScreenWidth, each ending in a line break, the
// first indented `indent`, the rest two more. A word longer than a line is left whole, not cut.
std::string Wrap(const std::string& text, std::size_t indent);

// GB/s and G elements/s: 1 decimal from 10 up, 2 decimals from 1, else 2 significant digits.
std::string FormatRate(double v);
// The exact count with its binary spelling from sizes.h when that differs: "3072 (3Ki)", "1000003".
std::string FormatElements(std::uint64_t n);
// A measured cell's events per call, with rates and calibrated shares of the time:
// "32 switches per call (1.23 G/s; 2.10 ns each: 0.31% of the time), 48 resumes per call (...)".
std::string DescribeEvents(const CellRecord& c);
// The backend as named, with what ran as resolved: "highway [AVX3 x16, streaming stores]".
std::string CellLabel(const CellRecord& c);
// What ran the cell: "2 threads", "1 thread", or "device 0.0" for a device backend.
std::string Workers(const CellRecord& c);

enum class Align { kLeft, kRight };
struct Column {
  std::string_view header;
  Align align;
};
// Indices into kColumns and ResultRow::text.
enum ResultColumn : std::size_t {
  kRankColumn,
  kBackendColumn,
  kThreadsColumn,
  kBindingColumn,
  kLevelColumn,
  kEfficiencyColumn,
  kBestColumn,
  kMedianColumn,
  kCiColumn,
  kGelemsColumn,
  kErrColumn,
  kSamplesColumn,
  kVerdictColumn,
  kNotesColumn,
  kColumnCount,
};
inline constexpr std::array<Column, kColumnCount> kColumns = {{
    {"#", Align::kRight},
    {"backend", Align::kLeft},
    {"threads", Align::kRight},
    {"binding", Align::kLeft},
    {"level", Align::kLeft},
    {"eff %", Align::kRight},
    {"best GB/s", Align::kRight},
    {"median GB/s", Align::kRight},
    {"95% CI GB/s", Align::kRight},
    {"Gelem/s", Align::kRight},
    {"err%", Align::kRight},
    {"n", Align::kRight},
    {"verdict", Align::kLeft},
    {"notes", Align::kLeft},
}};

struct ResultRow {
  const CellRecord* cell = nullptr;
  bool kernel_only = false;  // the device-side row printed under its cell's end-to-end row
  std::array<std::string, kColumnCount> text;  // single-line cells, "-" for absent numbers
};

struct ResultGroup {
  std::string title;  // dtype, elements, bytes per array, working set, level
  // Verified square cells by median time (fastest first), then copy references, then cells that
  // are FAILED, ERROR or SKIPPED (no numbers: their message is the note).
  std::vector<ResultRow> rows;
  std::vector<std::string> footnotes;  // "[1] openmp f32 3Ki: noisy: err 7.1% > 5%"
  std::vector<std::string> events;     // "interleaved [...]: 32 switches per call (...)"
};

// The size analysis as lines of text (fits, then crossovers), for the table and Markdown; empty
// when the report has too few sizes for either.
struct AnalysisText {
  std::vector<std::string> efficiency;  // "f32 3Ki (L1): fastest <backend> ..., 93% of ..."
  std::vector<std::string> fits;        // "openmp (2 threads), f32, L2, 6 sizes 3Ki..96Ki: ..."
  std::vector<std::string> crossovers;  // "openmp overtakes serial at ~5.1Ki f32 elements ..."
  std::vector<std::string> scaling;     // "openmp, f32 128Ki (L2), 2 threads: ..."
};
AnalysisText DescribeAnalysis(const Report& r);
inline constexpr std::string_view kFitLegend =
    "time per call = fixed + bytes / bandwidth, fitted per series and level by least squares on "
    "relative error (>= 3 sizes)";
inline constexpr std::string_view kEfficiencyLegend =
    "at each size, the fastest verified square cell against its ceiling (the fastest copy spread "
    "the same way, measured in the same rounds)";
inline constexpr std::string_view kScalingLegend =
    "speedup over the same backend on 1 thread, parallel efficiency (speedup / threads), and "
    "speedup over the fastest 1-thread backend at that size";
inline constexpr std::string_view kCrossoverLegend =
    "where one series overtakes another: interpolated between the two measured sizes that bracket "
    "it, when they are at most 4x apart (ties within 3% and one-size leads ignored)";

// One group per (dtype, elements, offset) in order of first appearance. Footnote numbers run on
// across groups, so each is unique in a report.
std::vector<ResultGroup> LayoutResults(const Report& r);

}  // namespace sqb
