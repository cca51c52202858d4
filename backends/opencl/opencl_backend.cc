// The opencl backends: squaring with square.cl, and copying with clEnqueueCopyBuffer as
// its ceiling, on any device of the installed OpenCL platforms.
#include <fmt/format.h>

#include "cl_devices.h"
#include "opencl_cell.h"
#include "squarebench/registration.h"

namespace sqb::opencl {
namespace {

// What both backends share: the devices, their caches and why one cannot run.
BackendInfo DeviceBackend(BackendInfo info) {
  info.executor = "opencl";
  info.variants = LazyList(Variants);
  info.variant_is_device = true;
  info.device_caches = [](const std::string& variant) { return DeviceCaches(variant); };
  info.unavailable_reason = [](const std::string& variant) { return UnavailableReason(variant); };
  info.provenance.fingerprint = [] {
    return FingerprintLines{{"opencl.devices", fmt::format("{}", fmt::join(ListLines(), "; "))}};
  };
  return info;
}

SQB_REGISTER_BACKEND(DeviceBackend({
    .name = "opencl",
    .chunk_kernel = "scalar",
    .description = "OpenCL kernel square.cl; end-to-end includes copies to and from the "
                   "device",
    .operation = Operation::kSquare,
    .in_default_run = true,
    .ceilings = {{"opencl+memcpy", {}}},
    .list_devices = ListLines,
    .make_cell = MakeSquareCell,
}));

SQB_REGISTER_BACKEND(DeviceBackend({
    .name = "opencl+memcpy",
    .chunk_kernel = "memcpy",
    .description = "OpenCL clEnqueueCopyBuffer (copy ceiling)",
    .operation = Operation::kCopy,
    .list_devices = ListLines,
    .make_cell = MakeCopyCell,
}));

}  // namespace
}  // namespace sqb::opencl
