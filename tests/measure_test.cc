// The measurement engine with fake backends: device time, errors, wrong results, sample floors,
// balanced pinning and interruption, and lock-step across (scripted) MPI ranks. Checks structure,
// never speed.
#include "harness/measure.h"

#include <gtest/gtest.h>

#include <chrono>
#include <vector>

#include "harness/clock.h"
#include "harness/rank_messages.h"

namespace sqb {
namespace {

// Behaviour of a fake cell, chosen per test.
struct FakeBehaviour {
  bool throw_in_setup = false;
  bool throw_in_run = false;
  std::size_t wrong_index = SIZE_MAX;  // this element gets a wrong value
  double kernel_seconds_per_call = 0;  // > 0: acts as a device backend
  int wrong_in_cell = 0;               // > 0: the n-th cell made computes a wrong value
  double spin_s = 0;                   // each call spins this long on the clock
};

struct Counters {
  int binds = 0;
  int unbinds = 0;
  int made = 0;
  int read_backs = 0;
};

class FakeCell final : public Cell {
 public:
  FakeCell(const CellParams& p, FakeBehaviour b, Counters* c) : n_(p.elements), b_(b), c_(c) {
    if (++c_->made == b_.wrong_in_cell) b_.wrong_index = 3;
  }
  void Setup(const FillFn& fill) override {
    if (b_.throw_in_setup) throw CellError("no device");
    x_.resize(n_);
    y_.resize(n_);
    fill(0, n_, x_.data(), y_.data());
  }
  void Bind() override { ++c_->binds; }
  void Unbind() override { ++c_->unbinds; }
  void Run() override {
    if (b_.throw_in_run) throw CellError("device lost");
    for (std::size_t i = 0; i < n_; ++i) y_[i] = x_[i] * x_[i] + (i == b_.wrong_index ? 1.f : 0.f);
    kernel_ += b_.kernel_seconds_per_call;
    const auto until = Clock::now() + std::chrono::duration<double>(b_.spin_s);
    while (b_.spin_s > 0 && Clock::now() < until) {
    }
  }
  HostArrays ReadBack() override {
    ++c_->read_backs;
    return {x_.data(), y_.data(), n_};
  }
  bool HasKernelTime() const override { return b_.kernel_seconds_per_call > 0; }
  double TakeKernelSeconds() override { return std::exchange(kernel_, 0.0); }

 private:
  std::size_t n_;
  FakeBehaviour b_;
  Counters* c_;
  std::vector<float> x_, y_;
  double kernel_ = 0;
};

class MeasureTest : public ::testing::Test {
 protected:
  // Adds a fake backend (not registered anywhere) as one cell of a single f32 group.
  void Add(const std::string& name, FakeBehaviour b, const std::string& mpi_mode = "") {
    auto info = std::make_unique<BackendInfo>();
    info->name = name;
    info->make_cell = [this, b](const CellParams& p) {
      return std::make_unique<FakeCell>(p, b, &counters_);
    };
    PlannedCell c{info.get(), {}};
    c.params.backend = name;
    c.params.elements = 64;
    c.params.mpi_mode = mpi_mode;
    c.params.ranks = mpi_mode.empty() ? 1 : 2;
    infos_.push_back(std::move(info));
    group_.cells.push_back(c);
  }

  std::vector<CellRecord> Measure(const MeasureSettings& m, bool stop_at_once = false) {
    group_.elements = 64;
    Plan plan;
    plan.groups.push_back(group_);
    std::atomic<bool> stop{stop_at_once};
    std::vector<CellRecord> cells;
    completed_ = MeasurePlan(plan, m, stop, nullptr, &cells);
    return cells;
  }

  MeasureSettings Fast() {
    MeasureSettings m;
    m.min_time_s = 1e-4;
    m.max_time_s = 1e-3;  // too small for 9 samples: the floor must still hold
    return m;
  }

  // The cells added so far, measured in lock-step with `ranks` (ScriptedRanks, below).
  std::vector<CellRecord> MeasureOnRanks(Ranks& ranks) {
    MeasureSettings m = Fast();
    m.ranks = &ranks;
    return Measure(m);
  }

  Counters counters_;
  std::vector<std::unique_ptr<BackendInfo>> infos_;
  SizeGroup group_;
  bool completed_ = false;
};

TEST_F(MeasureTest, GoodCellIsVerifiedWithAtLeastNineSamples) {
  Add("good", {});
  const auto cells = Measure(Fast());
  ASSERT_EQ(cells.size(), 1u);
  EXPECT_TRUE(completed_);
  EXPECT_EQ(cells[0].status, CellStatus::kOk) << cells[0].message;
  EXPECT_GE(cells[0].wall.samples.size(), static_cast<std::size_t>(kMinSamples));
  EXPECT_EQ(cells[0].wall.stats.n, cells[0].wall.samples.size());
  EXPECT_GE(cells[0].calls_per_sample, 1u);
  EXPECT_FALSE(cells[0].kernel_only.has_value());
}

TEST_F(MeasureTest, SamplesTargetIsHonouredWhenTheBudgetAllows) {
  Add("good", {});
  MeasureSettings m = Fast();
  m.samples = 12;
  m.max_time_s = 10;
  EXPECT_EQ(Measure(m)[0].wall.samples.size(), 12u);
}

TEST_F(MeasureTest, WrongResultIsFailedWithTheFirstBadIndex) {
  Add("wrong", {.wrong_index = 5});
  const auto cells = Measure(Fast());
  EXPECT_EQ(cells[0].status, CellStatus::kFailed);
  EXPECT_NE(cells[0].message.find("y[5]"), std::string::npos) << cells[0].message;
}

TEST_F(MeasureTest, ErrorsFailOneCellAndTheRunGoesOn) {
  Add("setup_throws", {.throw_in_setup = true});
  Add("run_throws", {.throw_in_run = true});
  Add("good", {});
  const auto cells = Measure(Fast());
  ASSERT_EQ(cells.size(), 3u);
  EXPECT_EQ(cells[0].status, CellStatus::kError);
  EXPECT_EQ(cells[0].message, "setup: no device");
  EXPECT_EQ(cells[1].status, CellStatus::kError);
  EXPECT_EQ(cells[1].message, "run: device lost");
  EXPECT_EQ(cells[2].status, CellStatus::kOk);
}

TEST_F(MeasureTest, DeviceKernelTimeIsReportedPerCallNextToWallTime) {
  constexpr double kPerCall = 1.0 / (1 << 20);  // a power of two: sums and quotients are exact
  Add("device", {.kernel_seconds_per_call = kPerCall});
  const auto cells = Measure(Fast());
  ASSERT_TRUE(cells[0].kernel_only.has_value());
  ASSERT_EQ(cells[0].kernel_only->samples.size(), cells[0].wall.samples.size());
  for (double s : cells[0].kernel_only->samples) EXPECT_EQ(s, kPerCall);
  EXPECT_EQ(cells[0].kernel_only->stats.median, kPerCall);
}

TEST_F(MeasureTest, RepetitionsAreFreshCellsEachVerified) {
  Add("good", {});
  MeasureSettings m = Fast();
  m.repeat = 3;
  const auto cells = Measure(m);
  EXPECT_EQ(counters_.made, 3) << "a new cell (arrays, executor) per repetition";
  EXPECT_EQ(counters_.read_backs, 3) << "each repetition verified";
  ASSERT_EQ(cells[0].repetitions.size(), 3u);
  std::size_t sum = 0;
  for (std::size_t n : cells[0].repetitions) {
    EXPECT_GE(n, static_cast<std::size_t>(kMinSamples));
    sum += n;
  }
  EXPECT_EQ(sum, cells[0].wall.samples.size());
  EXPECT_EQ(cells[0].wall.stats.n, sum) << "the stats pool the repetitions";
}

TEST_F(MeasureTest, AWrongLaterRepetitionFailsTheCell) {
  Add("wrong_second", {.wrong_in_cell = 2});
  MeasureSettings m = Fast();
  m.repeat = 3;
  const auto cells = Measure(m);
  EXPECT_EQ(cells[0].status, CellStatus::kFailed);
  EXPECT_EQ(counters_.made, 2) << "no third repetition of a FAILED cell";
  EXPECT_EQ(cells[0].repetitions.size(), 2u);
}

TEST_F(MeasureTest, InjectedSlowdownStretchesEveryTimedBatch) {
  constexpr double kSpin = 50e-6;
  Add("spinning", {.spin_s = kSpin});
  MeasureSettings m = Fast();
  m.injected_slowdown = 1.0;  // twice as long: a bound that no noise can break
  const auto cells = Measure(m);
  ASSERT_FALSE(cells[0].wall.samples.empty());
  for (double s : cells[0].wall.samples) EXPECT_GE(s, 2 * kSpin);
}

TEST_F(MeasureTest, EveryBindIsUndone) {
  Add("a", {});
  Add("b", {.throw_in_run = true});
  Measure(Fast());
  EXPECT_GT(counters_.binds, 0);
  EXPECT_EQ(counters_.binds, counters_.unbinds);
}

TEST_F(MeasureTest, InterruptedRunKeepsItsCellsAndSaysSo) {
  Add("a", {});
  const auto cells = Measure(Fast(), /*stop_at_once=*/true);
  EXPECT_FALSE(completed_);
  ASSERT_EQ(cells.size(), 1u);
  EXPECT_EQ(cells[0].status, CellStatus::kSkipped);
  EXPECT_NE(cells[0].message.find("interrupted"), std::string::npos);
}

// Rank 0 of two, the other rank scripted: its batches take twice as long as this rank's, and
// from the `fail_at`-th agreement on it fails (its message "device lost on rank 1"), or from the
// `stop_at`-th it was asked to stop.
class ScriptedRanks final : public Ranks {
 public:
  int Size() const override { return 2; }
  void Max(std::vector<double>& v) override {
    v[0] *= 2;
    if (v.size() < 4) return;  // not an agreement on a step
    ++agreements_;
    if (fail_at > 0 && agreements_ >= fail_at) v[2] = std::max(v[2], 1.0);  // size - rank 1
    if (stop_at > 0 && agreements_ >= stop_at) v[3] = 1;
  }
  void Sum(std::vector<double>& v) override { v[0] *= 3; }  // + the other rank's 2x
  std::string Broadcast(const std::string& text, int root) override {
    return root == 1 ? "2device lost on rank 1" : text;  // '2': ERROR
  }
  std::vector<std::string> Gather(const std::string& mine) override {
    RankRecord other = RankRowFromText(mine);
    other.rank = 1;
    other.host = "b";
    for (double& s : other.wall.samples) s *= 2;
    return {mine, RankRowToText(other)};
  }
  int fail_at = 0, stop_at = 0;

 private:
  int agreements_ = 0;
};

TEST_F(MeasureTest, TogetherTheSlowestRankTimesEachSampleAndEveryRankHasItsRow) {
  Add("good", {}, "together");
  ScriptedRanks ranks;
  const auto cells = MeasureOnRanks(ranks);
  ASSERT_EQ(cells[0].status, CellStatus::kOk) << cells[0].message;
  ASSERT_EQ(cells[0].ranks.size(), 2u);
  const RankRecord& mine = cells[0].ranks[0];
  EXPECT_EQ(mine.elements, 32u) << "this rank's half of the 64";
  EXPECT_EQ(cells[0].ranks[1].host, "b");
  ASSERT_EQ(mine.wall.samples.size(), cells[0].wall.samples.size());
  for (std::size_t i = 0; i < mine.wall.samples.size(); ++i)
    EXPECT_DOUBLE_EQ(cells[0].wall.samples[i], 2 * mine.wall.samples[i]);
  EXPECT_EQ(mine.wall.stats.n, mine.wall.samples.size());
}

TEST_F(MeasureTest, EachTheRanksTimesAreAdded) {
  Add("good", {}, "each");
  ScriptedRanks ranks;
  const auto cells = MeasureOnRanks(ranks);
  ASSERT_EQ(cells[0].status, CellStatus::kOk) << cells[0].message;
  const RankRecord& mine = cells[0].ranks[0];
  for (std::size_t i = 0; i < mine.wall.samples.size(); ++i)
    EXPECT_DOUBLE_EQ(cells[0].wall.samples[i], 3 * mine.wall.samples[i]);
}

TEST_F(MeasureTest, AFailureOnAnotherRankFailsTheCellHereAndNamesTheRank) {
  Add("good", {}, "together");
  Add("also good", {}, "together");
  ScriptedRanks ranks;
  ranks.fail_at = 4;  // the first cell's set-up and first batches pass
  const auto cells = MeasureOnRanks(ranks);
  ASSERT_EQ(cells.size(), 2u);
  for (const CellRecord& c : cells) {
    EXPECT_EQ(c.status, CellStatus::kError);
    EXPECT_EQ(c.message, "rank 1: device lost on rank 1");
    ASSERT_EQ(c.ranks.size(), 2u);
    EXPECT_EQ(c.ranks[0].status, CellStatus::kOk) << "this rank did not fail";
  }
  EXPECT_EQ(counters_.binds, counters_.unbinds);
}

TEST_F(MeasureTest, AStopOnAnotherRankStopsThisOneAfterTheSample) {
  Add("good", {}, "together");
  ScriptedRanks ranks;
  ranks.stop_at = 6;
  const auto cells = MeasureOnRanks(ranks);
  EXPECT_FALSE(completed_);
  EXPECT_LT(cells[0].wall.samples.size(), static_cast<std::size_t>(kMinSamples));
}

}  // namespace
}  // namespace sqb
