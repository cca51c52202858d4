// What the opencl cells of a process share: one context per device, and the square program per
// (device, dtype), built on first use.
#include "cl_runtime.h"

#include <map>
#include <mutex>
#include <string>
#include <utility>

#include "cl_program.h"
#include "opencl_kernel_text.h"

namespace sqb::opencl {
namespace {

struct DeviceRuntime {
  Context context;
  std::map<DType, Program> programs;
};

struct Runtimes {
  std::mutex mutex;
  std::map<cl_device_id, DeviceRuntime> by_device;
};

// Never destroyed: releasing at exit could run after the OpenCL implementation has shut down.
Runtimes& GetRuntimes() {
  static Runtimes* runtimes = new Runtimes;
  return *runtimes;
}

// Callers hold the mutex.
DeviceRuntime& RuntimeFor(Runtimes& all, const DeviceInfo& device) {
  DeviceRuntime& r = all.by_device[device.id];
  if (!r.context) {
    cl_int status = CL_SUCCESS;
    r.context = Context(clCreateContext(nullptr, 1, &device.id, nullptr, nullptr, &status));
    Check(status, "clCreateContext");
  }
  return r;
}

}  // namespace

cl_context SharedContext(const DeviceInfo& device) {
  Runtimes& all = GetRuntimes();
  std::lock_guard lock(all.mutex);
  return RuntimeFor(all, device).context.get();
}

cl_program SquareProgram(const DeviceInfo& device, DType t) {
  Runtimes& all = GetRuntimes();
  std::lock_guard lock(all.mutex);
  DeviceRuntime& r = RuntimeFor(all, device);
  Program& program = r.programs[t];
  if (!program) {
    const bool f64 = t == DType::kF64;
    // #line keeps the build log's line numbers those of each file.
    const std::string_view prelude =
        f64 ? "#pragma OPENCL EXTENSION cl_khr_fp64 : enable\n#line 1 \"kernels/square.h\"\n"
            : "#line 1 \"kernels/square.h\"\n";
    program = BuildProgram(r.context.get(), device.id,
                           {prelude, kernel_text::kSquareH, "\n#line 1 \"kernels/square.cl\"\n",
                            kernel_text::kSquareCl},
                           f64 ? "" : "-DSQB_NO_F64");
  }
  return program.get();
}

const char* SquareKernelName(DType t) { return t == DType::kF64 ? "SquareF64" : "SquareF32"; }

}  // namespace sqb::opencl
