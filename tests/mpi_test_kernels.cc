// Chunk kernels registered only in the MPI tests' squarebench: one slow on purpose on one rank,
// one whose fingerprint throws on one rank (an exception outside every cell).
#include <chrono>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include "harness/ranks.h"
#include "squarebench/executor.h"
#include "squarebench/registration.h"

namespace sqb {
namespace {

// The rank an environment variable names, or -1.
int RankFromEnvironment(const char* name) {
  const char* v = std::getenv(name);
  return v == nullptr ? -1 : std::atoi(v);
}

bool ThisRankIs(const char* variable) {
  const int wanted = RankFromEnvironment(variable);
  return wanted >= 0 && LaunchFromEnvironment().launched() &&
         LaunchFromEnvironment().rank == wanted;
}

// Squares, then on the rank SQB_TEST_SLOW_RANK names spins three times as long: a quarter of the
// others' rate there.
template <typename T>
void SlowOnOneRank(const T* x, T* y, std::size_t n) {
  static const bool slow = ThisRankIs("SQB_TEST_SLOW_RANK");
  const auto t0 = std::chrono::steady_clock::now();
  for (std::size_t i = 0; i < n; ++i) y[i] = x[i] * x[i];
  if (!slow) return;
  const auto until = std::chrono::steady_clock::now() + 3 * (std::chrono::steady_clock::now() - t0);
  while (std::chrono::steady_clock::now() < until) {
  }
}

SQB_REGISTER_CHUNK_KERNEL((ChunkKernelInfo{
    .name = "slowrank",
    .description = "squares; three times slower on the rank SQB_TEST_SLOW_RANK names",
    .provenance = {.fingerprint =
                       [] {
                         if (ThisRankIs("SQB_TEST_THROW_RANK"))
                           throw std::runtime_error("fingerprint failed on purpose");
                         return FingerprintLines{};
                       }},
    .resolve =
        [](const CellParams&) {
          return ChunkFns{SlowOnOneRank<float>, SlowOnOneRank<double>};
        },
}));

}  // namespace
}  // namespace sqb
