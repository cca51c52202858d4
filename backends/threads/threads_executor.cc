// The threads executor, the post's threading.Thread model: every call starts one std::thread per
// range and joins them all before returning.
#include <algorithm>
#include <exception>
#include <mutex>
#include <optional>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "squarebench/affinity.h"
#include "squarebench/clock.h"
#include "squarebench/executor.h"
#include "squarebench/registration.h"

namespace sqb {
namespace {

class ThreadsExecutor final : public Executor {
 public:
  explicit ThreadsExecutor(const CellParams& p)
      : threads_(p.threads), pin_(p.binding == Binding::kCores) {
    team_.reserve(static_cast<std::size_t>(threads_));
  }

  // Same static split as openmp and tbb. Under binding cores each new thread pins itself first:
  // a thread per task pays for its placement on every call, and that is part of what is measured.
  void ForEachRange(std::size_t n, RangeFn body, RangeFn) override {
    std::exception_ptr error;
    std::mutex error_mutex;
    std::vector<std::thread>& team = team_;  // kept between calls: only the threads are new
    team.clear();
    started_ = 0;
    try {
      for (int i = 0; i < threads_; ++i) {
        const Range r = StaticRange(n, static_cast<std::size_t>(threads_), i);
        if (r.begin >= r.end) continue;
        const int cpu = pin_ ? BindingCpu(i) : -1;
        team.emplace_back([&, r, cpu] {
          if (cpu >= 0) PinCurrentThread(cpu);
          try {
            body(r.begin, r.end);
          } catch (...) {
            std::lock_guard lock(error_mutex);
            if (!error) error = std::current_exception();
          }
        });
        ++started_;
      }
    } catch (const std::system_error& e) {
      for (auto& t : team) t.join();
      throw CellError(std::string("cannot start a thread: ") + e.what());
    }
    for (auto& t : team) t.join();
    if (error) std::rethrow_exception(error);
  }

  // The cost of starting and joining one thread is calibrated here, untimed, once: a call of
  // empty ranges, per thread started, the median of a few.
  void Bind() override {
    if (start_cost_s_ > 0) return;
    const auto nothing = [](std::size_t, std::size_t) {};
    const std::size_t n = kSplitAlign * static_cast<std::size_t>(threads_);
    std::vector<double> costs;
    for (int i = 0; i < 9; ++i) {
      const auto t0 = Clock::now();
      ForEachRange(n, nothing, nothing);
      costs.push_back(SecondsBetween(t0, Clock::now()) / std::max(1, started_));
    }
    std::nth_element(costs.begin(), costs.begin() + 4, costs.end());
    start_cost_s_ = costs[4];
  }

  std::string Placement() const override { return DescribePlacement(pin_, threads_); }
  std::vector<EventCount> Events() const override {
    return {{"thread starts", static_cast<double>(started_), start_cost_s_}};
  }
  std::optional<Participation> LastParticipation() const override {
    return Participation{.threads = started_};
  }

 private:
  int threads_;
  bool pin_;
  std::vector<std::thread> team_;
  int started_ = 0;          // threads the last call started
  double start_cost_s_ = 0;  // one thread's start and join, calibrated on first Bind
};

SQB_REGISTER_EXECUTOR((ExecutorInfo{
    .name = "threads",
    .description = "a new std::thread per range on every call, joined before it returns",
    .parallel = true,
    .in_default_run = false,
    .unavailable_reason = [] { return std::string(); },
    .make = [](const CellParams& p) -> std::unique_ptr<Executor> {
      return std::make_unique<ThreadsExecutor>(p);
    },
}));

}  // namespace
}  // namespace sqb
