// The launcher's view of this process, and the one-process Ranks.
#include "harness/ranks.h"

#include <sched.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <string>

namespace sqb {
namespace {

int EnvInt(const char* name) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') return -1;
  char* end = nullptr;
  const long n = std::strtol(v, &end, 10);
  return *end == '\0' && n >= 0 && n < (1L << 30) ? static_cast<int>(n) : -1;
}

}  // namespace

std::string Ranks::Host() const {
  char buf[256] = {};
  if (gethostname(buf, sizeof buf - 1) != 0 || buf[0] == '\0') return "unknown-host";
  return buf;
}

void Ranks::Abort(int code) { std::_Exit(code); }

Launch LaunchFromEnvironment() {
  // Open MPI's mpiexec, PMIx launchers (srun --mpi=pmix, prterun), MPICH's Hydra and PMI-1/2.
  const std::pair<const char*, const char*> kVariables[] = {
      {"OMPI_COMM_WORLD_RANK", "OMPI_COMM_WORLD_SIZE"},
      {"PMIX_RANK", "OMPI_COMM_WORLD_SIZE"},
      {"PMI_RANK", "PMI_SIZE"},
      {"MV2_COMM_WORLD_RANK", "MV2_COMM_WORLD_SIZE"},
  };
  for (const auto& [rank, size] : kVariables) {
    const int r = EnvInt(rank), n = EnvInt(size);
    if (r >= 0 && n > r) return {r, n};
  }
  // A PMIx launch that did not say the size: MPI_Init will.
  if (const int r = EnvInt("PMIX_RANK"); r >= 0) return {r, r + 1};
  return {};
}

std::string ProcessCpuList() {
  cpu_set_t mask;
  CPU_ZERO(&mask);
  if (sched_getaffinity(0, sizeof mask, &mask) != 0) return "";
  std::string list;
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
    if (!CPU_ISSET(cpu, &mask)) continue;
    int last = cpu;
    while (last + 1 < CPU_SETSIZE && CPU_ISSET(last + 1, &mask)) ++last;
    if (!list.empty()) list += ',';
    list += last == cpu ? std::to_string(cpu) : std::to_string(cpu) + "-" + std::to_string(last);
    cpu = last;
  }
  return list;
}

}  // namespace sqb
