// The CSV reporter: one row per cell, RFC 4180 quoting, full-precision numbers in seconds.
#include <fmt/format.h>

#include <array>

#include "harness/cell_key.h"
#include "harness/report_layout.h"
#include "harness/reporters.h"

namespace sqb {
namespace {

constexpr std::array<std::string_view, 37> kHeader = {
    "backend",          "executor",        "chunk_kernel",
    "variant",          "operation",       "dtype",
    "elements",         "bytes_per_array", "working_set_bytes",
    "offset",           "level",           "threads",
    "binding",          "knobs",           "status",
    "message",          "placement",       "summary",
    "calls_per_sample", "samples",         "best_s",
    "median_s",         "ci_low_s",        "ci_high_s",
    "err_pct",          "outliers",        "gbps_best",
    "gbps_median",      "gelems_median",   "kernel_only_median_s",
    "events",           "flags",           "efficiency_pct",
    "ceiling",          "on_device",       "ranks",
    "mpi_mode"};

template <typename Range>
std::string Join(const Range& items, std::string_view sep) {
  std::string out;
  bool first = true;
  for (const auto& item : items) {
    if (!first) out += sep;
    out += item;
    first = false;
  }
  return out;
}

// Shortest text that reads back as the same double.
std::string Number(double v) { return fmt::format("{}", v); }

std::vector<std::string> Row(const Report& r, const CellRecord& c) {
  const CellParams& p = c.params;
  std::vector<std::string> row = {p.backend,
                                  p.executor,
                                  p.chunk_kernel,
                                  p.variant,
                                  std::string(OperationName(c.operation)),
                                  std::string(Name(p.dtype)),
                                  fmt::format("{}", p.elements),
                                  fmt::format("{}", p.BytesPerArray()),
                                  fmt::format("{}", p.BytesPerCall()),
                                  fmt::format("{}", p.offset),
                                  c.level,
                                  fmt::format("{}", p.threads),
                                  std::string(Name(p.binding)),
                                  KnobsKey(p, ";"),
                                  std::string(Name(c.status)),
                                  c.message,
                                  c.placement,
                                  c.summary,
                                  fmt::format("{}", c.calls_per_sample)};
  // Timing columns only for verified cells: a FAILED cell's time measures the wrong computation.
  bool measured = c.status == CellStatus::kOk && c.wall.stats.n > 0;
  const SampleStats& s = c.wall.stats;
  std::vector<std::string> numbers;
  if (measured) {
    numbers = {fmt::format("{}", s.n),
               Number(s.best),
               Number(s.median),
               Number(s.ci_low),
               Number(s.ci_high),
               Number(s.err_pct),
               fmt::format("{}", s.outliers),
               Number(GigabytesPerSecond(p, s.best)),
               Number(GigabytesPerSecond(p, s.median)),
               Number(GigaElementsPerSecond(p, s.median)),
               c.kernel_only ? Number(c.kernel_only->stats.median) : "",
               DescribeEvents(c)};
  } else {
    numbers.assign(12, "");
  }
  row.insert(row.end(), numbers.begin(), numbers.end());
  row.push_back(Join(c.flags, "; "));
  const auto e = RateAgainstCeiling(r, c);
  row.push_back(e ? Number(e->percent) : "");
  const std::string ceiling_knobs = e ? KnobsKey(e->ceiling->params, ";") : "";
  row.push_back(!e                      ? ""
                : ceiling_knobs.empty() ? e->ceiling->params.backend
                                        : e->ceiling->params.backend + " " + ceiling_knobs);
  row.push_back(c.on_device ? "true" : "false");
  // One process alone: ranks 1 and no mode. Across MPI ranks, the cell's figures are the ranks'
  // agreed ones (docs/report-schema.md); each rank's own are in the JSON.
  row.push_back(std::to_string(c.params.ranks));
  row.push_back(c.params.mpi_mode);
  return row;
}

std::string Line(const std::vector<std::string>& fields) {
  std::vector<std::string> quoted;
  for (const std::string& f : fields) quoted.push_back(CsvQuote(f));
  return Join(quoted, ",") + "\n";
}

}  // namespace

std::string RenderCsv(const Report& r) {
  std::string out = Line(std::vector<std::string>(kHeader.begin(), kHeader.end()));
  for (const CellRecord& c : r.cells) out += Line(Row(r, c));
  return out;
}

}  // namespace sqb
