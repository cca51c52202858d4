// The OpenCL devices here: enumerated once per process, each named "<platform>.<device>" by index.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cl_support.h"
#include "squarebench/caches.h"

namespace sqb::opencl {

struct DeviceInfo {
  std::string variant;  // "<platform index>.<device index>", e.g. "0.0"
  cl_platform_id platform = nullptr;
  cl_device_id id = nullptr;
  std::string platform_name;
  std::string name;
  std::string driver_version;
  cl_device_type type = 0;
  cl_uint compute_units = 0;
  cl_ulong global_mem_bytes = 0;
  cl_ulong global_mem_cache_bytes = 0;
  cl_ulong max_alloc_bytes = 0;
  cl_device_fp_config double_fp_config = 0;  // 0: no fp64
  bool IsGpu() const { return (type & CL_DEVICE_TYPE_GPU) != 0; }
};

struct DeviceList {
  std::vector<DeviceInfo> devices;  // in platform, then device order
  std::string none_reason;          // why there are none, when devices is empty
};

// Enumerated on the first call (thread-safe); the same answer for the rest of the process.
const DeviceList& Devices();

// The device a variant names; nullptr when there is none such.
const DeviceInfo* FindDevice(std::string_view variant);

// Every device's variant, the default first: the first GPU, else the first device.
std::vector<std::string> Variants();

// "" when `variant` names a device here, else why it cannot run.
std::string UnavailableReason(std::string_view variant);

// One line per device for `squarebench list`, or one line saying why there is none.
std::vector<std::string> ListLines();

// "CPU", "GPU", "accelerator", ... (joined with '+' when a device has several types).
std::string TypeName(cl_device_type type);

// "" when a device with this CL_DEVICE_DOUBLE_FP_CONFIG can square f64, else the reason it cannot.
std::string Fp64UnsupportedReason(cl_device_fp_config config);

// The caches level sizes follow on this device: a GPU's global memory cache (as l2); nullopt for
// other devices, which share the CPU's caches.
std::optional<CacheSizes> DeviceCaches(std::string_view variant);

}  // namespace sqb::opencl
