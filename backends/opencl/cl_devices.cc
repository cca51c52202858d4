// The OpenCL devices here: enumerated once per process, each named "<platform>.<device>" by index.
#include "cl_devices.h"

#include <fmt/format.h>

#include <algorithm>

#include "squarebench/format.h"

namespace sqb::opencl {
namespace {

template <typename Getter, typename Object, typename Param>
std::string InfoString(Getter get, Object object, Param param) {
  std::size_t size = 0;
  if (get(object, param, 0, nullptr, &size) != CL_SUCCESS || size == 0) return "?";
  std::string text(size, '\0');
  if (get(object, param, size, text.data(), nullptr) != CL_SUCCESS) return "?";
  while (!text.empty() && (text.back() == '\0' || text.back() == ' ')) text.pop_back();
  return text;
}

template <typename T>
T DeviceValue(cl_device_id device, cl_device_info param) {
  T value{};
  if (clGetDeviceInfo(device, param, sizeof(T), &value, nullptr) != CL_SUCCESS) return T{};
  return value;
}

DeviceInfo Describe(std::size_t p, std::size_t d, cl_platform_id platform, cl_device_id device) {
  DeviceInfo info;
  info.variant = fmt::format("{}.{}", p, d);
  info.platform = platform;
  info.id = device;
  info.platform_name = InfoString(clGetPlatformInfo, platform, CL_PLATFORM_NAME);
  info.name = InfoString(clGetDeviceInfo, device, CL_DEVICE_NAME);
  info.driver_version = InfoString(clGetDeviceInfo, device, CL_DRIVER_VERSION);
  info.type = DeviceValue<cl_device_type>(device, CL_DEVICE_TYPE);
  info.compute_units = DeviceValue<cl_uint>(device, CL_DEVICE_MAX_COMPUTE_UNITS);
  info.global_mem_bytes = DeviceValue<cl_ulong>(device, CL_DEVICE_GLOBAL_MEM_SIZE);
  info.global_mem_cache_bytes = DeviceValue<cl_ulong>(device, CL_DEVICE_GLOBAL_MEM_CACHE_SIZE);
  info.max_alloc_bytes = DeviceValue<cl_ulong>(device, CL_DEVICE_MAX_MEM_ALLOC_SIZE);
  info.double_fp_config = DeviceValue<cl_device_fp_config>(device, CL_DEVICE_DOUBLE_FP_CONFIG);
  return info;
}

DeviceList Enumerate() {
  DeviceList list;
  cl_uint platforms = 0;
  const cl_int status = clGetPlatformIDs(0, nullptr, &platforms);
  if (status != CL_SUCCESS || platforms == 0) {
    list.none_reason = fmt::format("no OpenCL platform: clGetPlatformIDs returned {} ({})", status,
                                   ErrorName(status));
    return list;
  }
  std::vector<cl_platform_id> ids(platforms);
  Check(clGetPlatformIDs(platforms, ids.data(), nullptr), "clGetPlatformIDs");
  for (std::size_t p = 0; p < ids.size(); ++p) {
    cl_uint count = 0;
    if (clGetDeviceIDs(ids[p], CL_DEVICE_TYPE_ALL, 0, nullptr, &count) != CL_SUCCESS) continue;
    std::vector<cl_device_id> devices(count);
    if (clGetDeviceIDs(ids[p], CL_DEVICE_TYPE_ALL, count, devices.data(), nullptr) != CL_SUCCESS)
      continue;
    for (std::size_t d = 0; d < devices.size(); ++d)
      list.devices.push_back(Describe(p, d, ids[p], devices[d]));
  }
  if (list.devices.empty())
    list.none_reason = fmt::format("no OpenCL device on {} platform(s)", platforms);
  return list;
}

}  // namespace

const DeviceList& Devices() {
  static const DeviceList list = [] {
    try {
      return Enumerate();
    } catch (const std::exception& e) {
      return DeviceList{{}, e.what()};
    }
  }();
  return list;
}

const DeviceInfo* FindDevice(std::string_view variant) {
  for (const DeviceInfo& d : Devices().devices)
    if (d.variant == variant) return &d;
  return nullptr;
}

std::vector<std::string> Variants() {
  const auto& devices = Devices().devices;
  std::vector<std::string> variants;
  const auto gpu = std::find_if(devices.begin(), devices.end(), [](auto& d) { return d.IsGpu(); });
  if (gpu != devices.end()) variants.push_back(gpu->variant);
  for (const DeviceInfo& d : devices)
    if (gpu == devices.end() || d.variant != gpu->variant) variants.push_back(d.variant);
  return variants;
}

std::string UnavailableReason(std::string_view variant) {
  const DeviceList& list = Devices();
  if (list.devices.empty()) return list.none_reason;
  if (FindDevice(variant) == nullptr) return fmt::format("no OpenCL device '{}'", variant);
  return "";
}

std::vector<std::string> ListLines() {
  const DeviceList& list = Devices();
  if (list.devices.empty()) return {list.none_reason};
  const std::vector<std::string> variants = Variants();
  std::vector<std::string> lines;
  for (const DeviceInfo& d : list.devices)
    lines.push_back(
        fmt::format("{}{}: {}, {}, {}, driver {}, {} compute units, {} global memory, fp64 {}",
                    d.variant, d.variant == variants.front() ? " (default)" : "", d.platform_name,
                    d.name, TypeName(d.type), d.driver_version, d.compute_units,
                    FormatBytes(d.global_mem_bytes), d.double_fp_config != 0 ? "yes" : "no"));
  return lines;
}

std::string TypeName(cl_device_type type) {
  static constexpr std::pair<cl_device_type, const char*> kTypes[] = {
      {CL_DEVICE_TYPE_CPU, "CPU"},
      {CL_DEVICE_TYPE_GPU, "GPU"},
      {CL_DEVICE_TYPE_ACCELERATOR, "accelerator"},
      {CL_DEVICE_TYPE_CUSTOM, "custom"},
  };
  std::string name;
  for (const auto& [bit, text] : kTypes) {
    if ((type & bit) == 0) continue;
    if (!name.empty()) name += '+';
    name += text;
  }
  return name.empty() ? "unknown type" : name;
}

std::string Fp64UnsupportedReason(cl_device_fp_config config) {
  if (config != 0) return "";
  return "device has no fp64 (CL_DEVICE_DOUBLE_FP_CONFIG is 0)";
}

std::optional<CacheSizes> DeviceCaches(std::string_view variant) {
  const DeviceInfo* d = FindDevice(variant);
  if (d == nullptr || !d->IsGpu()) return std::nullopt;
  return CacheSizes{0, d->global_mem_cache_bytes, 0};
}

}  // namespace sqb::opencl
