// `squarebench summary [REPORT.json | DIR]...`: many machines' saved reports as one matrix.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "harness/efficiency.h"
#include "harness/record.h"
#include "harness/report_inputs.h"
#include "harness/reporters.h"

namespace sqb {

// What a summary shows for a fact or figure a machine does not have.
inline constexpr std::string_view kMissing = "-";

struct SummaryCommand {
  // Report files and folders; none = the folder "results".
  std::vector<std::string> inputs;
  std::string format = "table";  // table, md, json, csv
  std::string out;               // "" = stdout
};

// Returns 0. Throws UsageError (exit 2), one line, for an unknown format, a path that is neither a
// folder nor a readable report, or a folder that holds no complete default-run report; OutputError
// when the result cannot be written.
int SummarizeReports(const SummaryCommand& command);

// The machine a report ran on, as far as the summary tells machines apart: CPU model, cores, the
// l1d/l2/l3 caches and the host name, in that order ("-" where the report lacks one).
using MachineFacts = std::vector<std::pair<std::string, std::string>>;
MachineFacts FactsOf(const Report& r);

// Per machine (equal FactsOf), the latest (by started_utc, then path) complete report whose
// settings say backends=default, in the order of the machines' first appearance in `reports`.
std::vector<SavedReport> LatestDefaultRuns(std::vector<SavedReport> reports);

// One machine at one (dtype, level): the fastest verified square cell there by median GB/s, and
// its efficiency against its ceiling. `best` is null when the machine has none there.
struct SummaryEntry {
  const CellRecord* best = nullptr;
  std::optional<Efficiency> efficiency;
};

struct SummaryRow {
  DType dtype = DType::kF32;
  std::string level;
  std::vector<SummaryEntry> entries;  // one per column, in the columns' order
};

struct SummaryColumn {
  std::string label;  // "vm (Xeon 2c 48K/2M/480M)", "#2", "#3" appended when labels collide
  MachineFacts facts;
  std::string path;
};

// Refers into the reports it was built from: they must outlive it.
struct Summary {
  std::vector<SummaryColumn> columns;
  std::vector<SummaryRow> rows;  // by dtype, then L1, L2, L3, L3+, DRAM; levels no cell has omitted
  bool several_dtypes = false;
};

// The cell's median GB/s.
double MedianGbps(const CellRecord& c);

// One column per report, in the given order.
Summary BuildSummary(const std::vector<SavedReport>& reports);

// Format::kTable, kMarkdown, kJson or kCsv (json and csv: one record per column x row).
std::string RenderSummary(const Summary& s, Format format);

}  // namespace sqb
