// The machine and build fingerprint (`squarebench info`), embedded in every report.
#include "harness/fingerprint.h"

#include <fmt/format.h>
#include <gnu/libc-version.h>
#include <hwloc.h>
#include <sys/utsname.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "harness/cache_probe.h"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

#include "harness/build_info.h"
#include "harness/clock.h"
#include "harness/git_revision.h"
#include "harness/sizes.h"
#include "harness/topology.h"

#if defined(__has_feature)
#define SQB_HAS_FEATURE(x) __has_feature(x)
#else
#define SQB_HAS_FEATURE(x) 0
#endif

namespace sqb {
namespace {

constexpr const char* kUnavailable = "unavailable";

// Also drops the quotes os-release puts around values.
std::string Trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\n\"");
  if (first == std::string_view::npos) return "";
  const auto last = s.find_last_not_of(" \t\n\"");
  return std::string(s.substr(first, last - first + 1));
}

std::optional<std::string> ReadFirstLine(const char* path) {
  std::ifstream in(path);
  std::string line;
  if (!std::getline(in, line)) return std::nullopt;
  return Trim(line);
}

// The value of the first "key<sep>value" line (as in /proc/cpuinfo, /proc/meminfo, os-release).
std::optional<std::string> FindField(const char* path, std::string_view key, char sep) {
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    const auto pos = line.find(sep);
    if (pos != std::string::npos && Trim(std::string_view(line).substr(0, pos)) == key) {
      return Trim(std::string_view(line).substr(pos + 1));
    }
  }
  return std::nullopt;
}

// /proc/meminfo values are "N kB".
std::uint64_t MeminfoBytes(std::string_view key) {
  const auto v = FindField("/proc/meminfo", key, ':');
  return v ? std::strtoull(v->c_str(), nullptr, 10) * 1024 : 0;
}

// The selected choice of a sysfs setting such as "always [madvise] never".
std::string BracketedChoice(const char* path) {
  const auto line = ReadFirstLine(path);
  if (!line) return kUnavailable;
  const auto open = line->find('['), close = line->find(']');
  if (open == std::string::npos || close == std::string::npos || close < open) return *line;
  return line->substr(open + 1, close - open - 1);
}

std::string SimdFlags() {
  static constexpr const char* kRelevant[] = {
      "sse4_1",     "sse4_2",       "avx",         "avx2",        "fma",         "f16c",
      "avx512f",    "avx512cd",     "avx512dq",    "avx512bw",    "avx512vl",    "avx512ifma",
      "avx512vbmi", "avx512_vbmi2", "avx512_vnni", "avx512_bf16", "avx512_fp16", "avx_vnni",
      "amx_tile",   "asimd",        "sve",         "sve2"};
  auto flags = FindField("/proc/cpuinfo", "flags", ':');            // x86
  if (!flags) flags = FindField("/proc/cpuinfo", "Features", ':');  // arm64
  if (!flags) return kUnavailable;
  std::vector<std::string> present;
  std::istringstream in(*flags);
  for (std::string f; in >> f;) present.push_back(f);
  std::string out;
  for (const char* f : kRelevant) {
    if (std::find(present.begin(), present.end(), f) == present.end()) continue;
    if (!out.empty()) out += ' ';
    out += f;
  }
  return out.empty() ? "none" : out;
}

std::string Hypervisor() {
#if defined(__x86_64__) || defined(__i386__)
  unsigned a = 0, b = 0, c = 0, d = 0;
  if (!__get_cpuid(1, &a, &b, &c, &d)) return kUnavailable;
  if ((c & (1u << 31)) == 0) return "none";
  __cpuid(0x40000000, a, b, c, d);
  char raw[13] = {};
  std::memcpy(raw, &b, 4);
  std::memcpy(raw + 4, &c, 4);
  std::memcpy(raw + 8, &d, 4);
  const std::string vendor = Trim(raw);
  static constexpr std::pair<const char*, const char*> kNames[] = {
      {"KVMKVMKVM", "KVM"},     {"Microsoft Hv", "Hyper-V"}, {"VMwareVMware", "VMware"},
      {"XenVMMXenVMM", "Xen"},  {"TCGTCGTCGTCG", "QEMU"},    {"VBoxVBoxVBox", "VirtualBox"},
      {"bhyve bhyve", "bhyve"}, {"ACRNACRNACRN", "ACRN"},    {"lrpepyh  vr", "Parallels"}};
  for (const auto& [id, name] : kNames) {
    if (vendor == id) return name;
  }
  return vendor.empty() ? "unknown" : vendor;
#else
  return ReadFirstLine("/sys/hypervisor/type").value_or(kUnavailable);
#endif
}

std::string Sanitizers() {
  std::vector<std::string> names;
#if defined(__SANITIZE_ADDRESS__) || SQB_HAS_FEATURE(address_sanitizer)
  names.push_back("address");
#endif
#if defined(__SANITIZE_THREAD__) || SQB_HAS_FEATURE(thread_sanitizer)
  names.push_back("thread");
#endif
  // UBSan and others define no macro: take them from the recorded flags as well.
  std::string_view flags = SQB_CXX_FLAGS;
  constexpr std::string_view kFlag = "-fsanitize=";
  for (auto pos = flags.find(kFlag); pos != std::string_view::npos; pos = flags.find(kFlag)) {
    flags.remove_prefix(pos + kFlag.size());
    std::string_view list = flags.substr(0, flags.find(' '));
    while (!list.empty()) {
      const std::string name(list.substr(0, list.find(',')));
      list.remove_prefix(std::min(list.size(), name.size() + 1));
      if (!name.empty() && std::find(names.begin(), names.end(), name) == names.end()) {
        names.push_back(name);
      }
    }
  }
  if (names.empty()) return "none";
  std::string out = names[0];
  for (std::size_t i = 1; i < names.size(); ++i) out += "," + names[i];
  return out;
}

std::string VersionTriple(unsigned major, unsigned minor, unsigned patch) {
  return fmt::format("{}.{}.{}", major, minor, patch);
}

std::string OrNone(std::string_view s) { return s.empty() ? "none" : std::string(s); }

void Add(Fingerprint& fp, std::string key, std::string value) {
  fp.fields.emplace_back(std::move(key), std::move(value));
}

void AddCpu(Fingerprint& fp, const Topology& topo) {
  Add(fp, "cpu.model", FindField("/proc/cpuinfo", "model name", ':').value_or(kUnavailable));
  Add(fp, "cpu.cores", std::to_string(topo.cores));
  Add(fp, "cpu.pus", std::to_string(topo.pus));
  Add(fp, "cpu.packages", std::to_string(topo.packages));
  Add(fp, "cpu.numa_nodes", std::to_string(topo.numa_nodes));
  Add(fp, "cpu.flags_simd", SimdFlags());
  const auto governor = ReadFirstLine("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor");
  Add(fp, "cpu.governor", governor.value_or(kUnavailable));
  if (!governor) {
    fp.warnings.push_back("frequency governor unavailable: clock may vary");
  } else if (*governor != "performance") {
    fp.warnings.push_back(
        fmt::format("frequency governor is '{}', not 'performance': clock may vary", *governor));
  }
  if (const auto khz = ReadFirstLine("/sys/devices/system/cpu/cpu0/cpufreq/scaling_cur_freq")) {
    Add(fp, "cpu.freq_mhz", std::to_string(std::strtoull(khz->c_str(), nullptr, 10) / 1000));
  } else if (const auto mhz = FindField("/proc/cpuinfo", "cpu MHz", ':')) {
    Add(fp, "cpu.freq_mhz", fmt::format("{:.0f}", std::strtod(mhz->c_str(), nullptr)));
  }
}

void AddCaches(Fingerprint& fp, const Topology& topo) {
  Add(fp, "cache.l1d", topo.l1d_bytes ? FormatBytes(topo.l1d_bytes) : kUnavailable);
  Add(fp, "cache.l2", topo.l2_bytes ? FormatBytes(topo.l2_bytes) : kUnavailable);
  // No L3 is a fact only when the smaller levels were read; otherwise nothing is known.
  Add(fp, "cache.l3",
      topo.l3_bytes   ? FormatBytes(topo.l3_bytes)
      : topo.l2_bytes ? "none"
                      : kUnavailable);
  if (topo.l3_bytes) {
    const LastLevelCache& llc = MeasuredLastLevelCache();
    Add(fp, "cache.l3_effective",
        llc.effective < llc.reported ? FormatBytes(llc.effective) + " (measured share of the L3)"
                                     : FormatBytes(llc.effective));
  }
}

void AddMemory(Fingerprint& fp, const Topology& topo) {
  std::uint64_t mem_total = MeminfoBytes("MemTotal");
  if (mem_total == 0) mem_total = topo.memory_bytes;
  const std::uint64_t mem_available = AvailableMemoryBytes();
  Add(fp, "memory.total", mem_total ? FormatBytes(mem_total) : kUnavailable);
  Add(fp, "memory.available", mem_available ? FormatBytes(mem_available) : kUnavailable);
  if (mem_total && mem_available && mem_available < mem_total / 4) {
    fp.warnings.push_back(fmt::format("low memory: {} of {} available", FormatBytes(mem_available),
                                      FormatBytes(mem_total)));
  }
  Add(fp, "memory.thp", BracketedChoice("/sys/kernel/mm/transparent_hugepage/enabled"));
  Add(fp, "memory.thp_defrag", BracketedChoice("/sys/kernel/mm/transparent_hugepage/defrag"));
}

// The OS, the host's name and hypervisor, and how busy it is.
void AddOsAndHost(Fingerprint& fp, const Topology& topo) {
  utsname uts{};
  const bool have_uts = uname(&uts) == 0;
  Add(fp, "os.kernel",
      have_uts ? fmt::format("{} {} {}", uts.sysname, uts.release, uts.machine) : kUnavailable);
  Add(fp, "os.distro", FindField("/etc/os-release", "PRETTY_NAME", '=').value_or(kUnavailable));
  Add(fp, "os.glibc", gnu_get_libc_version());
  Add(fp, "host.name", have_uts ? uts.nodename : kUnavailable);
  const std::string hypervisor = Hypervisor();
  Add(fp, "host.hypervisor", hypervisor);
  if (hypervisor != "none" && hypervisor != kUnavailable) {
    fp.warnings.push_back(
        fmt::format("running under a hypervisor ({}): expect extra timing noise", hypervisor));
  }
  double load[3] = {};
  const bool have_load = getloadavg(load, 3) == 3;
  constexpr const char* kLoadKeys[] = {"load.avg1", "load.avg5", "load.avg15"};
  for (int i = 0; i < 3; ++i) {
    Add(fp, kLoadKeys[i], have_load ? fmt::format("{:.2f}", load[i]) : kUnavailable);
  }
  if (have_load && load[0] > 0.1 * topo.cores) {
    fp.warnings.push_back(
        fmt::format("machine busy: load {:.2f} on {} cores", load[0], topo.cores));
  }
}

void AddTimer(Fingerprint& fp) {
  const TimerFacts& timer = MeasuredTimer();
  Add(fp, "timer.clock", "steady_clock");
  Add(fp, "timer.resolution_ns", fmt::format("{:.1f}", timer.resolution_s * 1e9));
  Add(fp, "timer.overhead_ns", fmt::format("{:.1f}", timer.overhead_s * 1e9));
  if (timer.resolution_s > 1e-6) {
    fp.warnings.push_back(
        fmt::format("coarse timer: resolution {:.1f} us", timer.resolution_s * 1e6));
  }
  Add(fp, "perf.counters", "unavailable (no hardware counters are read)");
}

void AddBuild(Fingerprint& fp) {
  const std::string build_type = OrNone(SQB_BUILD_TYPE);
  const std::string sanitizers = Sanitizers();
  Add(fp, "build.version", SQB_VERSION);
  Add(fp, "build.type", build_type);
  Add(fp, "build.compiler", SQB_CXX_COMPILER);
  Add(fp, "build.flags", OrNone(SQB_CXX_FLAGS));
  Add(fp, "build.cmake", SQB_CMAKE_VERSION);
  Add(fp, "build.git_revision", SQB_GIT_REVISION);
  Add(fp, "build.sanitizers", sanitizers);
  if (build_type != "Release") {
    fp.warnings.push_back(
        fmt::format("not a Release build ({}): timings are not representative", build_type));
  }
  if (sanitizers != "none") {
    fp.warnings.push_back(
        fmt::format("sanitizer build ({}): timings are not representative", sanitizers));
  }
}

// The harness's own libraries, then each backend's lines; a key two backends give is kept once.
void AddLibraries(Fingerprint& fp, const std::vector<const BackendInfo*>& backends) {
  const unsigned hwloc_api = hwloc_get_api_version();
  Add(fp, "lib.hwloc",
      "API " + VersionTriple(hwloc_api >> 16, (hwloc_api >> 8) & 0xff, hwloc_api & 0xff));
  Add(fp, "lib.fmt",
      VersionTriple(FMT_VERSION / 10000, FMT_VERSION / 100 % 100, FMT_VERSION % 100));
  Add(fp, "lib.nlohmann_json",
      VersionTriple(NLOHMANN_JSON_VERSION_MAJOR, NLOHMANN_JSON_VERSION_MINOR,
                    NLOHMANN_JSON_VERSION_PATCH));
  for (const BackendInfo* b : backends) {
    if (!b->provenance.fingerprint) continue;
    for (auto& [key, value] : b->provenance.fingerprint()) {
      const bool seen = std::any_of(fp.fields.begin(), fp.fields.end(),
                                    [&](const auto& field) { return field.first == key; });
      if (!seen) Add(fp, std::move(key), std::move(value));
    }
  }
}

}  // namespace

Fingerprint CollectFingerprint(const std::vector<const BackendInfo*>& backends) {
  Fingerprint fp;
  const Topology& topo = MachineTopology();
  AddCpu(fp, topo);
  AddCaches(fp, topo);
  AddMemory(fp, topo);
  AddOsAndHost(fp, topo);
  AddTimer(fp);
  AddBuild(fp);
  AddLibraries(fp, backends);
  return fp;
}

}  // namespace sqb
