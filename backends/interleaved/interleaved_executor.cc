// The interleaved executor: concurrency without parallelism. G cooperative tasks on one thread
// take turns, each computing a quantum of Q elements between switches.
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <exception>

#include "squarebench/affinity.h"
#include "squarebench/cell_params.h"
#include "squarebench/clock.h"
#include "squarebench/executor.h"
#include "squarebench/format.h"
#include "squarebench/registration.h"
#include "task_ring.h"

namespace sqb {
namespace {

const KnobInfo kTasksKnob{.name = "tasks",
                          .default_value = "16",
                          .description = "interleaved: cooperative tasks taking turns on one core",
                          .min_count = 1,
                          .max_count = 1'000'000};
const KnobInfo kQuantumKnob{.name = "quantum",
                            .default_value = "4096",
                            .description = "interleaved: elements a task computes between switches",
                            .min_count = 1,
                            .max_count = kMaxElements};
const KnobInfo kPrefetchKnob{
    .name = "prefetch",
    .values = {"off", "on"},
    .default_value = "off",
    .description = "interleaved: prefetch a task's next quantum of x before it yields"};

std::uint64_t CountKnob(const CellParams& p, const KnobInfo& knob) {
  std::string text = KnobValue(p, knob.name);
  if (text.empty()) text = knob.default_value;
  std::uint64_t v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v < knob.min_count ||
      v > knob.max_count)
    throw CellError(fmt::format("invalid {} '{}'", knob.name, text));
  return v;
}

class InterleavedExecutor final : public Executor {
 public:
  explicit InterleavedExecutor(const CellParams& p)
      : quantum_(CountKnob(p, kQuantumKnob)),
        prefetch_(KnobValue(p, kPrefetchKnob.name) == "on"),
        pin_(p.binding == Binding::kCores),
        ring_(CountKnob(p, kTasksKnob)) {
    tasks_.reserve(ring_.capacity());
    while (tasks_.size() < ring_.capacity()) tasks_.push_back(Worker());
  }

  // Every task is made runnable, then the ring runs until all have parked again. Quanta are
  // claimed in order from one cursor, so each is claimed exactly once and, since a task holds its
  // claim across one full turn of the ring, they are computed in order too.
  void ForEachRange(std::size_t n, RangeFn body, RangeFn prefetch) override {
    job_ = {n, 0, &body, &prefetch};
    for (const Task& t : tasks_) ring_.Push(t.handle());
    resumes_ = ring_.RunUntilEmpty();
    switches_ = resumes_ - tasks_.size();  // every resume but each task's first is after a yield
    job_ = {};
    if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
  }

  // The one thread is the calling one, pinned as the serial executor pins it, so that the two
  // compare like for like. The cost of a resume is calibrated here, pinned and untimed, once.
  void Bind() override {
    if (pin_) PinCurrentThread(BindingCpu(0));
    if (resume_cost_s_ == 0) resume_cost_s_ = CalibrateResumeCost();
  }
  void Unbind() override {
    if (pin_) RestoreCurrentThread();
  }

  std::string Placement() const override { return DescribePlacement(pin_, 1); }
  bool OnCallingThreadOnly() const override { return true; }
  std::string Summary() const override {
    return fmt::format("{} tasks x {}, {}, prefetch {}", tasks_.size(), FormatCount(quantum_),
                       pin_ ? fmt::format("cpu {}", BindingCpu(0)) : "unpinned",
                       prefetch_ ? "on" : "off");
  }
  // A switch is a yield from one task to the next; a resume is any pass through the ring, which
  // also counts each task's start and its last look for work. Resumes are what scheduling costs:
  // with fewer quanta than tasks most of them find nothing to do.
  std::vector<EventCount> Events() const override {
    return {{"switches", static_cast<double>(switches_), 0},
            {"resumes", static_cast<double>(resumes_), resume_cost_s_}};
  }

 private:
  struct Job {
    std::size_t n = 0;
    std::size_t next = 0;  // the claim cursor
    const RangeFn* body = nullptr;
    const RangeFn* prefetch = nullptr;
  };

  // Claim a quantum; prefetch it; yield, so the other tasks run while its lines arrive; compute
  // it; again. Parks when nothing is left to claim, ready for the next call.
  Task Worker() {
    for (;;) {
      for (Range r = Claim(); r.begin < r.end; r = Claim()) {
        if (prefetch_) (*job_.prefetch)(r.begin, r.end);
        co_await ring_.Yield();
        Compute(r);
      }
      co_await TaskRing::Park();
    }
  }

  Range Claim() {
    if (error_ || job_.next >= job_.n) return {0, 0};
    const std::size_t begin = job_.next;
    job_.next = begin + std::min<std::size_t>(quantum_, job_.n - begin);
    return {begin, job_.next};
  }

  // An exception may not leave a coroutine body: the first is kept, claiming and computing stop,
  // every task parks, and ForEachRange rethrows it.
  void Compute(Range r) {
    if (error_) return;
    try {
      (*job_.body)(r.begin, r.end);
    } catch (...) {
      if (!error_) error_ = std::current_exception();
    }
  }

  // Seconds per resume with empty tasks: quantum 1, a body that does nothing, so that nearly every
  // resume follows a switch. The median of a few repetitions, each long enough for the clock and
  // short enough to stay cheap.
  double CalibrateResumeCost() {
    const std::size_t saved_quantum = quantum_;
    const bool saved_prefetch = prefetch_;
    quantum_ = 1;
    prefetch_ = false;
    const std::size_t n = std::max<std::size_t>(4 * tasks_.size(), 1 << 16);
    const auto nothing = [](std::size_t, std::size_t) {};
    std::vector<double> costs;
    for (int i = 0; i < 7; ++i) {
      const auto t0 = Clock::now();
      ForEachRange(n, nothing, nothing);
      costs.push_back(SecondsBetween(t0, Clock::now()) / static_cast<double>(resumes_));
    }
    quantum_ = saved_quantum;
    prefetch_ = saved_prefetch;
    std::nth_element(costs.begin(), costs.begin() + 3, costs.end());
    return costs[3];
  }

  std::size_t quantum_;
  bool prefetch_;
  bool pin_;
  TaskRing ring_;
  std::vector<Task> tasks_;
  Job job_;
  std::exception_ptr error_;
  std::uint64_t switches_ = 0;  // of the last call
  std::uint64_t resumes_ = 0;   // of the last call
  double resume_cost_s_ = 0;    // calibrated on first Bind
};

SQB_REGISTER_EXECUTOR((ExecutorInfo{
    .name = "interleaved",
    .description = "C++20 coroutines taking turns on one core (concurrency, no parallelism)",
    .parallel = false,
    .in_default_run = true,
    .knobs = {kTasksKnob, kQuantumKnob, kPrefetchKnob},
    .unavailable_reason = [] { return std::string(); },
    .make = [](const CellParams& p) -> std::unique_ptr<Executor> {
      return std::make_unique<InterleavedExecutor>(p);
    },
}));

}  // namespace
}  // namespace sqb
