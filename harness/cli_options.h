// The command line's option values as typed, and their checking into the commands they run.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "harness/compare_command.h"
#include "harness/run_command.h"

namespace sqb {

// A sample of 100 s of 1 ns calls is 1e11 calls, within what a report may hold (2^40).
inline constexpr double kMaxMinTimeS = 100;
inline constexpr int kMaxRepeat = 100;

// `run` and `scaling`: list-valued options as given, once or repeated, before splitting at commas.
struct RawRunOptions {
  std::vector<std::string> backends, dtypes, sizes, levels, threads, bindings, offsets, mpi_modes;
  std::string mpi_size = "per-rank";
  double slow_below = RunCommand{}.slow_below;
  // Backend knobs by name, as declared in the registry; validated by the planner.
  std::map<std::string, std::vector<std::string>> knobs;
  int samples = MeasureSettings{}.samples;
  double min_time = MeasureSettings{}.min_time_s;
  double max_time = MeasureSettings{}.max_time_s;
  int repeat = MeasureSettings{}.repeat;
  double inject_slowdown = 0;
  std::uint64_t seed = 0;
  std::string format = "table";
  std::string out;
  std::string results_dir = "results";
  bool no_save = false;
  bool no_ceilings = false;
  bool plot = false;
  bool progress = false;
  bool details = false;
  std::string color = "auto";

  // Throws UsageError on any bad value (the planner checks the rest before anything runs).
  RunCommand Resolve() const;
};

// `sweep`: the run options without sizes, plus log-spaced sizes and a time budget.
struct RawSweepOptions {
  RawRunOptions run;
  std::string from = "256", to;
  int points_per_octave = 4;
  double budget = 240;

  RunCommand Resolve() const;  // throws UsageError
};

struct RawCompareOptions {
  // `compare A B`, or `compare A... -- B...`: the reports (files or folders) before the "--" are
  // A's, those after it (`b_side`, split off before parsing) B's.
  std::vector<std::string> reports;
  std::optional<std::vector<std::string>> b_side;
  std::string match, format = "table", out;
  double threshold = CompareOptions{}.threshold;
  bool fail_on_regression = false;
  bool details = false;

  CompareCommand Resolve() const;  // throws UsageError
};

// `scaling`: the run with every thread count from 1 to the cores (or to the largest --threads),
// so each parallel backend has its one-thread baseline in the same run.
RunCommand ScalingCommand(RunCommand c);

}  // namespace sqb
