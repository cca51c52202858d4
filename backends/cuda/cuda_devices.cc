// CUDA device discovery: a count of GPUs before main without the runtime, then the runtime's
// devices and properties, queried once after main.
#include "cuda_devices.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <mutex>
#include <stdexcept>

#include "squarebench/format.h"

namespace sqb::cuda {
namespace {

namespace fs = std::filesystem;

constexpr int kMaxVariants = 64;

// Entries of `dir` whose name passes `keep`; 0 when it cannot be read.
template <typename Keep>
int CountEntries(const fs::path& dir, Keep keep) {
  std::error_code ec;
  int n = 0;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    if (keep(it->path().filename().string())) ++n;
  return n;
}

bool IsDeviceNode(const std::string& name) {  // /dev/nvidia<N>, not nvidiactl or nvidia-uvm
  constexpr std::string_view kPrefix = "nvidia";
  return name.size() > kPrefix.size() && name.starts_with(kPrefix) &&
         std::all_of(name.begin() + kPrefix.size(), name.end(),
                     [](char c) { return c >= '0' && c <= '9'; });
}

// The runtime's view, taken once after main.
struct DeviceTable {
  cudaError_t error = cudaSuccess;  // of cudaGetDeviceCount or cudaGetDeviceProperties
  std::vector<cudaDeviceProp> props;
  std::vector<bool> prohibited;  // compute mode "prohibited": no context can be made
  int driver_version = 0;
  int runtime_version = 0;
};

const DeviceTable& Devices() {
  static const DeviceTable table = [] {
    DeviceTable t;
    cudaDriverGetVersion(&t.driver_version);
    cudaRuntimeGetVersion(&t.runtime_version);
    int count = 0;
    t.error = cudaGetDeviceCount(&count);
    for (int i = 0; t.error == cudaSuccess && i < count; ++i) {
      cudaDeviceProp p{};
      int mode = cudaComputeModeDefault;
      t.error = cudaGetDeviceProperties(&p, i);
      if (t.error == cudaSuccess)
        t.error = cudaDeviceGetAttribute(&mode, cudaDevAttrComputeMode, i);
      t.props.push_back(p);
      t.prohibited.push_back(mode == cudaComputeModeProhibited);
    }
    if (t.error != cudaSuccess) {
      t.props.clear();
      cudaGetLastError();  // leave no error behind for the next call to report
    }
    return t;
  }();
  return table;
}

std::optional<int> ParseIndex(const std::string& variant) {
  int index = -1;
  const char* end = variant.data() + variant.size();
  const auto [ptr, ec] = std::from_chars(variant.data(), end, index);
  if (ec != std::errc() || ptr != end || index < 0) return std::nullopt;
  return index;
}

std::string Version(int v) { return fmt::format("{}.{}", v / 1000, v % 1000 / 10); }

// "GPU-xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", as nvidia-smi -L prints it.
std::string Uuid(const cudaUUID_t& id) {
  std::string hex;
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) hex += '-';
    hex += fmt::format("{:02x}", static_cast<unsigned char>(id.bytes[i]));
  }
  return "GPU-" + hex;
}

// Devices lost to a sticky error, with the error.
std::mutex g_lost_mutex;
std::map<int, std::string> g_lost;

std::optional<std::string> LostReason(int device) {
  const std::lock_guard lock(g_lost_mutex);
  const auto it = g_lost.find(device);
  if (it == g_lost.end()) return std::nullopt;
  return fmt::format("CUDA device {} was lost earlier in this run: {}", device, it->second);
}

}  // namespace

std::vector<std::string> DeviceVariants() {
  // GPUs the NVIDIA kernel driver lists, or device nodes where /proc is masked (containers).
  int gpus = std::max(CountEntries("/proc/driver/nvidia/gpus", [](const auto&) { return true; }),
                      CountEntries("/dev", IsDeviceNode));
  if (const char* visible = std::getenv("CUDA_VISIBLE_DEVICES")) {
    const std::string_view list = visible;
    const int entries =
        list.empty() ? 0 : static_cast<int>(std::count(list.begin(), list.end(), ',')) + 1;
    gpus = std::min(gpus, entries);
  }
  std::vector<std::string> variants;
  for (int i = 0; i < std::clamp(gpus, 1, kMaxVariants); ++i) variants.push_back(std::to_string(i));
  return variants;
}

std::string UnavailableReason(const std::string& variant) {
  if (const auto index = ParseIndex(variant))
    if (auto lost = LostReason(*index)) return *lost;
  const DeviceTable& t = Devices();
  if (t.error != cudaSuccess)
    return fmt::format("no CUDA device: {} ({}; this build's runtime is CUDA {})",
                       cudaGetErrorString(t.error),
                       t.driver_version == 0
                           ? "no NVIDIA driver"
                           : fmt::format("the driver supports CUDA {}", Version(t.driver_version)),
                       Version(t.runtime_version));
  const int count = static_cast<int>(t.props.size());
  if (count == 0) return "no CUDA device: the CUDA runtime found none";
  const auto index = ParseIndex(variant);
  if (!index) return fmt::format("no CUDA device '{}': a device is named by its index", variant);
  if (*index >= count)
    return fmt::format("no CUDA device {}: CUDA sees {} device{} (0..{})", *index, count,
                       count == 1 ? "" : "s", count - 1);
  if (t.prohibited[*index])
    return fmt::format("CUDA device {} ({}) is in compute mode 'prohibited'", *index,
                       t.props[*index].name);
  return "";
}

int DeviceIndex(const std::string& variant) {
  if (!UnavailableReason(variant).empty())
    throw std::logic_error("CUDA device '" + variant + "' is unavailable");
  return *ParseIndex(variant);
}

const cudaDeviceProp& Properties(int device) { return Devices().props.at(device); }

std::vector<std::string> ListDevices() {
  const DeviceTable& t = Devices();
  if (t.error != cudaSuccess || t.props.empty()) return {UnavailableReason("0")};
  std::vector<std::string> lines;
  for (std::size_t i = 0; i < t.props.size(); ++i) {
    const cudaDeviceProp& p = t.props[i];
    // The PCI address and UUID, as nvidia-smi prints them, match a variant to a physical GPU.
    lines.push_back(fmt::format(
        "{}: {}, PCI {:08x}:{:02x}:{:02x}.0, {}, compute capability {}.{}, {} SMs, {} global "
        "memory, {} L2, driver CUDA {}, runtime CUDA {}{}",
        i, p.name, p.pciDomainID, p.pciBusID, p.pciDeviceID, Uuid(p.uuid), p.major, p.minor,
        p.multiProcessorCount, FormatBytes(p.totalGlobalMem),
        FormatBytes(static_cast<std::uint64_t>(p.l2CacheSize)), Version(t.driver_version),
        Version(t.runtime_version), t.prohibited[i] ? ", compute mode prohibited" : ""));
  }
  return lines;
}

std::optional<CacheSizes> DeviceCaches(const std::string& variant) {
  if (!UnavailableReason(variant).empty()) return std::nullopt;
  const cudaDeviceProp& p = Properties(DeviceIndex(variant));
  return CacheSizes{0, static_cast<std::uint64_t>(p.l2CacheSize), 0};
}

int HostNumaNode(int device) {
  int node = -1;
  if (cudaDeviceGetAttribute(&node, cudaDevAttrHostNumaId, device) != cudaSuccess) {
    cudaGetLastError();
    return -1;
  }
  return node;
}

std::optional<std::uint64_t> FreeMemory(const std::string& variant) {
  if (!UnavailableReason(variant).empty()) return std::nullopt;
  std::size_t free = 0, total = 0;
  if (cudaSetDevice(DeviceIndex(variant)) != cudaSuccess ||
      cudaMemGetInfo(&free, &total) != cudaSuccess) {
    cudaGetLastError();
    return std::nullopt;
  }
  return free;
}

bool IsSticky(cudaError_t error) {
  switch (error) {
    case cudaErrorIllegalAddress:
    case cudaErrorLaunchTimeout:
    case cudaErrorAssert:
    case cudaErrorHardwareStackError:
    case cudaErrorIllegalInstruction:
    case cudaErrorMisalignedAddress:
    case cudaErrorInvalidAddressSpace:
    case cudaErrorInvalidPc:
    case cudaErrorLaunchFailure:
    case cudaErrorECCUncorrectable:
    case cudaErrorContained:
    case cudaErrorMpsClientTerminated:
    case cudaErrorExternalDevice:
      return true;
    default:
      return false;
  }
}

bool IsBusy(cudaError_t error) { return error == cudaErrorDevicesUnavailable; }

void MarkLost(int device, const std::string& why) {
  const std::lock_guard lock(g_lost_mutex);
  g_lost.emplace(device, why);
}

std::string ErrorText(cudaError_t error, std::string_view what, int device) {
  return fmt::format("{} on CUDA device {}: {} ({})", what, device, cudaGetErrorString(error),
                     cudaGetErrorName(error));
}

}  // namespace sqb::cuda
