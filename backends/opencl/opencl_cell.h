// The cells of the opencl backends: x written to the device, one command making y, y read back.
#pragma once

#include <memory>

#include "squarebench/backend.h"

namespace sqb::opencl {

// y[offset + i] = square(x[i]) by the kernel of kernels/square.cl. Throws CellUnsupported for f64
// on a device without fp64, and CellError for a variant naming no device.
std::unique_ptr<Cell> MakeSquareCell(const CellParams& params);

// y[offset + i] = x[i] by clEnqueueCopyBuffer: the device's copy ceiling.
std::unique_ptr<Cell> MakeCopyCell(const CellParams& params);

}  // namespace sqb::opencl
