// `squarebench run` (and `scaling`, `sweep`): plan, measure, report, save.
#pragma once

#include <string>
#include <vector>

#include "harness/measure.h"
#include "harness/plan.h"
#include "harness/reporters.h"

namespace sqb {

struct RunCommand {
  RunOptions plan;
  MeasureSettings measure;
  Format format = Format::kTable;
  std::string out;  // "" = stdout
  std::string results_dir = "results";
  bool save = true;
  std::vector<std::string> command_line;
  double budget_s = 0;    // > 0: the whole run's time, cut from samples (sweep --budget)
  bool plot = false;      // draw the saved report with tools/plot.py and embed it in the Markdown
  bool progress = false;  // progress lines on stderr even when it is not a terminal
  bool details = false;   // the table's per-cell form instead of the matrix
  std::string color = "auto";  // "auto" (a terminal without NO_COLOR), "always", "never"
  // Under an MPI launcher: how the ranks are timed, each value its own cell ("together": all at
  // once; "each": one at a time); whether sizes are totals split over the ranks (else per rank);
  // and below which fraction of the median a rank or host is flagged slow.
  std::vector<std::string> mpi_modes = {"together"};
  bool mpi_total = false;
  double slow_below = 0.90;
};

// Returns the process exit code (cli.h); bad input throws UsageError before anything runs.
int RunBenchmarks(const RunCommand& command);

}  // namespace sqb
