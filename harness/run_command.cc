// `squarebench run`: plan, measure, report, save.
#include "harness/run_command.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <optional>

#include "harness/build_info.h"
#include "harness/cache_probe.h"
#include "harness/cli.h"
#include "harness/clock.h"
#include "harness/fingerprint.h"
#include "harness/output_file.h"
#include "harness/plot_command.h"
#include "harness/rank_fingerprints.h"
#include "harness/rank_messages.h"
#include "harness/rank_plan.h"
#include "harness/rank_view.h"
#include "harness/stop_signals.h"

extern char** environ;

namespace sqb {
namespace {

std::string UtcTime(std::time_t t, const char* format) {
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, format, &tm);
  return buf;
}

std::string HostName() {
  char buf[256] = {};
  if (gethostname(buf, sizeof buf - 1) != 0 || buf[0] == '\0') return "unknown-host";
  std::string s = buf;
  for (char& c : s)
    if (c == '/' || c == '\\') c = '_';
  return s;
}

// Every backend the plan measures, its ceilings included, each once.
std::vector<const BackendInfo*> UsedBackends(const Plan& plan) {
  std::vector<const BackendInfo*> used;
  for (const SizeGroup& g : plan.groups)
    for (const PlannedCell& c : g.cells)
      if (std::find(used.begin(), used.end(), c.backend) == used.end()) used.push_back(c.backend);
  return used;
}

// The variables set in the environment whose names start with a prefix one of `backends` declares.
std::vector<std::pair<std::string, std::string>> RuntimeEnvironment(
    const std::vector<const BackendInfo*>& backends) {
  std::vector<std::pair<std::string, std::string>> env;
  for (char** e = environ; e && *e; ++e) {
    const std::string kv = *e;
    const std::string name = kv.substr(0, kv.find('='));
    const bool wanted = std::any_of(backends.begin(), backends.end(), [&](const BackendInfo* b) {
      const auto& prefixes = b->provenance.environment_prefixes;
      return std::any_of(prefixes.begin(), prefixes.end(),
                         [&](const std::string& p) { return name.rfind(p, 0) == 0; });
    });
    if (wanted) env.emplace_back(name, name.size() < kv.size() ? kv.substr(name.size() + 1) : "");
  }
  std::sort(env.begin(), env.end());
  return env;
}

std::string KnobsSetting(const std::map<std::string, std::vector<std::string>>& knobs) {
  std::vector<std::string> parts;
  for (const auto& [name, values] : knobs)
    parts.push_back(fmt::format("{}={}", name, fmt::join(values, ",")));
  return parts.empty() ? "defaults" : fmt::format("{}", fmt::join(parts, " "));
}

std::vector<std::pair<std::string, std::string>> Settings(const RunCommand& c) {
  std::vector<std::string> dtypes, bindings;
  for (DType t : c.plan.dtypes) dtypes.emplace_back(Name(t));
  for (Binding b : c.plan.bindings) bindings.emplace_back(Name(b));
  const auto join = [](const auto& v) { return fmt::format("{}", fmt::join(v, ",")); };
  return {
      {"backends", c.plan.backends.empty() ? "default" : join(c.plan.backends)},
      {"dtypes", join(dtypes)},
      {"sizes", c.plan.sizes.empty() ? "levels" : join(c.plan.sizes)},
      {"levels", c.plan.levels.empty() ? "L1,L2,L3,DRAM" : join(c.plan.levels)},
      {"threads", c.plan.threads.empty() ? "all cores" : join(c.plan.threads)},
      {"bind", join(bindings)},
      {"offsets", join(c.plan.offsets)},
      {"knobs", KnobsSetting(c.plan.knobs)},
      {"samples", std::to_string(c.measure.samples)},
      {"min_time_s", fmt::format("{}", c.measure.min_time_s)},
      {"max_time_s", fmt::format("{}", c.measure.max_time_s)},
      {"repeat", std::to_string(c.measure.repeat)},
      {"inject_slowdown", fmt::format("{}", c.measure.injected_slowdown)},
      {"seed", std::to_string(c.measure.seed)},
  };
}

// Under an MPI launcher, what the run was spread over and how; and which devices rank 0's host
// shares between its ranks.
void AddRankSettings(const RunCommand& c, const Ranks& ranks, const Plan& plan, Report* report) {
  for (const BackendInfo* b : UsedBackends(plan))
    if (b->variant_is_device && !b->variants.empty() &&
        static_cast<std::size_t>(ranks.LocalSize()) > b->variants.size())
      report->notes.push_back(
          fmt::format("{}: the {} ranks on host {} share its {} device(s) round-robin", b->name,
                      ranks.LocalSize(), ranks.Host(), b->variants.size()));
  report->settings.insert(report->settings.end(),
                          {{"mpi_ranks", std::to_string(ranks.Size())},
                           {"mpi_mode", fmt::format("{}", fmt::join(c.mpi_modes, ","))},
                           {"mpi_size", c.mpi_total ? "total" : "per-rank"},
                           {"slow_below", fmt::format("{}", c.slow_below)}});
  report->slow_below = c.slow_below;
}

std::string BudgetNote(const RunCommand& c, const BudgetUse& use, double wall_s) {
  std::string note =
      use.cut ? fmt::format(
                    "--budget {} s: per-cell measuring budgets cut from {} s to {:.3g}..{:.3g} "
                    "s (fewer samples, never below {})",
                    c.budget_s, c.measure.max_time_s, use.min_cell_budget_s, use.max_cell_budget_s,
                    kMinSamples)
              : fmt::format("--budget {} s: no cut needed", c.budget_s);
  if (wall_s > c.budget_s)
    note += fmt::format("; took {:.0f} s, over the budget ({} samples per cell are the minimum)",
                        wall_s, kMinSamples);
  return note;
}

// The images plot.py drew next to the report, as names relative to it; none (and why, on
// stderr) when Python or matplotlib is missing. Throws OutputError when the script failed.
std::vector<std::string> Plot(const std::string& report_json) {
  const PlotResult r = PlotReport(report_json);
  if (r.failed) throw OutputError("--plot: " + r.error);
  if (!r.error.empty()) {
    std::fprintf(stderr, "squarebench: --plot: %s\n", r.error.c_str());
    return {};
  }
  std::vector<std::string> images;
  for (const std::string& path : r.images) {
    std::fprintf(stderr, "squarebench: plot saved to %s\n", path.c_str());
    images.push_back(std::filesystem::path(path).filename().string());
  }
  return images;
}

// Saves the report as <dir>/<UTC start>.{json,md}: the JSON takes a name no other file has (a
// suffix keeps two runs of one second apart), the plots and the Markdown follow it. A failed plot
// still leaves the Markdown, then throws. Returns the Markdown's path.
std::string SaveReport(Report& report, const std::string& dir, std::time_t started, bool plot) {
  const std::string stem =
      WriteNewOutput(dir + "/" + UtcTime(started, "%Y-%m-%dT%H%M%SZ"), ".json", RenderJson(report));
  std::optional<OutputError> plot_error;
  try {
    if (plot) report.images = Plot(stem + ".json");
  } catch (const OutputError& e) {
    plot_error = e;
  }
  WriteOutput(stem + ".md", RenderMarkdown(report));
  std::fprintf(stderr, "squarebench: report saved to %s.{json,md}\n", stem.c_str());
  if (plot_error) throw *plot_error;
  return stem + ".md";
}

int StoppedBeforeMeasuring() {
  std::fprintf(stderr, "squarebench: stopped by %s before anything was measured: nothing saved\n",
               SignalName(StopSignal()).c_str());
  return kExitSignal + StopSignal();
}

bool MeasuredAnything(const Report& report) {
  return std::any_of(report.cells.begin(), report.cells.end(),
                     [](const CellRecord& c) { return !c.wall.samples.empty(); });
}

// The precedence of cli.h: a stop signal, then a failed output, then a FAILED or ERROR row.
int ExitCode(const Report& report, bool output_failed) {
  if (StopSignal() != 0) return kExitSignal + StopSignal();
  if (output_failed) return kExitOutput;
  for (const auto& cell : report.cells)
    if (cell.status == CellStatus::kFailed || cell.status == CellStatus::kError) return kExitFailed;
  return kExitOk;
}

// Progress lines on stderr, timed from t0: when asked for, or when stderr is a terminal.
ProgressFn Progress(bool asked, Clock::time_point t0) {
  if (!asked && !isatty(STDERR_FILENO)) return {};
  return [t0](const std::string& line) {
    std::fprintf(stderr, "squarebench: %6.1fs %s\n", SecondsBetween(t0, Clock::now()),
                 line.c_str());
  };
}

// <results-dir>/<host>, made and checked writable before anything is measured.
std::string SaveDir(const std::string& results_dir) {
  const std::string dir = results_dir + "/" + HostName();
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw UsageError(fmt::format("--results-dir: cannot create '{}': {}", dir, ec.message()));
  const std::string why = CheckWritable(dir + "/report.json");
  if (!why.empty()) throw UsageError("--results-dir: " + why);
  return dir;
}

// Everything a report holds before its cells are measured; the skipped backends are its cells.
Report StartReport(const RunCommand& c, const Plan& plan, std::time_t started) {
  Report report;
  report.tool_version = SQB_VERSION;
  report.started_utc = UtcTime(started, "%Y-%m-%dT%H:%M:%SZ");
  report.command_line = c.command_line;
  const std::vector<const BackendInfo*> used = UsedBackends(plan);
  report.environment = RuntimeEnvironment(used);
  report.settings = Settings(c);
  report.fingerprint = CollectFingerprint(used);
  if (c.measure.injected_slowdown > 0)
    report.fingerprint.warnings.push_back(fmt::format(
        "slowed on purpose: every timed batch stretched by {:.0f}% (--inject-slowdown {})",
        100 * c.measure.injected_slowdown, c.measure.injected_slowdown));
  report.notes = plan.notes;
  report.cells = plan.skipped;
  return report;
}

// Rank 0's plan, spread over the ranks and sent to every rank, or the usage error that stops
// them all (printed by rank 0 alone). Elsewhere: nullopt on an error, else rank 0's plan.
struct Planned {
  std::optional<Plan> plan;
  std::string save_dir;
  std::string error;  // rank 0: the usage error
};
Planned PlanOnRankZero(RunCommand& c, Ranks* ranks, const ProgressFn& progress) {
  Planned out;
  std::string text;
  if (ranks == nullptr || ranks->Rank() == 0) {
    try {
      if (progress) progress("probing the last-level cache");
      c.measure.last_level_cache_bytes = EffectiveLastLevelBytes();
      if (progress) progress("planning");
      MachineLimits limits = CurrentMachineLimits();
      if (ranks) limits.available_memory /= static_cast<std::uint64_t>(ranks->MaxLocalSize());
      Plan plan = MakePlan(c.plan, limits);
      if (ranks) SpreadOverRanks(plan, ranks->Size(), c.mpi_modes, c.mpi_total, limits.caches);
      out.save_dir = c.save ? SaveDir(c.results_dir) : "";
      text = "P" + PlanToText(plan);
      out.plan = std::move(plan);
    } catch (const UsageError& e) {
      if (!ranks) throw;
      out.error = e.what();
      text = "E";
    }
  }
  if (ranks == nullptr) return out;
  text = ranks->Broadcast(text);
  // Every rank measures with rank 0's last-level cache, as it plans with it.
  std::vector<double> cache = {static_cast<double>(c.measure.last_level_cache_bytes)};
  ranks->Max(cache);
  c.measure.last_level_cache_bytes = static_cast<std::uint64_t>(cache[0]);
  if (text[0] == 'E') {
    out.plan.reset();
  } else if (ranks->Rank() != 0) {
    out.plan = PlanFromText(text.substr(1));
  }
  return out;
}

// What one sample's collectives (a barrier and a reduction) cost across the ranks, timed.
double CollectiveSeconds(Ranks& ranks) {
  constexpr int kRounds = 20;
  std::vector<double> values(4);
  ranks.Barrier();
  const auto t0 = Clock::now();
  for (int i = 0; i < kRounds; ++i) {
    ranks.Barrier();
    ranks.Max(values);
  }
  std::vector<double> seconds = {SecondsBetween(t0, Clock::now()) / kRounds};
  ranks.Max(seconds);
  return seconds[0];
}

int RunOnRanks(const RunCommand& command, Ranks* ranks) {
  RunCommand c = command;
  const bool root = ranks == nullptr || ranks->Rank() == 0;
  const auto t0 = Clock::now();
  const ProgressFn progress = root ? Progress(c.progress, t0) : ProgressFn{};
  if (StopRequested() && ranks == nullptr) return StoppedBeforeMeasuring();
  Planned planned = PlanOnRankZero(c, ranks, progress);
  if (!planned.plan) {
    if (root) std::fprintf(stderr, "squarebench: error: %s\n", planned.error.c_str());
    return kExitUsage;
  }
  const Plan& plan = *planned.plan;
  if (StopRequested() && ranks == nullptr) return StoppedBeforeMeasuring();
  // Collectives are outside the timing, but still the job's time: under 1% of every sample.
  const double collective_s = ranks ? CollectiveSeconds(*ranks) : 0;
  const double min_time_s = c.measure.min_time_s;
  c.measure.min_time_s = std::max(min_time_s, 100 * collective_s);

  const std::time_t started = std::time(nullptr);
  Report report = root ? StartReport(c, plan, started) : Report{};
  if (ranks) {
    GatherFingerprints(*ranks, UsedBackends(plan), root ? &report : nullptr);
    if (root) AddRankSettings(c, *ranks, plan, &report);
    if (root)
      report.notes.push_back(fmt::format(
          "MPI: one barrier and one reduction per sample take {:.2f} us across the {} ranks "
          "(timed before measuring); samples last at least {:.3g} ms{}",
          collective_s * 1e6, ranks->Size(), c.measure.min_time_s * 1e3,
          c.measure.min_time_s > min_time_s ? " (raised from --min-time: they stay under 1%)"
                                            : ", so they stay under 1%"));
  }
  c.measure.deadline_s = c.budget_s;
  c.measure.ranks = ranks;
  BudgetUse budget;
  report.complete = MeasurePlan(plan, c.measure, StopRequested(), progress, &report.cells, &budget);
  if (!root) return ExitCode(report, false);
  if (!report.complete && !MeasuredAnything(report)) return StoppedBeforeMeasuring();
  report.wall_seconds = SecondsBetween(t0, Clock::now());
  if (c.budget_s > 0) report.notes.push_back(BudgetNote(c, budget, report.wall_seconds));
  for (CellRecord& cell : report.cells)
    for (std::string& flag : SlowRankFlags(cell, c.slow_below)) cell.flags.push_back(flag);
  const std::string& save_dir = planned.save_dir;

  // The report is saved before anything is printed: `squarebench | head` must not lose it.
  // NO_COLOR counts when set and not empty (no-color.org).
  const char* no_color = std::getenv("NO_COLOR");
  const bool color =
      c.color == "always" || (c.color == "auto" && c.format == Format::kTable && c.out.empty() &&
                              isatty(STDOUT_FILENO) && (no_color == nullptr || *no_color == '\0'));
  TableStyle style{.color = color, .details = c.details};
  bool output_failed = false;
  const auto attempt = [&output_failed](const auto& write) {
    try {
      write();
    } catch (const OutputError& e) {
      std::fprintf(stderr, "squarebench: error: %s\n", e.what());
      output_failed = true;
    }
  };
  if (c.save)
    attempt([&] { style.saved_markdown = SaveReport(report, save_dir, started, c.plot); });
  attempt([&] { WriteResult(c.out, Render(report, c.format, style)); });
  return ExitCode(report, output_failed);
}

}  // namespace

int RunBenchmarks(const RunCommand& command) {
  if (!LaunchFromEnvironment().launched()) return RunOnRanks(command, nullptr);
  std::unique_ptr<Ranks> ranks;
  try {
    ranks = JoinRanks();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "squarebench: error: %s\n", e.what());
    return kExitUsage;
  }
  // Past MPI_Init, a rank that cannot go on must not leave the others waiting in a collective.
  try {
    return RunOnRanks(command, ranks.get());
  } catch (const std::exception& e) {
    const int code = dynamic_cast<const UsageError*>(&e)    ? kExitUsage
                     : dynamic_cast<const OutputError*>(&e) ? kExitOutput
                                                            : kExitFailed;
    std::fprintf(stderr, "squarebench: error: rank %d of %d: %s\n", ranks->Rank(), ranks->Size(),
                 e.what());
    ranks->Abort(code);
    return code;
  }
}

}  // namespace sqb
