// The OpenMP executor: one parallel region per call, each thread a fixed contiguous range.
#include <dlfcn.h>
#include <fmt/format.h>
#include <omp.h>

#include <algorithm>
#include <exception>
#include <optional>
#include <string_view>
#include <utility>

#include "squarebench/affinity.h"
#include "squarebench/executor.h"
#include "squarebench/registration.h"

namespace sqb {
namespace {

class OpenMpExecutor final : public Executor {
 public:
  explicit OpenMpExecutor(const CellParams& p)
      : threads_(p.threads), pin_(p.binding == Binding::kCores) {}

  // Explicit static split (rather than `omp for`) so first touch and runs share it exactly. An
  // exception may not leave a parallel region: the first is carried out and rethrown.
  void ForEachRange(std::size_t n, RangeFn body, RangeFn) override {
    std::exception_ptr error;
#pragma omp parallel num_threads(threads_)
    {
      if (omp_get_thread_num() == 0) team_ = omp_get_num_threads();
      const Range r = StaticRange(n, omp_get_num_threads(), omp_get_thread_num());
      try {
        if (r.begin < r.end) body(r.begin, r.end);
      } catch (...) {
#pragma omp critical(sqb_openmp_error)
        if (!error) error = std::current_exception();
      }
    }
    if (error) std::rethrow_exception(error);
    ran_ = std::min<std::size_t>(team_, (n + kSplitAlign - 1) / kSplitAlign);
  }

  // libgomp keeps its team's threads between regions of the same size, so pinning thread i once
  // per batch holds for every region in it.
  void Bind() override {
    if (!pin_) return;
#pragma omp parallel num_threads(threads_)
    PinCurrentThread(BindingCpu(omp_get_thread_num()));
  }
  void Unbind() override {
    if (!pin_) return;
#pragma omp parallel num_threads(threads_)
    RestoreCurrentThread();
  }
  std::string Placement() const override { return DescribePlacement(pin_, threads_); }
  // The threads of the last region that had a range: the runtime may give a smaller team than
  // asked (OMP_THREAD_LIMIT, OMP_DYNAMIC), and a short range leaves some threads nothing.
  std::optional<Participation> LastParticipation() const override {
    return Participation{.threads = static_cast<int>(ran_)};
  }

 private:
  int threads_;
  bool pin_;
  int team_ = 0;
  std::size_t ran_ = 0;
};

// The OpenMP version the compiler implements, and the runtime that serves the calls (libgomp,
// libomp, ...): the object omp_get_max_threads is in.
FingerprintLines Fingerprint() {
  static constexpr std::pair<int, const char*> kSpecs[] = {
      {200505, "2.5"}, {200805, "3.0"}, {201107, "3.1"}, {201307, "4.0"}, {201511, "4.5"},
      {201811, "5.0"}, {202011, "5.1"}, {202111, "5.2"}, {202411, "6.0"}};
  std::string spec = "unknown";
  for (const auto& [date, version] : kSpecs)
    if (date == _OPENMP) spec = version;
  std::string out = fmt::format("{} ({})", spec, _OPENMP);
  Dl_info info{};
  if (dladdr(reinterpret_cast<void*>(&omp_get_max_threads), &info) != 0 && info.dli_fname) {
    const std::string_view path = info.dli_fname;
    out += fmt::format(", {}", path.substr(path.rfind('/') + 1));
  }
  return {{"lib.openmp", out}};
}

SQB_REGISTER_EXECUTOR((ExecutorInfo{
    .name = "openmp",
    .description = "OpenMP parallel region, static contiguous split",
    .parallel = true,
    .in_default_run = true,
    .provenance = {.fingerprint = Fingerprint, .environment_prefixes = {"OMP_", "GOMP_", "KMP_"}},
    .unavailable_reason = [] { return std::string(); },
    .make = [](const CellParams& p) -> std::unique_ptr<Executor> {
      return std::make_unique<OpenMpExecutor>(p);
    },
}));

}  // namespace
}  // namespace sqb
