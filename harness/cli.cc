// The command line: its option table (CLI11, kept to this one translation unit: it is slow to
// compile) and the dispatch to each command.
#include "harness/cli.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <optional>

#include "harness/build_info.h"
#include "harness/cli_options.h"
#include "harness/list_command.h"
#include "harness/output_file.h"
#include "harness/ranks.h"
#include "harness/registry.h"
#include "harness/report_reader.h"
#include "harness/stop_signals.h"
#include "harness/summary_command.h"
#include "squarebench/affinity.h"

namespace sqb {
namespace {

void AddCompareOptions(CLI::App& compare, RawCompareOptions& o) {
  compare
      .add_option("reports", o.reports,
                  "A B: report A (the baseline) and B (the candidate), squarebench JSON "
                  "reports; or A1 A2 -- B1 B2: several a side, read as repetitions of one "
                  "run. A folder stands for every *.json under it")
      ->required();
  compare.add_option("--match", o.match,
                     "Match cells by exact element count (size) or memory level (level) "
                     "(default: size when the reports share sizes, else level)");
  compare.add_option("--threshold", o.threshold,
                     fmt::format("Smallest change that counts: the whole 95% CI of B/A must lie "
                                 "beyond 1 +- this (default: {})",
                                 CompareOptions{}.threshold));
  compare.add_flag("--fail-on-regression", o.fail_on_regression,
                   "Exit with 1 when any cell is slower (default: exit 0)");
  compare.add_option("--format", o.format, "Output format: table, md, json (default: table)");
  compare.add_flag("--details", o.details,
                   "Table format: every cell (default: the summary per level and backend, then "
                   "only the faster or slower cells; md and json always hold every cell)");
  compare.add_option("--out", o.out, "Write the output to this file (default: stdout)");
}

void AddSummaryOptions(CLI::App& summary, SummaryCommand& o) {
  summary.add_option("reports", o.inputs,
                     "Report files and folders; a folder gives each machine's latest complete "
                     "default run (default: results)");
  summary.add_option("--format", o.format, "Output format: table, md, json, csv (default: table)");
  summary.add_option("--out", o.out, "Write the output to this file (default: stdout)");
}

void AddRunOptions(CLI::App& run, RawRunOptions& o, bool sizes_and_levels = true) {
  run.add_option("--backends", o.backends,
                 "Backends to run, <executor>[+<chunk kernel>][@<variant>] (default: every "
                 "default backend that can run here; see `squarebench list`)");
  run.add_option("--dtype", o.dtypes, "Element types: f32, f64 (default: f32)");
  if (sizes_and_levels) {
    auto* sizes = run.add_option("--sizes", o.sizes,
                                 "Elements per array, e.g. 4096,4Ki,1Mi,2G (Ki/Mi/Gi = 1024^k, "
                                 "K/M/G = 1000^k) (default: the --levels sizes)");
    run.add_option("--levels", o.levels,
                   "Sizes from this machine's caches: L1, L2, L3 (working set x+y = 1/2 of the "
                   "cache), DRAM (>= 4x the last-level cache) (default: L1,L2,L3,DRAM)")
        ->excludes(sizes);
  }
  run.add_option("--threads", o.threads,
                 "Thread counts for parallel backends, 1..64x cores (default: every core of "
                 "this process's CPU set, which taskset, a cgroup or mpiexec may narrow; "
                 "single-thread backends always use 1)");
  run.add_option("--bind", o.bindings, "Thread pinning: none, cores (default: cores)");
  run.add_option("--offset", o.offsets,
                 "Elements added to y's start, as STREAM's OFFSET (default: 0)");
  // Every knob a registered backend declares: a new backend's knobs need no change here.
  for (const KnobInfo* knob : AllKnobs()) {
    const std::string range = knob->values.empty()
                                  ? fmt::format(" ({}..{})", knob->min_count, knob->max_count)
                                  : fmt::format(": {}", fmt::join(knob->values, ", "));
    run.add_option("--" + knob->name, o.knobs[knob->name],
                   fmt::format("{}{}; each value its own cell (default: {})", knob->description,
                               range, knob->default_value));
  }
  run.add_option(
      "--samples", o.samples,
      fmt::format("Samples per cell, {}..{} (default: {}; --max-time may cut it, "
                  "never below {})",
                  kMinSamples, kMaxSamplesPerSeries, MeasureSettings{}.samples, kMinSamples));
  run.add_option(
      "--min-time", o.min_time,
      fmt::format("Seconds a sample lasts at least, at most {} (default: {}; and >= 1000x "
                  "the timer resolution)",
                  kMaxMinTimeS, MeasureSettings{}.min_time_s));
  run.add_option("--max-time", o.max_time,
                 fmt::format("Seconds of measuring per cell, budget (default: {})",
                             MeasureSettings{}.max_time_s));
  run.add_option("--repeat", o.repeat,
                 fmt::format("Independent repetitions of every cell, 1..{}: fresh arrays and "
                             "executor each, interleaved with the other cells' (default: 1)",
                             kMaxRepeat));
  run.add_option("--inject-slowdown", o.inject_slowdown,
                 "For testing comparisons only: stretch every timed batch by this fraction of its "
                 "time, 0..1 (default: 0; the report warns when set)");
  run.add_option("--seed", o.seed, "Seed of the round order shuffle (default: 0)");
  run.add_option("--mpi-mode", o.mpi_modes,
                 "Under mpiexec: together (all ranks timed at once: aggregate bandwidth), each "
                 "(one rank at a time, the others asleep: each rank's own); each value its own "
                 "cell (default: together)");
  run.add_option("--mpi-size", o.mpi_size,
                 "Under mpiexec: per-rank (each rank's arrays are the size given: weak scaling) "
                 "or total (the --sizes given are split across the ranks: strong scaling) "
                 "(default: per-rank)");
  run.add_option("--slow-below", o.slow_below,
                 "Under mpiexec: flag a rank, or a host, whose median rate is below this fraction "
                 "of the median rank's (host's), 0..1 (default: 0.9)");
  run.add_option("--format", o.format,
                 "Output format: table, csv, json, md, gbench (google/benchmark JSON) "
                 "(default: table)");
  run.add_option("--out", o.out,
                 "Write the output to this file instead of stdout (default: stdout)");
  run.add_option(
      "--results-dir", o.results_dir,
      "Folder for the saved report, <dir>/<host>/<UTC time>.{json,md} (default: results)");
  run.add_flag("--no-save", o.no_save, "Do not save the report (default: save)");
  run.add_flag("--no-ceilings", o.no_ceilings,
               "Do not measure each backend's copy ceilings next to it: no eff % column "
               "(default: measure them)");
  run.add_flag("--progress", o.progress,
               "Print progress lines on stderr even when it is not a terminal, e.g. for a batch "
               "job's log (default: only on a terminal)");
  run.add_flag("--plot", o.plot,
               "Draw the saved report with tools/plot.py (Python 3 + matplotlib) next to it and "
               "embed the images in its Markdown (default: off)");
  run.add_flag("--details", o.details,
               "Table format: every cell with its ceilings, flags and events, instead of the "
               "matrix of backends x sizes (default: the matrix; the saved Markdown has both)");
  run.add_option("--color", o.color,
                 "Colour and bold in the table: auto (on a terminal, unless NO_COLOR is set), "
                 "always, never (default: auto)");
}

void AddSweepOptions(CLI::App& sweep, RawSweepOptions& o) {
  sweep.add_option("--from", o.from, "Smallest elements per array (default: 256)");
  sweep.add_option("--to", o.to,
                   "Largest elements per array (default: the DRAM level's count per dtype, a "
                   "working set >= 4x the L3 share measured in use)");
  sweep.add_option("--points-per-octave", o.points_per_octave,
                   "Sizes per doubling, 1..64 (default: 4)");
  sweep.add_option("--budget", o.budget,
                   "Seconds for the whole sweep, met by cutting samples (never below 9) "
                   "(default: 240)");
}

// Bad input is one line on stderr and exit code 2. Under an MPI launcher every rank read the same
// command line: rank 0 alone says what is wrong with it.
int PrintUsageError(std::string_view message) {
  if (LaunchFromEnvironment().rank > 0) return kExitUsage;
  const std::string_view first_line = message.substr(0, message.find('\n'));
  std::fprintf(stderr, "squarebench: error: %.*s\n", static_cast<int>(first_line.size()),
               first_line.data());
  return kExitUsage;
}

// CLI11 prints help and the version to std::cout: checked like every other output.
int HelpOrVersion(const CLI::App& app, const CLI::Error& e) {
  const int code = app.exit(e);
  std::cout.flush();
  if (std::cout) return code;
  std::fprintf(stderr, "squarebench: error: cannot write to standard output\n");
  return kExitOutput;
}

// Every command's options as typed, and the subcommand a parse may choose.
struct Commands {
  RawRunOptions run, scaling;
  RawSweepOptions sweep;
  RawCompareOptions compare;
  SummaryCommand summary;
  CLI::App* summary_app = nullptr;
  CLI::App *run_app, *list, *info, *scaling_app, *sweep_app, *compare_app;
};

void AddCommands(CLI::App& app, Commands& c) {
  c.run_app = app.add_subcommand("run", "Measure backends x sizes (the default command)");
  AddRunOptions(*c.run_app, c.run);
  c.list =
      app.add_subcommand("list", "Every compiled backend and variant, and whether it can run here");
  c.list->add_flag("--details")
      ->description(
          "One line per backend and variant (default: one per backend, its variants inline)");
  c.info = app.add_subcommand("info", "The machine and build fingerprint, with warnings");
  c.scaling_app = app.add_subcommand(
      "scaling", "Measure at 1..cores threads: speedup and parallel efficiency per backend");
  AddRunOptions(*c.scaling_app, c.scaling);
  c.sweep_app = app.add_subcommand(
      "sweep", "Measure backends over log-spaced sizes: fits, crossovers, plots");
  AddRunOptions(*c.sweep_app, c.sweep.run, false);
  AddSweepOptions(*c.sweep_app, c.sweep);
  c.compare_app = app.add_subcommand(
      "compare", "Compare two reports, or two sets of runs: ratios, confidence, verdicts");
  AddCompareOptions(*c.compare_app, c.compare);
  c.summary_app = app.add_subcommand(
      "summary", "Many machines' saved reports as one matrix: the best backend per level");
  AddSummaryOptions(*c.summary_app, c.summary);
}

// The arguments in the reverse order CLI11 takes them. `squarebench --sizes 1Mi` means
// `squarebench run --sizes 1Mi`: run is the default command.
std::vector<std::string> Arguments(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (!args.empty() && args[0].rfind('-', 0) == 0 && args[0] != "-h" && args[0] != "--help" &&
      args[0] != "--version") {
    args.insert(args.begin(), "run");
  }
  std::reverse(args.begin(), args.end());
  return args;
}

// `compare A1 A2 -- B1 B2`: the arguments after "--" are B's reports, taken out of `reversed` (the
// arguments in reverse, as Arguments gives them) before CLI11 sees them; nullopt without "--".
std::optional<std::vector<std::string>> SplitCompareSides(std::vector<std::string>& reversed) {
  if (reversed.empty() || reversed.back() != "compare") return std::nullopt;
  const auto separator = std::find(reversed.begin(), reversed.end(), "--");
  if (separator == reversed.end()) return std::nullopt;
  std::vector<std::string> b(reversed.begin(), separator);
  std::reverse(b.begin(), b.end());
  reversed.erase(reversed.begin(), separator + 1);
  return b;
}

// The parsed command, run.
int RunChosen(const Commands& c, int argc, char** argv) {
  if (*c.list) return ListBackends(c.list->count("--details") > 0);
  if (*c.info) return ShowInfo();
  if (*c.compare_app) return CompareReports(c.compare.Resolve());
  if (*c.summary_app) return SummarizeReports(c.summary);
  RunCommand command = *c.scaling_app ? ScalingCommand(c.scaling.Resolve())
                       : *c.sweep_app ? c.sweep.Resolve()
                                      : c.run.Resolve();
  command.command_line.assign(argv, argv + argc);
  return RunBenchmarks(command);
}

// Parses and runs the command; what it throws becomes its exit code.
int Dispatch(CLI::App& app, Commands& c, int argc, char** argv) {
  try {
    std::vector<std::string> args = Arguments(argc, argv);
    c.compare.b_side = SplitCompareSides(args);
    app.parse(args);
    return RunChosen(c, argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return HelpOrVersion(app, e);
  } catch (const CLI::CallForAllHelp& e) {
    return HelpOrVersion(app, e);
  } catch (const CLI::CallForVersion& e) {
    return HelpOrVersion(app, e);
  } catch (const CLI::ParseError& e) {
    return PrintUsageError(e.what());
  } catch (const UsageError& e) {
    return PrintUsageError(e.what());
  } catch (const OutputError& e) {
    std::fprintf(stderr, "squarebench: error: %s\n", e.what());
    return kExitOutput;
  }
}

}  // namespace

void WriteResult(const std::string& out, std::string_view text) {
  if (out.empty())
    WriteStdout(text);
  else
    WriteOutput(out, text);
}

int Main(int argc, char** argv) {
  InstallStopHandlers();
  CaptureOriginalAffinity();
  if (const std::string shared = SharedBackendName(); !shared.empty()) {
    std::fprintf(stderr, "squarebench: error: two backends are named '%s': rename one\n",
                 shared.c_str());
    return kExitUsage;
  }
  CLI::App app{
      "squarebench: one kernel (y = x * x) run every way this machine can, verified "
      "bitwise and measured against its own limits.\nWith no arguments: `run` with "
      "every default.",
      "squarebench"};
  app.set_version_flag("--version", SQB_VERSION);
  app.require_subcommand(0, 1);
  Commands commands;
  AddCommands(app, commands);
  const int code = Dispatch(app, commands, argc, argv);
  // A stop signal that came while list, info, compare or help finished still decides the code.
  return StopSignal() != 0 ? kExitSignal + StopSignal() : code;
}

}  // namespace sqb
