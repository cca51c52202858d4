// What the opencl cells of a process share: one context per device, and the square program per
// (device, dtype), built on first use.
#pragma once

#include <string_view>

#include "cl_devices.h"
#include "cl_support.h"
#include "squarebench/dtype.h"

namespace sqb::opencl {

// The device's context, created on first use and kept for the life of the process.
cl_context SharedContext(const DeviceInfo& device);

// kernels/square.cl built for `device` and `t` (f32 with SQB_NO_F64), once per process: later cells
// reuse it. Throws CellError with the build log when it does not build.
cl_program SquareProgram(const DeviceInfo& device, DType t);

// The kernel in SquareProgram(device, t) that squares t.
const char* SquareKernelName(DType t);

}  // namespace sqb::opencl
