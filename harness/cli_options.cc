// The command line's option values as typed, and their checking into the commands they run.
#include "harness/cli_options.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <optional>

#include "harness/output_file.h"
#include "harness/report_reader.h"
#include "harness/sizes.h"

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

RawRunOptions SplitLists(RawRunOptions o) {
  for (const auto& [option, list] : {std::pair{"--backends", &o.backends},
                                     {"--dtype", &o.dtypes},
                                     {"--sizes", &o.sizes},
                                     {"--levels", &o.levels},
                                     {"--threads", &o.threads},
                                     {"--bind", &o.bindings},
                                     {"--offset", &o.offsets},
                                     {"--mpi-mode", &o.mpi_modes}})
    SplitList(option, list);
  for (auto& [name, values] : o.knobs) SplitList("--" + name, &values);
  return o;
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

// Every item parsed, no value given twice.
template <typename T, typename Parse>
std::vector<T> ParseEach(const std::string& option, const std::vector<std::string>& items,
                         Parse parse) {
  std::vector<T> values;
  for (const std::string& item : items) values.push_back(parse(item));
  RefuseDuplicates(option, items, values);
  return values;
}

std::uint64_t WholeNumber(const std::string& text, const WholeNumberRule& rule) {
  std::string error;
  const auto n = ParseWholeNumber(text, rule, &error);
  if (!n) throw UsageError(error);
  return *n;
}

// An element count (--sizes, --from, --to); `prefix` comes before the parser's reason.
std::uint64_t Count(const std::string& text, const std::string& prefix = "") {
  std::string error;
  const auto n = ParseCount(text, &error);
  if (!n) throw UsageError(prefix + error);
  return *n;
}

DType DTypeNamed(const std::string& text) {
  const auto t = ParseDType(text);
  if (!t) throw UsageError(fmt::format("unknown dtype '{}' (valid: f32, f64)", text));
  return *t;
}

Binding BindingNamed(const std::string& text) {
  if (text == "none") return Binding::kNone;
  if (text == "cores") return Binding::kCores;
  throw UsageError(fmt::format("unknown binding '{}' (valid: none, cores)", text));
}

// The run's lists, split: each item parsed, no value twice. Lists left empty keep the defaults.
RunOptions ResolveLists(const RawRunOptions& o) {
  RunOptions plan;
  plan.backends = o.backends;
  if (!o.dtypes.empty()) plan.dtypes = ParseEach<DType>("--dtype", o.dtypes, DTypeNamed);
  plan.sizes = ParseEach<std::uint64_t>("--sizes", o.sizes, [](const auto& s) { return Count(s); });
  plan.levels = ParseEach<std::string>("--levels", o.levels, [](const auto& s) { return s; });
  for (const auto& [name, values] : o.knobs)
    if (!values.empty()) plan.knobs[name] = values;
  // 0 and too many threads are the planner's to refuse: it knows the cores.
  plan.threads = ParseEach<int>("--threads", o.threads, [](const std::string& t) {
    return static_cast<int>(
        WholeNumber(t, {.what = "thread count", .max = std::numeric_limits<int>::max()}));
  });
  if (!o.bindings.empty()) plan.bindings = ParseEach<Binding>("--bind", o.bindings, BindingNamed);
  if (!o.offsets.empty())
    plan.offsets = ParseEach<std::uint64_t>("--offset", o.offsets, [](const std::string& t) {
      return WholeNumber(t, {.what = "offset",
                             .max = std::uint64_t{1} << 20,
                             .above_max = "too large (at most 1Mi elements)"});
    });
  return plan;
}

MeasureSettings ResolveMeasure(const RawRunOptions& o) {
  if (o.samples < kMinSamples)
    throw UsageError(
        fmt::format("--samples {}: at least {} samples are always taken", o.samples, kMinSamples));
  // What a run writes, compare must read back: the reader's limits bound these two.
  if (o.samples > static_cast<int>(kMaxSamplesPerSeries))
    throw UsageError(fmt::format("--samples {}: at most {} (what a report may hold)", o.samples,
                                 kMaxSamplesPerSeries));
  if (!(o.min_time > 0 && o.min_time <= kMaxMinTimeS))
    throw UsageError(
        fmt::format("--min-time {}: must be > 0 and at most {} s", o.min_time, kMaxMinTimeS));
  if (!(o.max_time > 0)) throw UsageError(fmt::format("--max-time {}: must be > 0", o.max_time));
  if (o.repeat < 1 || o.repeat > kMaxRepeat)
    throw UsageError(fmt::format("--repeat {}: must be 1..{}", o.repeat, kMaxRepeat));
  if (static_cast<std::size_t>(o.samples) * static_cast<std::size_t>(o.repeat) >
      kMaxSamplesPerSeries)
    throw UsageError(
        fmt::format("--samples {} x --repeat {}: at most {} samples per cell (what a "
                    "report may hold)",
                    o.samples, o.repeat, kMaxSamplesPerSeries));
  if (!(o.inject_slowdown >= 0 && o.inject_slowdown <= 1))
    throw UsageError(fmt::format("--inject-slowdown {}: must be 0..1", o.inject_slowdown));
  MeasureSettings m;
  m.repeat = o.repeat;
  m.injected_slowdown = o.inject_slowdown;
  m.samples = o.samples;
  m.min_time_s = o.min_time;
  m.max_time_s = o.max_time;
  m.seed = o.seed;
  return m;
}

// --out: checked before anything runs, so a run never measures for an output it cannot write.
void CheckOut(const std::string& out) {
  if (out.empty()) return;
  const std::string why = CheckWritable(out);
  if (!why.empty()) throw UsageError(why);
}

}  // namespace

RunCommand RawRunOptions::Resolve() const {
  const RawRunOptions split = SplitLists(*this);
  RunCommand c;
  c.plan = ResolveLists(split);
  c.measure = ResolveMeasure(split);
  const auto f = ParseFormat(format);
  if (!f)
    throw UsageError(
        fmt::format("unknown format '{}' (valid: table, csv, json, md, gbench)", format));
  c.format = *f;
  CheckOut(out);
  c.out = out;
  c.results_dir = results_dir;
  c.save = !no_save;
  c.plan.ceilings = !no_ceilings;
  c.plot = plot;
  c.progress = progress;
  c.details = details;
  if (color != "auto" && color != "always" && color != "never")
    throw UsageError(fmt::format("--color '{}': must be auto, always or never", color));
  c.color = color;
  if (plot && no_save) throw UsageError("--plot draws the saved report: drop --no-save");
  if (!split.mpi_modes.empty()) {
    for (const std::string& mode : split.mpi_modes)
      if (mode != "together" && mode != "each")
        throw UsageError(fmt::format("--mpi-mode '{}': must be together or each", mode));
    RefuseDuplicates("--mpi-mode", split.mpi_modes, split.mpi_modes);
    c.mpi_modes = split.mpi_modes;
  }
  if (mpi_size != "per-rank" && mpi_size != "total")
    throw UsageError(fmt::format("--mpi-size '{}': must be per-rank or total", mpi_size));
  c.mpi_total = mpi_size == "total";
  if (c.mpi_total && c.plan.sizes.empty())
    throw UsageError(
        "--mpi-size total splits the --sizes given across ranks: give --sizes (a "
        "level names one rank's cache)");
  if (!(slow_below > 0 && slow_below <= 1))
    throw UsageError(fmt::format("--slow-below {}: must be in (0, 1]", slow_below));
  c.slow_below = slow_below;
  return c;
}

RunCommand RawSweepOptions::Resolve() const {
  RunCommand c = run.Resolve();
  const std::uint64_t first = Count(from, "--from: ");
  // 0: not given (a count is >= 1).
  const std::uint64_t last = to.empty() ? 0 : Count(to, "--to: ");
  if (points_per_octave < 1 || points_per_octave > 64)
    throw UsageError(fmt::format("--points-per-octave {}: must be 1..64", points_per_octave));
  if (!(budget > 0)) throw UsageError(fmt::format("--budget {}: must be > 0 seconds", budget));
  const MachineLimits machine = CurrentMachineLimits();
  for (DType t : c.plan.dtypes) {
    // Default: up to the DRAM level's count, the working set >= 4x the last-level cache.
    const std::uint64_t end =
        last != 0 ? last : ElementsForLevel("DRAM", machine.caches, t).value_or(first);
    if (first > end)
      throw UsageError(fmt::format("--from {} is above --to {} ({})", first, end, Name(t)));
    c.plan.sizes_by_dtype[t] = LogSpacedCounts(first, end, points_per_octave);
  }
  c.budget_s = budget;
  return c;
}

CompareCommand RawCompareOptions::Resolve() const {
  CompareCommand c;
  if (b_side) {
    if (reports.empty() || b_side->empty())
      throw UsageError("compare A... -- B...: give at least one report on each side of --");
    c.a = reports;
    c.b = *b_side;
  } else if (reports.size() == 2) {
    c.a = {reports[0]};
    c.b = {reports[1]};
  } else {
    throw UsageError(
        fmt::format("compare takes two reports (A B), or several a side as A1 A2 -- B1 B2; got {}",
                    reports.size()));
  }
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
  CheckOut(out);
  c.out = out;
  c.fail_on_regression = fail_on_regression;
  c.details = details;
  return c;
}

RunCommand ScalingCommand(RunCommand c) {
  int most = CurrentMachineLimits().cores;
  for (int t : c.plan.threads) most = std::max(most, t);
  c.plan.threads.clear();
  for (int t = 1; t <= most; ++t) c.plan.threads.push_back(t);
  return c;
}

}  // namespace sqb
