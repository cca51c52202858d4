// The cells of the opencl backends: x written to the device, one command making y, y read back.
#include "opencl_cell.h"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "cl_devices.h"
#include "cl_runtime.h"
#include "cl_support.h"
#include "squarebench/page_buffer.h"

namespace sqb::opencl {
namespace {

// Work-items per work-group, unless the kernel allows fewer on the device. A CPU device runs a
// work-group as one loop over its items, so fewer, larger groups cost less (PoCL here: 1024 is
// 5-20% faster than 256 at L1/L2 sizes, the same beyond); 256 is the usual choice for GPUs.
constexpr std::size_t kCpuWorkGroupSize = 1024;
constexpr std::size_t kWorkGroupSize = 256;

// A Run() is: write x to the device, one command computing y on the device (which derived classes
// enqueue, with a profiling event), read y back; all finished when it returns. Kernel-only time
// is the sum of those commands' profiled times.
class DeviceCell : public Cell {
 public:
  explicit DeviceCell(const CellParams& params)
      : device_(Find(params.variant)),
        dtype_(params.dtype),
        n_(params.elements),
        offset_(params.offset),
        element_bytes_(SizeOf(params.dtype)) {
    if (dtype_ == DType::kF64)
      if (std::string why = Fp64UnsupportedReason(device_.double_fp_config); !why.empty())
        throw CellUnsupported(why);
  }

  void Setup(const FillFn& fill) override {
    const cl_context context = SharedContext(device_);
    cl_int status = CL_SUCCESS;
    queue_ = Queue(clCreateCommandQueue(context, device_.id, CL_QUEUE_PROFILING_ENABLE, &status));
    Check(status, "clCreateCommandQueue");
    // Device buffers before host ones, so that a size the device cannot hold fails fast. OpenCL
    // has no empty buffers: n = 0 gets one element that no command touches.
    x_device_ = MakeBuffer(context, CL_MEM_READ_ONLY, std::max<std::size_t>(n_, 1));
    y_device_ = MakeBuffer(context, CL_MEM_READ_WRITE, std::max<std::size_t>(offset_ + n_, 1));
    x_host_ = PageBuffer(n_ * element_bytes_);
    y_host_ = PageBuffer((offset_ + n_) * element_bytes_);
    fill(0, n_, x_host_.data(), YHost());
    Prepare();
    if (n_ == 0) return;
    // One untimed command pays for the first launch (an implementation may compile or allocate
    // then); y on the device is then made what the fill left on the host: poison.
    WriteX();
    cl_event raw = nullptr;
    EnqueueCompute(&raw);
    const Event event(raw);
    Check(clFinish(queue_.get()), "clFinish");
    Check(clEnqueueWriteBuffer(queue_.get(), y_device_.get(), CL_TRUE, 0, YDeviceBytes(),
                               y_host_.data(), 0, nullptr, nullptr),
          "clEnqueueWriteBuffer(y)");
  }

  void Run() override {
    if (n_ == 0) return;  // OpenCL rejects empty commands
    WriteX();
    cl_event raw = nullptr;
    EnqueueCompute(&raw);
    const Event event(raw);
    ReadY();
    kernel_seconds_ += Seconds(event.get());
  }

  HostArrays ReadBack() override {
    if (n_ > 0) ReadY();
    return {x_host_.data(), YHost(), n_};
  }

  bool HasKernelTime() const override { return true; }
  double TakeKernelSeconds() override { return std::exchange(kernel_seconds_, 0.0); }
  std::string Placement() const override {
    return fmt::format("OpenCL {}: {}", device_.variant, device_.name);
  }

 protected:
  // Untimed, once the buffers exist: whatever EnqueueCompute needs (kernels, arguments).
  virtual void Prepare() = 0;
  // Enqueues the one command of a call on queue_, with an event for its profiling.
  virtual void EnqueueCompute(cl_event* event) = 0;

  const DeviceInfo& device_;
  DType dtype_;
  std::size_t n_;
  std::size_t offset_;
  std::size_t element_bytes_;
  Queue queue_;
  Buffer x_device_;
  Buffer y_device_;  // offset_ + n_ elements

 private:
  static const DeviceInfo& Find(const std::string& variant) {
    const DeviceInfo* device = FindDevice(variant);
    if (device == nullptr) throw CellError(UnavailableReason(variant));
    return *device;
  }

  Buffer MakeBuffer(cl_context context, cl_mem_flags flags, std::size_t elements) const {
    cl_int status = CL_SUCCESS;
    Buffer buffer(clCreateBuffer(context, flags, elements * element_bytes_, nullptr, &status));
    Check(status, "clCreateBuffer");
    return buffer;
  }

  std::size_t YDeviceBytes() const {
    return std::max<std::size_t>(offset_ + n_, 1) * element_bytes_;
  }
  void* YHost() const { return static_cast<char*>(y_host_.data()) + offset_ * element_bytes_; }

  void WriteX() {
    Check(clEnqueueWriteBuffer(queue_.get(), x_device_.get(), CL_FALSE, 0, n_ * element_bytes_,
                               x_host_.data(), 0, nullptr, nullptr),
          "clEnqueueWriteBuffer(x)");
  }

  void ReadY() {
    Check(clEnqueueReadBuffer(queue_.get(), y_device_.get(), CL_TRUE, offset_ * element_bytes_,
                              n_ * element_bytes_, YHost(), 0, nullptr, nullptr),
          "clEnqueueReadBuffer(y)");
  }

  static double Seconds(cl_event event) {
    cl_ulong start = 0, end = 0;
    Check(
        clGetEventProfilingInfo(event, CL_PROFILING_COMMAND_START, sizeof(start), &start, nullptr),
        "clGetEventProfilingInfo");
    Check(clGetEventProfilingInfo(event, CL_PROFILING_COMMAND_END, sizeof(end), &end, nullptr),
          "clGetEventProfilingInfo");
    return end > start ? static_cast<double>(end - start) * 1e-9 : 0.0;
  }

  PageBuffer x_host_;
  PageBuffer y_host_;  // offset_ + n_ elements, like y_device_
  double kernel_seconds_ = 0;
};

class SquareCell final : public DeviceCell {
 public:
  using DeviceCell::DeviceCell;
  std::string Summary() const override { return fmt::format("work-groups of {}", local_size_); }

 private:
  void Prepare() override {
    cl_int status = CL_SUCCESS;
    kernel_ =
        Kernel(clCreateKernel(SquareProgram(device_, dtype_), SquareKernelName(dtype_), &status));
    Check(status, "clCreateKernel");
    std::size_t most = 0;
    Check(clGetKernelWorkGroupInfo(kernel_.get(), device_.id, CL_KERNEL_WORK_GROUP_SIZE,
                                   sizeof(most), &most, nullptr),
          "clGetKernelWorkGroupInfo");
    const bool cpu = (device_.type & CL_DEVICE_TYPE_CPU) != 0;
    local_size_ = std::clamp<std::size_t>(most, 1, cpu ? kCpuWorkGroupSize : kWorkGroupSize);
    const cl_mem x = x_device_.get(), y = y_device_.get();
    const cl_ulong offset = offset_, n = n_;
    Check(clSetKernelArg(kernel_.get(), 0, sizeof(x), &x), "clSetKernelArg(x)");
    Check(clSetKernelArg(kernel_.get(), 1, sizeof(y), &y), "clSetKernelArg(y)");
    Check(clSetKernelArg(kernel_.get(), 2, sizeof(offset), &offset), "clSetKernelArg(offset)");
    Check(clSetKernelArg(kernel_.get(), 3, sizeof(n), &n), "clSetKernelArg(n)");
  }

  void EnqueueCompute(cl_event* event) override {
    const std::size_t global = (n_ + local_size_ - 1) / local_size_ * local_size_;
    Check(clEnqueueNDRangeKernel(queue_.get(), kernel_.get(), 1, nullptr, &global, &local_size_, 0,
                                 nullptr, event),
          "clEnqueueNDRangeKernel");
  }

  Kernel kernel_;
  std::size_t local_size_ = 1;
};

class CopyCell final : public DeviceCell {
 public:
  using DeviceCell::DeviceCell;
  std::string Summary() const override { return "clEnqueueCopyBuffer"; }

 private:
  void Prepare() override {}

  void EnqueueCompute(cl_event* event) override {
    Check(clEnqueueCopyBuffer(queue_.get(), x_device_.get(), y_device_.get(), 0,
                              offset_ * element_bytes_, n_ * element_bytes_, 0, nullptr, event),
          "clEnqueueCopyBuffer");
  }
};

}  // namespace

std::unique_ptr<Cell> MakeSquareCell(const CellParams& params) {
  return std::make_unique<SquareCell>(params);
}

std::unique_ptr<Cell> MakeCopyCell(const CellParams& params) {
  return std::make_unique<CopyCell>(params);
}

}  // namespace sqb::opencl
