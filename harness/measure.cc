// The measurement engine: the harness owns the clock. Setup, calibration, shuffled rounds of
// samples, verification, statistics and flags, for every group of a plan.
#include "harness/measure.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <random>

#include "harness/clock.h"
#include "harness/idle.h"
#include "harness/inputs.h"
#include "harness/lockstep.h"
#include "harness/rank_plan.h"
#include "harness/stats.h"
#include "harness/verify.h"

namespace sqb {
namespace {

constexpr double kWarmupS = 200e-6;     // re-spins workers woken from sleep before a sample
constexpr double kMaxIdleWaitS = 0.25;  // for other threads to stop spinning
constexpr double kLongCallS = 10e-3;    // a call this long needs no warm-up beyond the caches
constexpr double kNoisyErrPct = 5.0;
constexpr double kUnstableRatio = 1.10;
// For deadline planning, what a cell costs at least: besides measuring (allocation, first touch,
// verification, release), per byte of its working set, measured here at 1-3 GB/s and taken at the
// slow end; and its minimum samples plus calibration, at calls no faster than this bandwidth.
constexpr double kOverheadBytesPerSecond = 1.5e9;
constexpr double kSlowBytesPerSecond = 10e9;

// One cell while its group is being measured.
struct Slot {
  const PlannedCell* planned = nullptr;
  CellParams own;  // what this process runs: across MPI ranks, its share and its device
  std::unique_ptr<Cell> cell;
  CellRecord record;        // across MPI ranks: as every rank agrees
  RankRecord rank;          // across MPI ranks: this rank's own samples, status and message
  std::uint64_t calls = 1;  // per sample
  int target_samples = kMinSamples;  // per repetition
  std::size_t repetition_start = 0;  // the index of this repetition's first sample
  int busy_waits = 0;                // samples taken while other threads were still busy
  bool beyond_caches = false;        // working set > 2x the last-level cache and calls >= 10 ms
  bool live() const { return cell != nullptr && record.status == CellStatus::kOk; }
  std::size_t taken() const { return record.wall.samples.size() - repetition_start; }
  bool done() const { return !live() || static_cast<int>(taken()) >= target_samples; }
};

void Fail(Slot& s, CellStatus status, const std::string& stage, const std::string& what) {
  s.record.status = status;
  s.record.message = stage.empty() ? what : stage + ": " + what;
  s.cell.reset();
}

// Runs f under the cell's binding; a throw becomes an ERROR for this cell only.
template <typename F>
bool Guarded(Slot& s, const char* stage, F&& f) {
  try {
    s.cell->Bind();
    f();
    s.cell->Unbind();
    return true;
  } catch (const std::exception& e) {
    try {
      s.cell->Unbind();
    } catch (...) {
    }
    Fail(s, CellStatus::kError, stage, e.what());
    return false;
  }
}

void Setup(Slot& s) {
  const PlannedCell& p = *s.planned;
  try {
    s.cell = p.backend->make_cell(s.own);
    s.cell->Setup(TimedFill(p.params.dtype));
    s.record.placement = s.cell->Placement();
    s.record.summary = s.cell->Summary();
    s.record.choices = s.cell->Choices();
  } catch (const CellUnsupported& e) {
    Fail(s, CellStatus::kSkipped, "", e.what());
  } catch (const std::exception& e) {
    Fail(s, CellStatus::kError, "setup", e.what());
  }
}

// The seconds `calls` calls take, as every process the cell spans agrees (outside the timing);
// with a slowdown injected, the batch spins on the clock for that fraction of its time more.
double TimeCalls(Cell& cell, std::uint64_t calls, double slowdown) {
  const auto t0 = Clock::now();
  for (std::uint64_t i = 0; i < calls; ++i) cell.Run();
  if (slowdown > 0) {
    const auto end = Clock::now();
    const auto until = end + (end - t0) * slowdown;
    while (Clock::now() < until) {
    }
  }
  return cell.AgreeOnSample(SecondsBetween(t0, Clock::now()));
}

// After a step of a cell on every rank: agrees on its seconds and on whether it failed anywhere;
// a failure on one rank fails the cell on all, with that rank's message. Alone: the seconds.
Lockstep::Agreed AgreeStep(Slot& s, Lockstep& l, double seconds, double kernel_seconds = 0) {
  const bool failed = s.record.status != CellStatus::kOk;
  if (failed && s.rank.status == CellStatus::kOk) {
    s.rank.status = s.record.status;
    s.rank.message = s.record.message;
  }
  const Lockstep::Agreed a =
      l.Agree(seconds, kernel_seconds, failed, s.planned->params.mpi_mode == "each");
  if (a.failed_rank >= 0) {
    const auto [status, message] = l.FailureOf(a.failed_rank, s.record.status, s.record.message);
    s.record.status = status;
    s.record.message = fmt::format("rank {}: {}", a.failed_rank, message);
    s.cell.reset();
  }
  return a;
}

// One timed batch of `calls` calls (after warm-up calls when `warm`) on every rank: all at once
// after a barrier, or ("each") one rank after another while the others sleep. Then agreed.
struct Batch {
  double own_s = 0;          // this rank's seconds
  double own_kernel_s = 0;   // this rank's device kernel seconds
  bool started_idle = true;  // no other thread of this process was still busy
  Lockstep::Agreed agreed;
};
Batch RunBatch(Slot& s, Lockstep& l, std::uint64_t calls, bool warm, double slowdown) {
  Batch b;
  const bool each = !l.Alone() && s.planned->params.mpi_mode == "each";
  const auto mine = [&] {
    b.started_idle = WaitUntilOtherThreadsIdle(kMaxIdleWaitS);
    bool started = false;
    Guarded(s, "run", [&] {
      // Warm-up: at least one call (reloads this cell's arrays into the caches other cells of
      // the round evicted them from), and long enough to wake workers that went to sleep.
      if (warm) {
        const auto w0 = Clock::now();
        do s.cell->Run();
        while (SecondsBetween(w0, Clock::now()) < kWarmupS);
      }
      s.cell->TakeKernelSeconds();
      if (!each) l.StartTogether();
      started = true;
      b.own_s = TimeCalls(*s.cell, calls, slowdown);
      b.own_kernel_s = s.cell->TakeKernelSeconds();
    });
    if (!each && !started) l.StartTogether();  // the others wait there
  };
  if (each) {
    l.InTurns(mine);
  } else {
    mine();
  }
  b.agreed = AgreeStep(s, l, b.own_s, b.own_kernel_s);
  return b;
}

// Finds the calls per sample that make a sample last >= the minimum sample time on the slowest
// rank, and how many samples the cell's budget allows.
void Calibrate(Slot& s, Lockstep& l, const MeasureSettings& m) {
  const double min_sample = std::max(m.min_time_s, 1000 * MeasuredTimer().resolution_s);
  // The first call is also the cold-start warm-up.
  double per_call = RunBatch(s, l, 1, false, m.injected_slowdown).agreed.max_s;
  s.calls = 1;
  for (int i = 0; i < 3 && s.live() && per_call * static_cast<double>(s.calls) < min_sample; ++i) {
    const double want = min_sample / std::max(per_call, 1e-9);
    s.calls = std::max<std::uint64_t>(s.calls, static_cast<std::uint64_t>(std::ceil(want * 1.1)));
    per_call = RunBatch(s, l, s.calls, false, m.injected_slowdown).agreed.max_s /
               static_cast<double>(s.calls);
  }
  if (!s.live()) return;
  s.record.calls_per_sample = s.calls;
  // A cell whose arrays cannot stay in any cache and whose call is long has nothing to warm:
  // waking workers costs < 1% of such a call.
  s.beyond_caches = m.last_level_cache_bytes > 0 &&
                    s.own.BytesPerCall() > 2 * m.last_level_cache_bytes && per_call >= kLongCallS;
  const double warm_calls = s.beyond_caches ? 0 : 1;
  const double turns = s.planned->params.mpi_mode == "each" ? l.Size() : 1;
  const double per_sample = turns * (static_cast<double>(s.calls) + warm_calls) * per_call + 1e-3;
  const int affordable = static_cast<int>(m.max_time_s / per_sample);
  s.target_samples = std::clamp(affordable, kMinSamples, std::max(kMinSamples, m.samples));
}

// A later repetition keeps the first one's calls per sample and sample target: one cold call.
void Rewarm(Slot& s, Lockstep& l) { RunBatch(s, l, 1, false, 0); }

void TakeSample(Slot& s, Lockstep& l, double slowdown) {
  const Batch b = RunBatch(s, l, s.calls, !s.beyond_caches, slowdown);
  if (!b.started_idle) ++s.busy_waits;
  if (!s.live()) return;
  const double calls = static_cast<double>(s.calls);
  // "each": the ranks ran one after another, so the cell's time is theirs added.
  const bool each = s.planned->params.mpi_mode == "each";
  s.record.wall.samples.push_back((each ? b.agreed.sum_s : b.agreed.max_s) / calls);
  s.rank.wall.samples.push_back(b.own_s / calls);
  if (s.cell->HasKernelTime()) {
    if (!s.record.kernel_only) s.record.kernel_only.emplace();
    s.record.kernel_only->samples.push_back(b.agreed.kernel_s / calls);
  }
}

// A cell whose backend tracks who ran, and that ran on fewer threads than it was given: its rate
// is not the rate of that many threads.
void FlagMissingThreads(Slot& s) {
  const std::optional<Participation> ran = s.cell->LastParticipation();
  const int asked = s.planned->params.threads;
  if (!ran || ran->threads >= asked) return;
  const std::string flag = fmt::format("ran on {} of {} threads", ran->threads, asked);
  auto& flags = s.record.flags;
  if (std::find(flags.begin(), flags.end(), flag) == flags.end()) flags.push_back(flag);
}

void Verify(Slot& s) {
  try {
    const HostArrays arrays = s.cell->ReadBack();
    const auto bad = FindMismatch(s.record.params.dtype, s.record.operation, arrays,
                                  s.planned->backend->CanonicalizesNan(s.record.params.dtype));
    if (bad) Fail(s, CellStatus::kFailed, "", "wrong result: " + bad->Describe());
  } catch (const std::exception& e) {
    Fail(s, CellStatus::kError, "read-back", e.what());
  }
}

void Verify(Slot& s, Lockstep& l) {
  Verify(s);
  AgreeStep(s, l, 0);
}

void Finish(Slot& s, int repeat) {
  CellRecord& r = s.record;
  const std::size_t taken = r.wall.samples.size();
  if (taken == 0) return;
  r.wall.stats = Summarize(r.wall.samples);
  if (r.kernel_only) r.kernel_only->stats = Summarize(r.kernel_only->samples);
  const SampleStats& st = r.wall.stats;
  if (st.err_pct > kNoisyErrPct)
    r.flags.push_back(fmt::format("noisy: err {:.1f}% > {:.0f}%", st.err_pct, kNoisyErrPct));
  if (st.median > kUnstableRatio * st.best)
    r.flags.push_back(
        fmt::format("unstable: median/best {:.2f} > {:.2f}", st.median / st.best, kUnstableRatio));
  if (st.outliers > 0)
    r.flags.push_back(fmt::format("{} outlier(s): modified z-score > 10", st.outliers));
  const std::size_t wanted =
      static_cast<std::size_t>(s.target_samples) * static_cast<std::size_t>(repeat);
  if (taken < wanted) r.flags.push_back(fmt::format("incomplete: {} of {} samples", taken, wanted));
  if (s.busy_waits > 0)
    r.flags.push_back(
        fmt::format("{} sample(s) started while other threads were still busy", s.busy_waits));
}

// Across MPI ranks: every rank's own row of the cell, to rank 0's record.
void GatherRankRows(Slot& s, Lockstep& l) {
  std::vector<RankRecord> rows = l.Gather(s.rank);
  for (RankRecord& row : rows)
    if (!row.wall.samples.empty()) row.wall.stats = Summarize(row.wall.samples);
  s.record.ranks = std::move(rows);
}

std::string Describe(const SizeGroup& g) {
  return fmt::format("{} {} elements ({}), {} cell(s){}", Name(g.dtype), FormatCount(g.elements),
                     g.level, g.cells.size(),
                     g.cells_at_once < g.cells.size()
                         ? fmt::format(", {} at a time", g.cells_at_once)
                         : std::string());
}

// Measures one repetition of the slots in [first, last) together: calibrate (the first) or warm
// up (later ones), then shuffled rounds until each has its samples. Returns false when stopped.
bool MeasureTogether(std::vector<Slot>& slots, std::size_t first, std::size_t last,
                     const MeasureSettings& m, bool first_repetition, Lockstep& l,
                     std::mt19937_64& rng) {
  for (std::size_t i = first; i < last; ++i) {
    if (l.Stopped()) return false;
    if (!slots[i].live()) continue;
    if (first_repetition) {
      Calibrate(slots[i], l, m);
    } else {
      Rewarm(slots[i], l);
    }
  }
  std::vector<std::size_t> order;
  for (;;) {
    order.clear();
    for (std::size_t i = first; i < last; ++i)
      if (!slots[i].done()) order.push_back(i);
    if (order.empty()) return true;
    std::shuffle(order.begin(), order.end(), rng);
    for (std::size_t i : order) {
      if (l.Stopped()) return false;
      TakeSample(slots[i], l, m.injected_slowdown);
    }
  }
}

// The measuring budget for each cell of group gi that lets groups gi.. of the plan end within
// `seconds`: the group's minimum plus an even share of what the minimums of all the rest leave.
double CellBudget(const Plan& plan, std::size_t gi, double seconds, const MeasureSettings& m) {
  const auto bytes = [](const SizeGroup& g) {
    return static_cast<double>(g.cells.front().params.BytesPerCall());
  };
  const auto minimum_measuring = [&](const SizeGroup& g) {
    return (kMinSamples + 2) * std::max(m.min_time_s, bytes(g) / kSlowBytesPerSecond);
  };
  double minimum = 0;
  std::size_t cells = 0;
  for (std::size_t i = gi; i < plan.groups.size(); ++i) {
    const SizeGroup& g = plan.groups[i];
    if (g.cells.empty()) continue;
    cells += g.cells.size();
    minimum += static_cast<double>(g.cells.size()) *
               (bytes(g) / kOverheadBytesPerSecond + minimum_measuring(g));
  }
  if (cells == 0 || plan.groups[gi].cells.empty()) return 0;
  const double slack = std::max(0.0, seconds - minimum) / static_cast<double>(cells);
  return minimum_measuring(plan.groups[gi]) + slack;
}

}  // namespace

bool MeasurePlan(const Plan& plan, const MeasureSettings& settings, const std::atomic<bool>& stop,
                 const ProgressFn& progress, std::vector<CellRecord>* cells,
                 BudgetUse* budget_use) {
  std::mt19937_64 rng(settings.seed);
  Lockstep l(settings.ranks, stop);
  const std::string host = settings.ranks ? settings.ranks->Host() : "";
  const std::string cpus = settings.ranks ? ProcessCpuList() : "";
  bool completed = true;
  const auto start = Clock::now();
  std::size_t total_cells = 0, cells_done = 0;
  for (const SizeGroup& g : plan.groups) total_cells += g.cells.size();
  BudgetUse use;
  for (std::size_t gi = 0; gi < plan.groups.size(); ++gi) {
    const SizeGroup& g = plan.groups[gi];
    // Rank 0's budget decisions are every rank's: the slowest rank's clock decides.
    const double elapsed = l.Max(SecondsBetween(start, Clock::now()));
    MeasureSettings m = settings;
    if (settings.deadline_s > 0) {
      // Per repetition: each repetition of a cell gets an equal share of its budget.
      const double left = (settings.deadline_s - elapsed) / std::max(1, settings.repeat);
      m.max_time_s = std::min(settings.max_time_s, CellBudget(plan, gi, left, settings));
      use.min_cell_budget_s =
          gi == 0 ? m.max_time_s : std::min(use.min_cell_budget_s, m.max_time_s);
      use.max_cell_budget_s = std::max(use.max_cell_budget_s, m.max_time_s);
      use.cut = use.cut || m.max_time_s < settings.max_time_s;
    }
    if (progress) {
      // With a deadline, the time to it; else the time so far, pro rata of the cells left.
      const double left = settings.deadline_s > 0 ? std::max(0.0, settings.deadline_s - elapsed)
                          : cells_done == 0       ? -1
                                                  : elapsed / static_cast<double>(cells_done) *
                                                  static_cast<double>(total_cells - cells_done);
      progress(fmt::format("[{}/{}] {}; cells {}/{} done{}", gi + 1, plan.groups.size(),
                           Describe(g), cells_done, total_cells,
                           left < 0 ? "" : fmt::format(", ~{:.0f} s left", left)));
    }
    cells_done += g.cells.size();
    std::vector<Slot> slots(g.cells.size());
    for (std::size_t i = 0; i < slots.size(); ++i) {
      slots[i].planned = &g.cells[i];
      slots[i].own = OwnParams(g.cells[i], settings.ranks);
      slots[i].rank = {.rank = l.Rank(),
                       .host = host,
                       .cpus = cpus,
                       .device = slots[i].own.variant,
                       .elements = slots[i].own.elements};
      if (!g.cells[i].backend->variant_is_device) slots[i].rank.device.clear();
      slots[i].record.params = g.cells[i].params;
      slots[i].record.operation = g.cells[i].backend->operation;
      slots[i].record.level = g.cells[i].level;
      slots[i].record.ceiling_set = g.cells[i].ceiling_set;
      slots[i].record.on_device = g.cells[i].backend->variant_is_device;
    }
    // Per batch and repetition: every cell of the batch set up afresh, rounds over the batch, each
    // cell verified and released; repetitions, then batches, one after another.
    const std::size_t step = std::max<std::size_t>(1, g.cells_at_once);
    for (std::size_t first = 0; first < slots.size(); first += step) {
      const std::size_t last = std::min(slots.size(), first + step);
      for (int rep = 0; rep < m.repeat; ++rep) {
        for (std::size_t i = first; i < last; ++i) {
          Slot& s = slots[i];
          s.repetition_start = s.record.wall.samples.size();
          if (l.Stopped()) completed = false;
          if (completed && s.record.status == CellStatus::kOk) {
            Setup(s);
            AgreeStep(s, l, 0);
          }
        }
        if (completed && !MeasureTogether(slots, first, last, m, rep == 0, l, rng))
          completed = false;
        for (std::size_t i = first; i < last; ++i) {
          Slot& s = slots[i];
          if (s.live() && s.taken() > 0) {
            s.record.repetitions.push_back(s.taken());
            s.record.events = s.cell->Events();
            FlagMissingThreads(s);
            Verify(s, l);
          }
          s.cell.reset();
        }
      }
      for (std::size_t i = first; i < last; ++i) {
        Slot& s = slots[i];
        Finish(s, m.repeat);
        if (s.record.status == CellStatus::kOk && s.record.wall.samples.empty()) {
          s.record.status = CellStatus::kSkipped;
          s.record.message = "not measured: run interrupted";
        }
      }
    }
    for (auto& s : slots) {
      if (settings.ranks) GatherRankRows(s, l);
      cells->push_back(std::move(s.record));
    }
  }
  if (budget_use != nullptr) *budget_use = use;
  return completed;
}

}  // namespace sqb
