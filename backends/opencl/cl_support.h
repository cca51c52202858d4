// The OpenCL C API as the opencl backends use it: its version, error names, checks, RAII handles.
#pragma once

// OpenCL 1.2: what every platform offers; newer platforms keep serving it.
#define CL_TARGET_OPENCL_VERSION 120
#include <CL/cl.h>

#include <string>
#include <utility>

namespace sqb::opencl {

// "CL_MEM_OBJECT_ALLOCATION_FAILURE" for -4; "CL error <code>" for a code without a known name.
std::string ErrorName(cl_int code);

// Throws CellError("<what>: <error name> (<code>)") unless code is CL_SUCCESS.
void Check(cl_int code, const char* what);

// Owns one reference to an OpenCL object and drops it with Release (the matching clRelease*).
template <typename T, cl_int (*Release)(T)>
class Handle {
 public:
  Handle() = default;
  explicit Handle(T object) : object_(object) {}
  ~Handle() { reset(); }
  Handle(Handle&& other) noexcept : object_(std::exchange(other.object_, nullptr)) {}
  Handle& operator=(Handle&& other) noexcept {
    if (this != &other) {
      reset();
      object_ = std::exchange(other.object_, nullptr);
    }
    return *this;
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;

  T get() const { return object_; }
  explicit operator bool() const { return object_ != nullptr; }
  void reset() {
    if (object_ != nullptr) Release(object_);
    object_ = nullptr;
  }

 private:
  T object_ = nullptr;
};

using Context = Handle<cl_context, clReleaseContext>;
using Queue = Handle<cl_command_queue, clReleaseCommandQueue>;
using Program = Handle<cl_program, clReleaseProgram>;
using Kernel = Handle<cl_kernel, clReleaseKernel>;
using Buffer = Handle<cl_mem, clReleaseMemObject>;
using Event = Handle<cl_event, clReleaseEvent>;

}  // namespace sqb::opencl
