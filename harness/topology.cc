// The machine's cache and core topology as hwloc reports it.
#include "harness/topology.h"

#include <hwloc.h>
#include <sched.h>
#include <sys/sysinfo.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <memory>
#include <set>
#include <thread>

namespace sqb {
namespace {

using TopologyPtr = std::unique_ptr<hwloc_topology, decltype(&hwloc_topology_destroy)>;

std::uint64_t PhysicalMemoryBytes() {
  const long pages = sysconf(_SC_PHYS_PAGES);
  const long page_size = sysconf(_SC_PAGE_SIZE);
  if (pages <= 0 || page_size <= 0) return 0;
  return static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(page_size);
}

int CountIntersecting(hwloc_topology_t topology, hwloc_obj_type_t type,
                      hwloc_const_cpuset_t allowed) {
  int count = 0;
  for (hwloc_obj_t o = hwloc_get_next_obj_by_type(topology, type, nullptr); o != nullptr;
       o = hwloc_get_next_obj_by_type(topology, type, o)) {
    if (hwloc_bitmap_intersects(o->cpuset, allowed)) ++count;
  }
  return count;
}

// The caches one core sees: walk up from one of its PUs.
void ReadCoreCaches(hwloc_obj_t pu, Topology* t) {
  for (hwloc_obj_t o = pu->parent; o != nullptr; o = o->parent) {
    if (o->type == HWLOC_OBJ_L1CACHE && o->attr->cache.type != HWLOC_OBJ_CACHE_INSTRUCTION &&
        t->l1d_bytes == 0) {
      t->l1d_bytes = o->attr->cache.size;
    } else if (o->type == HWLOC_OBJ_L2CACHE && o->attr->cache.type != HWLOC_OBJ_CACHE_INSTRUCTION &&
               t->l2_bytes == 0) {
      t->l2_bytes = o->attr->cache.size;
    }
  }
}

bool ReadHwloc(Topology* t) {
  hwloc_topology_t raw = nullptr;
  if (hwloc_topology_init(&raw) != 0) return false;
  TopologyPtr topology(raw, &hwloc_topology_destroy);
  if (hwloc_topology_load(raw) != 0) return false;
  // What cgroups allow and the process's own mask (taskset) permits: read before any pinning,
  // since the first call comes from planning.
  using BitmapPtr = std::unique_ptr<hwloc_bitmap_s, decltype(&hwloc_bitmap_free)>;
  BitmapPtr allowed_owner(hwloc_bitmap_dup(hwloc_topology_get_allowed_cpuset(raw)),
                          &hwloc_bitmap_free);
  hwloc_bitmap_t allowed = allowed_owner.get();
  BitmapPtr mask(hwloc_bitmap_alloc(), &hwloc_bitmap_free);
  if (hwloc_get_cpubind(raw, mask.get(), HWLOC_CPUBIND_THREAD) == 0 &&
      hwloc_bitmap_intersects(mask.get(), allowed)) {
    hwloc_bitmap_and(allowed, allowed, mask.get());
  }

  std::set<unsigned> seen_cores;  // logical indexes
  hwloc_obj_t first_pu = nullptr;
  for (hwloc_obj_t pu = hwloc_get_next_obj_by_type(raw, HWLOC_OBJ_PU, nullptr); pu != nullptr;
       pu = hwloc_get_next_obj_by_type(raw, HWLOC_OBJ_PU, pu)) {
    if (!hwloc_bitmap_isset(allowed, pu->os_index)) continue;
    if (first_pu == nullptr) first_pu = pu;
    ++t->pus;
    // A PU without a Core ancestor (hwloc could not tell) counts as its own core.
    const hwloc_obj_t core = hwloc_get_ancestor_obj_by_type(raw, HWLOC_OBJ_CORE, pu);
    if (core == nullptr || seen_cores.insert(core->logical_index).second) {
      t->core_cpus.push_back(static_cast<int>(pu->os_index));
    }
  }
  if (first_pu == nullptr) return false;
  t->cores = static_cast<int>(t->core_cpus.size());

  ReadCoreCaches(first_pu, t);
  for (hwloc_obj_t o = hwloc_get_next_obj_by_type(raw, HWLOC_OBJ_L3CACHE, nullptr); o != nullptr;
       o = hwloc_get_next_obj_by_type(raw, HWLOC_OBJ_L3CACHE, o)) {
    if (hwloc_bitmap_intersects(o->cpuset, allowed)) t->l3_bytes += o->attr->cache.size;
  }
  t->packages = CountIntersecting(raw, HWLOC_OBJ_PACKAGE, allowed);
  t->numa_nodes = hwloc_get_nbobjs_by_type(raw, HWLOC_OBJ_NUMANODE);
  // The OS's count first: hwloc sums NUMA nodes, which on some VMs misses hot-plugged memory
  // (seen: 4.3 GB of 25 GB).
  t->memory_bytes = PhysicalMemoryBytes();
  if (t->memory_bytes == 0) t->memory_bytes = hwloc_get_root_obj(raw)->total_memory;
  return true;
}

// Without hwloc: every CPU in the process's mask is taken as a core; caches stay unknown.
Topology ReadOs() {
  Topology t;
  cpu_set_t mask;
  CPU_ZERO(&mask);
  if (sched_getaffinity(0, sizeof(mask), &mask) == 0) {
    for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
      if (CPU_ISSET(cpu, &mask)) t.core_cpus.push_back(cpu);
    }
  } else {
    const unsigned n = std::max(1u, std::thread::hardware_concurrency());
    for (unsigned cpu = 0; cpu < n; ++cpu) t.core_cpus.push_back(static_cast<int>(cpu));
  }
  t.cores = t.pus = static_cast<int>(t.core_cpus.size());
  t.memory_bytes = PhysicalMemoryBytes();
  return t;
}

Topology Read() {
  Topology t;
  if (ReadHwloc(&t)) return t;
  return ReadOs();
}

}  // namespace

std::uint64_t Topology::LastLevelBytes() const {
  if (l3_bytes != 0) return l3_bytes;
  if (l2_bytes != 0) return l2_bytes;
  return l1d_bytes;
}

std::uint64_t AvailableMemoryBytes() {
  std::ifstream meminfo("/proc/meminfo");
  std::string key;
  std::uint64_t kib = 0;
  while (meminfo >> key >> kib) {
    if (key == "MemAvailable:") return kib * 1024;
    meminfo.ignore(256, '\n');
  }
  struct sysinfo si {};
  return sysinfo(&si) == 0 ? static_cast<std::uint64_t>(si.freeram) * si.mem_unit : 0;
}

const Topology& MachineTopology() {
  static const Topology topology = Read();
  return topology;
}

}  // namespace sqb
