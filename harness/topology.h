// The machine's cache and core topology as hwloc reports it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace sqb {

struct Topology {
  std::uint64_t l1d_bytes = 0;  // one core's L1 data cache; 0 when unknown
  std::uint64_t l2_bytes = 0;   // one core's L2
  std::uint64_t l3_bytes = 0;   // the whole L3 (shared); 0 when the machine has none
  int packages = 0;
  int cores = 0;  // physical cores in the process's allowed set
  int pus = 0;    // hardware threads in the process's allowed set
  int numa_nodes = 0;
  std::uint64_t memory_bytes = 0;  // installed memory
  // One CPU (OS index) per core in the allowed set, in topology order: where thread i is pinned.
  std::vector<int> core_cpus;

  // The largest cache level present (bytes), used for the DRAM size rule.
  std::uint64_t LastLevelBytes() const;
};

// Read once from hwloc (and cached). Never fails: unknown values stay 0.
const Topology& MachineTopology();

// Memory the kernel could give a new allocation now (MemAvailable), in bytes; 0 when unknown.
std::uint64_t AvailableMemoryBytes();

}  // namespace sqb
