// Cache sizes as the level rules use them: a device backend reports its own, a CPU one reads ours.
#pragma once

#include <cstdint>

namespace sqb {

// The cache sizes the level rules use; 0 where the machine has no such level.
struct CacheSizes {
  std::uint64_t l1d = 0;  // one core's
  std::uint64_t l2 = 0;   // one core's
  std::uint64_t l3 = 0;   // the whole shared L3
};

// The CPU's last-level cache this process can actually use, measured once per process on first
// call (about 0.1-0.5 s): on a VM or a busy host it can be a small share of what the OS reports.
// Chunk kernels use it to decide when streaming stores pay.
std::uint64_t EffectiveLastLevelBytes();

}  // namespace sqb
