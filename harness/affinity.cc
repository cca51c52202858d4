// Thread pinning that never leaks: pin a thread for a batch, then give it back its original mask.
#include "squarebench/affinity.h"

#include <pthread.h>
#include <sched.h>

#include "harness/topology.h"

namespace sqb {
namespace {

cpu_set_t& OriginalMask() {
  static cpu_set_t mask = [] {
    cpu_set_t m;
    CPU_ZERO(&m);
    if (sched_getaffinity(0, sizeof(m), &m) != 0) {
      for (int i = 0; i < CPU_SETSIZE; ++i) CPU_SET(i, &m);
    }
    return m;
  }();
  return mask;
}

}  // namespace

void CaptureOriginalAffinity() { (void)OriginalMask(); }

void PinCurrentThread(int cpu) {
  cpu_set_t m;
  CPU_ZERO(&m);
  CPU_SET(cpu, &m);
  pthread_setaffinity_np(pthread_self(), sizeof(m), &m);
}

void RestoreCurrentThread() {
  pthread_setaffinity_np(pthread_self(), sizeof(cpu_set_t), &OriginalMask());
}

int BindingCpu(int index) {
  const auto& cpus = MachineTopology().core_cpus;
  if (cpus.empty()) return index;  // unknown topology: OS numbering
  return cpus[static_cast<std::size_t>(index) % cpus.size()];
}

std::string DescribePlacement(bool pinned, int threads) {
  if (!pinned) return "unpinned";
  std::string s = "cpus ";
  for (int i = 0; i < threads; ++i) {
    if (i) s += ',';
    s += std::to_string(BindingCpu(i));
  }
  return s;
}

}  // namespace sqb
