// The CUDA backends on one GPU: cuda (x to the device, y = x * x, y back) and cuda+memcpy (the
// same with a device-to-device copy: its ceiling). End-to-end time is the harness's wall clock;
// kernel-only time comes from CUDA events around the kernel or the copy.
#include <cuda_runtime_api.h>
#include <fmt/format.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "cuda_devices.h"
#include "cuda_square.h"
#include "squarebench/executor.h"
#include "squarebench/format.h"
#include "squarebench/registration.h"

namespace sqb::cuda {
namespace {

// Throws a CellError naming the call and its CUDA error. A non-sticky error is cleared first, so
// that the next cell's launch check does not report it again; after a sticky one the device is
// marked lost, and its later cells are skipped with this error. A device another process holds
// is a reason to skip the cell (CellUnsupported), not a failure.
void Check(cudaError_t error, std::string_view what, int device) {
  if (error == cudaSuccess) return;
  cudaGetLastError();
  const std::string text = ErrorText(error, what, device);
  if (IsBusy(error)) throw CellUnsupported(text);
  if (IsSticky(error)) {
    MarkLost(device, text);
    throw CellError(text + "; the device is left out for the rest of the run");
  }
  throw CellError(text);
}

// Errors on release are ignored: after a lost device there is nothing left to do about them.
struct FreeHost {
  void operator()(void* p) const { cudaFreeHost(p); }
};
struct FreeDevice {
  void operator()(void* p) const { cudaFree(p); }
};
using HostMemory = std::unique_ptr<void, FreeHost>;
using DeviceMemory = std::unique_ptr<void, FreeDevice>;

// The calling thread's new pages come from NUMA node `node` while this lives (set_mempolicy's
// MPOL_BIND), then from anywhere again (MPOL_DEFAULT: squarebench sets no policy of its own). Does
// nothing for node < 0, or when the kernel refuses.
class NumaBind {
 public:
  explicit NumaBind(int node) {
    constexpr int kMpolBind = 2;
    if (node < 0 || node >= 64) return;
    const unsigned long mask = 1ul << node;
    bound_ = syscall(SYS_set_mempolicy, kMpolBind, &mask, 64) == 0;
  }
  ~NumaBind() {
    if (bound_) syscall(SYS_set_mempolicy, 0, nullptr, 0);
  }
  NumaBind(const NumaBind&) = delete;
  NumaBind& operator=(const NumaBind&) = delete;
  bool bound() const { return bound_; }

 private:
  bool bound_ = false;
};

// What a cell times as kernel-only: the square kernel, or one of the two copy ceilings.
enum class Work {
  kSquare,
  kCopyKernel,  // the square kernel's launch shape and accesses, storing x itself
  kMemcpy,      // cudaMemcpyAsync device to device: the runtime's own copy
};

class CudaCell final : public Cell {
 public:
  CudaCell(const CellParams& p, Work work)
      : device_(DeviceIndex(p.variant)),
        work_(work),
        dtype_(p.dtype),
        n_(p.elements),
        offset_(p.offset),
        element_bytes_(SizeOf(p.dtype)) {}

  ~CudaCell() override {
    if (host_x_ == nullptr) return;  // never set up: no context to enter
    cudaSetDevice(device_);
    if (start_ != nullptr) cudaEventDestroy(start_);
    if (stop_ != nullptr) cudaEventDestroy(stop_);
    if (stream_ != nullptr) cudaStreamDestroy(stream_);
  }

  void Setup(const FillFn& fill) override {
    Check(cudaSetDevice(device_), "cudaSetDevice", device_);
    const cudaDeviceProp& p = Properties(device_);
    // One wave of blocks the device holds at once, every SM full; the grid-stride loop covers the
    // rest. Fewer when n is small: every thread still gets kElementsPerThread elements.
    const std::size_t resident = static_cast<std::size_t>(p.multiProcessorCount) *
                                 std::max(1, p.maxThreadsPerMultiProcessor / kThreadsPerBlock);
    const std::size_t per_block = std::size_t{kThreadsPerBlock} * kElementsPerThread;
    const std::size_t needed = (n_ + per_block - 1) / per_block;
    blocks_ = static_cast<int>(std::clamp<std::size_t>(needed, 1, resident));

    // At least one element each, so that n = 0 still has valid pointers to show.
    const std::size_t x_bytes = std::max<std::size_t>(n_, 1) * element_bytes_;
    const std::size_t y_bytes = std::max<std::size_t>(n_ + offset_, 1) * element_bytes_;
    host_x_ = AllocateHost(x_bytes, "x");
    host_y_ = AllocateHost(y_bytes, "y");
    fill(0, n_, host_x_.get(), HostY());
    device_x_ = AllocateDevice(x_bytes, "x");
    device_y_ = AllocateDevice(y_bytes, "y");
    Check(cudaStreamCreateWithFlags(&stream_, cudaStreamNonBlocking), "cudaStreamCreate", device_);
    Check(cudaEventCreate(&start_), "cudaEventCreate", device_);
    Check(cudaEventCreate(&stop_), "cudaEventCreate", device_);
    if (n_ == 0) return;

    const std::size_t bytes = n_ * element_bytes_;
    Check(cudaMemcpy(device_x_.get(), host_x_.get(), bytes, cudaMemcpyHostToDevice),
          "copying x to the device", device_);
    // The first launch loads the module (lazily, per kernel) and finishes setting up the
    // context: paid here, never in a sample.
    Check(EnqueueDeviceWork(), "warm-up launch", device_);
    Check(cudaStreamSynchronize(stream_), "warm-up", device_);
    // The poison back on the device: y must come from a timed Run, not from the warm-up.
    Check(cudaMemcpy(DeviceY(), HostY(), bytes, cudaMemcpyHostToDevice), "copying y to the device",
          device_);
  }

  void Run() override {
    if (n_ == 0) return;
    const std::size_t bytes = n_ * element_bytes_;
    // Cells on different devices take turns in a round; each launches on its own.
    Check(cudaSetDevice(device_), "cudaSetDevice", device_);
    Check(cudaMemcpyAsync(device_x_.get(), host_x_.get(), bytes, cudaMemcpyHostToDevice, stream_),
          "copying x to the device", device_);
    Check(cudaEventRecord(start_, stream_), "cudaEventRecord", device_);
    Check(EnqueueDeviceWork(), work_ == Work::kMemcpy ? "device copy" : "kernel launch", device_);
    Check(cudaEventRecord(stop_, stream_), "cudaEventRecord", device_);
    Check(cudaMemcpyAsync(HostY(), DeviceY(), bytes, cudaMemcpyDeviceToHost, stream_),
          "copying y to the host", device_);
    // Errors of the kernel itself (a lost device, a bad address) surface here.
    Check(cudaStreamSynchronize(stream_), "running", device_);
    float ms = 0;
    Check(cudaEventElapsedTime(&ms, start_, stop_), "cudaEventElapsedTime", device_);
    kernel_seconds_ += static_cast<double>(ms) * 1e-3;
  }

  // Run() already brought y back, synchronised.
  HostArrays ReadBack() override { return {host_x_.get(), HostY(), n_}; }

  bool HasKernelTime() const override { return true; }
  double TakeKernelSeconds() override { return std::exchange(kernel_seconds_, 0.0); }

  std::string Placement() const override {
    return fmt::format("GPU {} ({})", device_, Properties(device_).name);
  }

  // How the row was timed, too: kernel-only time is between two events around one launch, so at
  // small sizes it holds the launch's own latency (a few microseconds).
  std::string Summary() const override {
    const std::string timing =
        fmt::format("pinned host{}; kernel-only: events around the launch",
                    numa_node_ >= 0 ? fmt::format(" on NUMA node {}", numa_node_) : std::string());
    if (work_ == Work::kMemcpy) return fmt::format("cudaMemcpyAsync device to device, {}", timing);
    return fmt::format("{}{} blocks x {} threads, {} loads in flight a thread, grid-stride, {}",
                       work_ == Work::kCopyKernel ? "copy kernel, " : "", blocks_, kThreadsPerBlock,
                       kElementsPerThread, timing);
  }

 private:
  // Pinned, and on the GPU's own host NUMA node: the driver allocates and pins the pages in this
  // thread, so on a two-socket node the copies do not cross the socket link.
  HostMemory AllocateHost(std::size_t bytes, std::string_view name) {
    void* p = nullptr;
    const NumaBind bind(HostNumaNode(device_));
    if (bind.bound()) numa_node_ = HostNumaNode(device_);
    Check(cudaMallocHost(&p, bytes),
          fmt::format("cudaMallocHost of {} for {}", FormatBytes(bytes), name), device_);
    return HostMemory(p);
  }

  DeviceMemory AllocateDevice(std::size_t bytes, std::string_view name) {
    void* p = nullptr;
    Check(cudaMalloc(&p, bytes), fmt::format("cudaMalloc of {} for {}", FormatBytes(bytes), name),
          device_);
    return DeviceMemory(p);
  }

  void* HostY() const { return static_cast<char*>(host_y_.get()) + offset_ * element_bytes_; }
  void* DeviceY() const { return static_cast<char*>(device_y_.get()) + offset_ * element_bytes_; }

  // What is timed as kernel-only.
  cudaError_t EnqueueDeviceWork() {
    if (work_ == Work::kMemcpy)
      return cudaMemcpyAsync(DeviceY(), device_x_.get(), n_ * element_bytes_,
                             cudaMemcpyDeviceToDevice, stream_);
    const Map map = work_ == Work::kSquare ? Map::kSquare : Map::kCopy;
    if (dtype_ == DType::kF32)
      return LaunchF32(map, static_cast<const float*>(device_x_.get()),
                       static_cast<float*>(device_y_.get()), offset_, n_, blocks_, stream_);
    return LaunchF64(map, static_cast<const double*>(device_x_.get()),
                     static_cast<double*>(device_y_.get()), offset_, n_, blocks_, stream_);
  }

  const int device_;
  const Work work_;
  const DType dtype_;
  const std::size_t n_;
  const std::size_t offset_;
  const std::size_t element_bytes_;
  int blocks_ = 1;
  int numa_node_ = -1;  // the host node the pinned buffers were bound to; -1: not bound
  HostMemory host_x_, host_y_;
  DeviceMemory device_x_, device_y_;
  cudaStream_t stream_ = nullptr;
  cudaEvent_t start_ = nullptr;
  cudaEvent_t stop_ = nullptr;
  double kernel_seconds_ = 0;
};

std::unique_ptr<Cell> MakeCell(const CellParams& p, Work work) {
  if (const std::string why = UnavailableReason(p.variant); !why.empty())
    throw CellUnsupported(why);
  return std::make_unique<CudaCell>(p, work);
}

// The devices as `list` shows them (or why there are none), in every report that uses them.
FingerprintLines Fingerprint() {
  return {{"cuda.devices", fmt::format("{}", fmt::join(ListDevices(), "; "))}};
}

// What the cuda backends share: their devices (enumerated once for all three), the devices'
// caches and memory, how they are listed and fingerprinted.
BackendInfo OnCudaDevices(std::string name, std::string chunk_kernel, std::string description,
                          Operation operation, Work work) {
  static const LazyList devices(DeviceVariants);
  return BackendInfo{
      .name = std::move(name),
      .executor = "cuda",
      .chunk_kernel = std::move(chunk_kernel),
      .description = std::move(description),
      .operation = operation,
      .parallel = false,
      .variants = devices,
      .variant_is_device = true,
      .device_caches = DeviceCaches,
      .device_memory = FreeMemory,
      .list_devices = ListDevices,
      .unavailable_reason = UnavailableReason,
      .provenance = {.fingerprint = Fingerprint},
      .make_cell = [work](const CellParams& p) { return MakeCell(p, work); },
  };
}

// The square backend: the default run's, rated against both copies.
BackendInfo CudaSquare() {
  BackendInfo b = OnCudaDevices(
      "cuda", "scalar", "one NVIDIA GPU: x to the device, y = x * x, y back; and kernel-only time",
      Operation::kSquare, Work::kSquare);
  b.in_default_run = true;
  // NVIDIA arithmetic returns one canonical NaN for f32 (documented); f64 stays bitwise until a
  // GPU's conformance run settles it (scripts/gpu-check).
  b.canonical_nan_dtypes = {DType::kF32};
  // The copy kernel first: the runtime's own copy may be slower, and an efficiency over 100%
  // against it says the ceiling is wrong, not the kernel.
  b.ceilings = {{"cuda+copy", {}}, {"cuda+memcpy", {}}};
  return b;
}

SQB_REGISTER_BACKEND(CudaSquare());

SQB_REGISTER_BACKEND((OnCudaDevices("cuda+copy", "copy",
                                    "one NVIDIA GPU: x to the device, the square kernel's shape "
                                    "storing x, y back (copy ceiling)",
                                    Operation::kCopy, Work::kCopyKernel)));

SQB_REGISTER_BACKEND(
    (OnCudaDevices("cuda+memcpy", "memcpy",
                   "one NVIDIA GPU: x to the device, device-to-device copy, y back (copy ceiling)",
                   Operation::kCopy, Work::kMemcpy)));

}  // namespace
}  // namespace sqb::cuda
