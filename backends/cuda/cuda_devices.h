// CUDA devices as the backend sees them: the variants declared before main, and after main the
// runtime's devices, their properties, and why a device cannot run.
#pragma once

#include <cuda_runtime_api.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "squarebench/caches.h"

namespace sqb::cuda {

// Device indices "0".."k-1", k an upper bound on the devices CUDA can see, found without calling
// the CUDA runtime: its use before main is undefined, and registration runs before main. At least
// "0", so that a machine without a GPU still says why. Extra indices report themselves unavailable.
std::vector<std::string> DeviceVariants();

// "" when device `variant` can run here, else one line why not ("no CUDA device: <runtime's
// error>"). The first call initialises the CUDA driver; what it finds is kept for the process.
std::string UnavailableReason(const std::string& variant);

// Index and properties of a device for which UnavailableReason() is "".
int DeviceIndex(const std::string& variant);
const cudaDeviceProp& Properties(int device);

// `squarebench list`: one line per device, or the one line saying why there is none.
std::vector<std::string> ListDevices();

// The level sizes follow the device's own L2 (as l2; no L1 or L3 level); nullopt when unavailable.
std::optional<CacheSizes> DeviceCaches(const std::string& variant);

// The host NUMA node nearest the device (cudaDevAttrHostNumaId); -1 when the host has one node or
// the driver does not say.
int HostNumaNode(int device);

// Bytes of device memory free now (cudaMemGetInfo), for the planner's budget; nullopt when the
// device is unavailable or will not say.
std::optional<std::uint64_t> FreeMemory(const std::string& variant);

// Errors after which the device's context is broken for the rest of the process (an illegal
// address, an uncorrectable ECC error, a kernel that trapped or timed out, ...): every later call
// returns the same error, so the run goes on without the device.
bool IsSticky(cudaError_t error);
// Errors that say another process holds the device (exclusive-process compute mode) or it is
// otherwise unavailable: a reason to skip it, not a failure of the backend.
bool IsBusy(cudaError_t error);
// From now on, UnavailableReason() of `device` is "CUDA device <d> was lost earlier in this run:
// <why>", so its later cells are SKIPPED with the original error instead of failing on it.
void MarkLost(int device, const std::string& why);

// One line naming a failed call and its CUDA error: "<what> on CUDA device <d>: <text> (<name>)".
std::string ErrorText(cudaError_t error, std::string_view what, int device);

}  // namespace sqb::cuda
