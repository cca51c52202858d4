// Building an OpenCL program from source for one device, with the build log in the error.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "cl_support.h"

namespace sqb::opencl {

// A build log on one line: lines trimmed, blank ones dropped, joined with " | "; cut to at most
// max_chars characters, ending in "..." when cut.
std::string FlattenLog(std::string_view log, std::size_t max_chars = 1500);

// Builds the concatenation of `sources` for `device` with compiler `options`. On failure throws
// CellError "OpenCL program build failed: <error name> (<code>): <flattened log>".
Program BuildProgram(cl_context context, cl_device_id device,
                     const std::vector<std::string_view>& sources, const std::string& options);

}  // namespace sqb::opencl
