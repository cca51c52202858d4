// The command line (CLI11, kept to this one translation unit: it is slow to compile).
#include "harness/cli.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <charconv>
#include <cstdio>
#include <iostream>
#include <map>
#include <optional>
#include <thread>

#include "squarebench/affinity.h"
#include "harness/build_info.h"
#include "harness/compare_command.h"
#include "harness/output_file.h"
#include "harness/registry.h"
#include "harness/report_reader.h"
#include "harness/run_command.h"
#include "harness/sizes.h"
#include "harness/stop_signals.h"

namespace sqb {
namespace {

// A list-valued option's items, split at commas (given once or repeated); an empty item
// (`--sizes 1Ki,,4Ki`, `--backends serial,`) is refused. Split here rather than by CLI11, which
// drops empty items without a word.
void SplitList(const std::string& option, std::vector<std::string>* list) {
  std::vector<std::string> items;
  for (const std::string& given : *list) {
    for (std::size_t start = 0;;) {
      const std::size_t comma = given.find(',', start);
      items.push_back(given.substr(start, comma - start));
      if (items.back().empty())
        throw UsageError(fmt::format("{} '{}': an empty item in the list", option, given));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  *list = std::move(items);
}

// No two items of the same value once parsed (`--sizes 1Ki,1024`): refused rather than merged,
// since a repeated value is most often a typo for another one.
template <typename T>
void RefuseDuplicates(const std::string& option, const std::vector<std::string>& items,
                      const std::vector<T>& values) {
  for (std::size_t i = 0; i < values.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (values[i] == values[j])
        throw UsageError(
            items[i] == items[j]
                ? fmt::format("{}: '{}' is given twice", option, items[i])
                : fmt::format("{}: '{}' and '{}' are the same value", option, items[j], items[i]));
}

// A sample of 100 s of 1 ns calls is 1e11 calls, within what a report may hold (2^40).
constexpr double kMaxMinTimeS = 100;

template <typename T>
T ParseNumber(const std::string& text, const char* what) {
  T value{};
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size())
    throw UsageError(fmt::format("invalid {} '{}': not a number", what, text));
  return value;
}

// Turns the raw option strings into a RunCommand; throws UsageError on any bad value.
struct RawRunOptions {
  std::vector<std::string> backends, dtypes, sizes, levels, threads, bindings, offsets;
  // Backend knobs by name, as declared in the registry; validated by the planner.
  std::map<std::string, std::vector<std::string>> knobs;
  int samples = MeasureSettings{}.samples;
  double min_time = MeasureSettings{}.min_time_s;
  double max_time = MeasureSettings{}.max_time_s;
  std::uint64_t seed = 0;
  std::string format = "table";
  std::string out;
  std::string results_dir = "results";
  bool no_save = false;
  bool no_ceilings = false;
  bool plot = false;
  bool progress = false;

  RunCommand Resolve() const {
    RawRunOptions split = *this;
    split.SplitLists();
    return split.ResolveSplit();
  }

 private:
  void SplitLists() {
    for (const auto& [option, list] : {std::pair{"--backends", &backends},
                                       {"--dtype", &dtypes},
                                       {"--sizes", &sizes},
                                       {"--levels", &levels},
                                       {"--threads", &threads},
                                       {"--bind", &bindings},
                                       {"--offset", &offsets}})
      SplitList(option, list);
    for (auto& [name, values] : knobs) SplitList("--" + name, &values);
  }

  // Items are split; duplicates are refused once parsed.
  RunCommand ResolveSplit() const {
    RunCommand c;
    c.plan.backends = backends;
    if (!dtypes.empty()) c.plan.dtypes.clear();
    for (const auto& d : dtypes) {
      const auto t = ParseDType(d);
      if (!t) throw UsageError(fmt::format("unknown dtype '{}' (valid: f32, f64)", d));
      c.plan.dtypes.push_back(*t);
    }
    RefuseDuplicates("--dtype", dtypes, c.plan.dtypes);
    for (const auto& s : sizes) {
      std::string error;
      const auto n = ParseCount(s, &error);
      if (!n) throw UsageError(error);
      c.plan.sizes.push_back(*n);
    }
    RefuseDuplicates("--sizes", sizes, c.plan.sizes);
    RefuseDuplicates("--levels", levels, levels);
    c.plan.levels = levels;
    for (const auto& [name, values] : knobs)
      if (!values.empty()) c.plan.knobs[name] = values;
    for (const auto& t : threads) c.plan.threads.push_back(ParseNumber<int>(t, "thread count"));
    RefuseDuplicates("--threads", threads, c.plan.threads);
    if (!bindings.empty()) c.plan.bindings.clear();
    for (const auto& b : bindings) {
      if (b == "none")
        c.plan.bindings.push_back(Binding::kNone);
      else if (b == "cores")
        c.plan.bindings.push_back(Binding::kCores);
      else
        throw UsageError(fmt::format("unknown binding '{}' (valid: none, cores)", b));
    }
    RefuseDuplicates("--bind", bindings, c.plan.bindings);
    if (!offsets.empty()) c.plan.offsets.clear();
    for (const auto& o : offsets) {
      const auto v = ParseNumber<std::uint64_t>(o, "offset");
      if (v > (1u << 20))
        throw UsageError(fmt::format("offset {} too large (at most 1Mi elements)", v));
      c.plan.offsets.push_back(v);
    }
    RefuseDuplicates("--offset", offsets, c.plan.offsets);
    if (samples < kMinSamples)
      throw UsageError(
          fmt::format("--samples {}: at least {} samples are always taken", samples, kMinSamples));
    // What a run writes, compare must read back: the reader's limits bound these two.
    if (samples > static_cast<int>(kMaxSamplesPerSeries))
      throw UsageError(fmt::format("--samples {}: at most {} (what a report may hold)", samples,
                                   kMaxSamplesPerSeries));
    if (!(min_time > 0 && min_time <= kMaxMinTimeS))
      throw UsageError(
          fmt::format("--min-time {}: must be > 0 and at most {} s", min_time, kMaxMinTimeS));
    if (!(max_time > 0)) throw UsageError(fmt::format("--max-time {}: must be > 0", max_time));
    c.measure.samples = samples;
    c.measure.min_time_s = min_time;
    c.measure.max_time_s = max_time;
    c.measure.seed = seed;
    const auto f = ParseFormat(format);
    if (!f)
      throw UsageError(
          fmt::format("unknown format '{}' (valid: table, csv, json, md, gbench)", format));
    c.format = *f;
    c.out = out;
    if (!out.empty()) {
      const std::string why = CheckWritable(out);
      if (!why.empty()) throw UsageError(why);
    }
    c.results_dir = results_dir;
    c.save = !no_save;
    c.plan.ceilings = !no_ceilings;
    c.plot = plot;
    c.progress = progress;
    if (plot && no_save) throw UsageError("--plot draws the saved report: drop --no-save");
    return c;
  }
};

// `sweep`: the run options without sizes, plus log-spaced sizes and a time budget.
struct RawSweepOptions {
  RawRunOptions run;
  std::string from = "256", to;
  int points_per_octave = 4;
  double budget = 240;

  RunCommand Resolve() const {
    RunCommand c = run.Resolve();
    std::string error;
    const auto first = ParseCount(from, &error);
    if (!first) throw UsageError("--from: " + error);
    std::optional<std::uint64_t> last;
    if (!to.empty() && !(last = ParseCount(to, &error))) throw UsageError("--to: " + error);
    if (points_per_octave < 1 || points_per_octave > 64)
      throw UsageError(fmt::format("--points-per-octave {}: must be 1..64", points_per_octave));
    if (!(budget > 0)) throw UsageError(fmt::format("--budget {}: must be > 0 seconds", budget));
    const MachineLimits machine = CurrentMachineLimits();
    for (DType t : c.plan.dtypes) {
      // Default: up to the DRAM level's count, the working set >= 4x the last-level cache.
      const std::uint64_t end =
          last ? *last : ElementsForLevel("DRAM", machine.caches, t).value_or(*first);
      if (*first > end)
        throw UsageError(fmt::format("--from {} is above --to {} ({})", *first, end, Name(t)));
      c.plan.sizes_by_dtype[t] = LogSpacedCounts(*first, end, points_per_octave);
    }
    c.budget_s = budget;
    return c;
  }
};

struct RawCompareOptions {
  std::string a, b, match, format = "table", out;
  double threshold = CompareOptions{}.threshold;
  bool fail_on_regression = false;

  CompareCommand Resolve() const {
    CompareCommand c;
    c.a = a;
    c.b = b;
    if (match == "size")
      c.options.match = MatchBy::kSize;
    else if (match == "level")
      c.options.match = MatchBy::kLevel;
    else if (!match.empty())
      throw UsageError(fmt::format("unknown --match '{}' (valid: size, level)", match));
    if (!(threshold >= 0 && threshold < 1))
      throw UsageError(fmt::format("--threshold {}: must be in [0, 1)", threshold));
    c.options.threshold = threshold;
    const auto f = ParseFormat(format);
    if (!f || *f == Format::kCsv || *f == Format::kGbench)
      throw UsageError(fmt::format("unknown format '{}' (valid: table, md, json)", format));
    c.format = *f;
    if (!out.empty()) {
      const std::string why = CheckWritable(out);
      if (!why.empty()) throw UsageError(why);
    }
    c.out = out;
    c.fail_on_regression = fail_on_regression;
    return c;
  }
};

void AddCompareOptions(CLI::App& compare, RawCompareOptions& o) {
  compare.add_option("a", o.a, "Report A (the baseline), a squarebench JSON report")->required();
  compare.add_option("b", o.b, "Report B (the candidate)")->required();
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
  compare.add_option("--out", o.out, "Write the output to this file (default: stdout)");
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
                 "Thread counts for parallel backends, 1..64x cores (default: all cores; "
                 "single-thread backends always use 1)");
  run.add_option("--bind", o.bindings, "Thread pinning: none, cores (default: cores)");
  run.add_option("--offset", o.offsets,
                 "Elements added to y's start, as STREAM's OFFSET (default: 0)");
  // Every knob a registered backend declares, once: a new backend's knobs need no change here.
  for (const auto& backend : Backends()) {
    for (const KnobInfo& knob : backend.knobs) {
      if (o.knobs.count(knob.name)) continue;
      const std::string range = knob.values.empty()
                                    ? fmt::format(" ({}..{})", knob.min_count, knob.max_count)
                                    : fmt::format(": {}", fmt::join(knob.values, ", "));
      run.add_option("--" + knob.name, o.knobs[knob.name],
                     fmt::format("{}{}; each value its own cell (default: {})", knob.description,
                                 range, knob.default_value));
    }
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
  run.add_option("--seed", o.seed, "Seed of the round order shuffle (default: 0)");
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
}

// `scaling`: the run with every thread count from 1 to the cores (or to the largest --threads),
// so each parallel backend has its one-thread baseline in the same run.
RunCommand ScalingCommand(RunCommand c) {
  int most = CurrentMachineLimits().cores;
  for (int t : c.plan.threads) most = std::max(most, t);
  c.plan.threads.clear();
  for (int t = 1; t <= most; ++t) c.plan.threads.push_back(t);
  return c;
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

// Bad input is one line on stderr and exit code 2.
int PrintUsageError(std::string_view message) {
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

}  // namespace

int Main(int argc, char** argv) {
  InstallStopHandlers();
  CaptureOriginalAffinity();
  CLI::App app{
      "squarebench: one kernel (y = x * x) run every way this machine can, verified "
      "bitwise and measured against its own limits.\nWith no arguments: `run` with "
      "every default.",
      "squarebench"};
  app.set_version_flag("--version", SQB_VERSION);
  app.require_subcommand(0, 1);
  RawRunOptions raw;
  CLI::App* run = app.add_subcommand("run", "Measure backends x sizes (the default command)");
  AddRunOptions(*run, raw);
  CLI::App* list =
      app.add_subcommand("list", "Every compiled backend and variant, and whether it can run here");
  CLI::App* info = app.add_subcommand("info", "The machine and build fingerprint, with warnings");
  RawRunOptions raw_scaling;
  CLI::App* scaling = app.add_subcommand(
      "scaling", "Measure at 1..cores threads: speedup and parallel efficiency per backend");
  AddRunOptions(*scaling, raw_scaling);
  RawSweepOptions raw_sweep;
  CLI::App* sweep = app.add_subcommand(
      "sweep", "Measure backends over log-spaced sizes: fits, crossovers, plots");
  AddRunOptions(*sweep, raw_sweep.run, false);
  AddSweepOptions(*sweep, raw_sweep);
  RawCompareOptions raw_compare;
  CLI::App* compare =
      app.add_subcommand("compare", "Compare two reports: ratios, confidence, verdicts");
  AddCompareOptions(*compare, raw_compare);

  // `squarebench --sizes 1Mi` means `squarebench run --sizes 1Mi`: run is the default command.
  std::vector<std::string> args(argv + 1, argv + argc);
  if (!args.empty() && args[0].rfind('-', 0) == 0 && args[0] != "-h" && args[0] != "--help" &&
      args[0] != "--version") {
    args.insert(args.begin(), "run");
  }
  std::reverse(args.begin(), args.end());  // CLI11 takes a vector in reverse order

  const auto dispatch = [&]() -> int {
    try {
      app.parse(args);
      if (*list) return ListBackends();
      if (*info) return ShowInfo();
      if (*compare) return CompareReports(raw_compare.Resolve());
      RunCommand command = *scaling ? ScalingCommand(raw_scaling.Resolve())
                           : *sweep ? raw_sweep.Resolve()
                                    : raw.Resolve();
      command.command_line.assign(argv, argv + argc);
      return RunBenchmarks(command);
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
  };
  const int code = dispatch();
  // A stop signal that came while list, info, compare or help finished still decides the code.
  return StopSignal() != 0 ? kExitSignal + StopSignal() : code;
}

}  // namespace sqb
