// The opencl backends' own contract: device listing, build errors, the fp64 rule, error names and
// what a cell promises (poison until run, kernel time, one-line errors).
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cstdio>
#include <memory>
#include <string>

#include "backends/opencl/cl_devices.h"
#include "backends/opencl/cl_program.h"
#include "backends/opencl/cl_runtime.h"
#include "backends/opencl/cl_support.h"
#include "harness/inputs.h"
#include "harness/registry.h"
#include "harness/sizes.h"
#include "harness/verify.h"

namespace sqb::opencl {
namespace {

constexpr auto npos = std::string::npos;

// The first device, or nullptr (the test then skips: this machine has no OpenCL).
const DeviceInfo* FirstDevice() {
  const DeviceList& list = Devices();
  return list.devices.empty() ? nullptr : &list.devices.front();
}

#define SQB_NEED_DEVICE(d)             \
  const DeviceInfo* d = FirstDevice(); \
  if (d == nullptr) GTEST_SKIP() << Devices().none_reason

// Runs a shell command line; returns its stdout and stderr together.
std::string Output(const std::string& command) {
  std::string out;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return out;
  char buffer[4096];
  while (const std::size_t got = std::fread(buffer, 1, sizeof(buffer), pipe))
    out.append(buffer, got);
  pclose(pipe);
  return out;
}

CellParams Params(const std::string& backend, const std::string& variant, DType t, std::uint64_t n,
                  std::uint64_t offset = 0) {
  const BackendInfo* b = FindBackend(backend);
  CellParams p;
  p.backend = backend;
  p.executor = b->executor;
  p.chunk_kernel = b->chunk_kernel;
  p.variant = variant;
  p.dtype = t;
  p.elements = n;
  p.offset = offset;
  return p;
}

TEST(Errors, NamesTheCode) {
  EXPECT_EQ(ErrorName(CL_MEM_OBJECT_ALLOCATION_FAILURE), "CL_MEM_OBJECT_ALLOCATION_FAILURE");
  EXPECT_EQ(ErrorName(CL_BUILD_PROGRAM_FAILURE), "CL_BUILD_PROGRAM_FAILURE");
  EXPECT_EQ(ErrorName(-1001), "CL_PLATFORM_NOT_FOUND_KHR");
  EXPECT_EQ(ErrorName(-12345), "CL error -12345");
  EXPECT_NO_THROW(Check(CL_SUCCESS, "clFoo"));
  try {
    Check(CL_OUT_OF_RESOURCES, "clFoo");
    ADD_FAILURE() << "no throw";
  } catch (const CellError& e) {
    EXPECT_STREQ(e.what(), "clFoo: CL_OUT_OF_RESOURCES (-5)");
  }
}

TEST(Devices, ListsEveryDeviceWithItsFields) {
  SQB_NEED_DEVICE(first);
  const BackendInfo* b = FindBackend("opencl");
  ASSERT_NE(b, nullptr);
  ASSERT_TRUE(b->list_devices);
  const auto lines = b->list_devices();
  const auto& devices = Devices().devices;
  ASSERT_EQ(lines.size(), devices.size());
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const DeviceInfo& d = devices[i];
    const std::string& line = lines[i];
    EXPECT_EQ(line.rfind(d.variant, 0), 0u) << line;
    EXPECT_FALSE(d.platform_name.empty());
    EXPECT_FALSE(d.name.empty());
    EXPECT_GT(d.compute_units, 0u);
    EXPECT_GT(d.global_mem_bytes, 0u);
    for (const std::string& field :
         {d.platform_name, d.name, TypeName(d.type), "driver " + d.driver_version,
          fmt::format("{} compute units", d.compute_units),
          FormatBytes(d.global_mem_bytes) + " global memory",
          std::string(d.double_fp_config != 0 ? "fp64 yes" : "fp64 no")})
      EXPECT_NE(line.find(field), npos) << "'" << field << "' not in: " << line;
  }
}

TEST(Devices, VariantsNameEveryDeviceDefaultFirst) {
  SQB_NEED_DEVICE(first);
  const auto& devices = Devices().devices;
  const BackendInfo* square = FindBackend("opencl");
  const BackendInfo* copy = FindBackend("opencl+memcpy");
  ASSERT_NE(square, nullptr);
  ASSERT_NE(copy, nullptr);
  EXPECT_EQ(square->variants.size(), devices.size());
  EXPECT_EQ(copy->variants.get(), square->variants.get());
  EXPECT_TRUE(square->variant_is_device);
  EXPECT_TRUE(copy->variant_is_device);
  const auto gpu = std::find_if(devices.begin(), devices.end(), [](auto& d) { return d.IsGpu(); });
  EXPECT_EQ(square->variants.front(), gpu != devices.end() ? gpu->variant : first->variant);
  for (const DeviceInfo& d : devices) {
    EXPECT_EQ(square->unavailable_reason(d.variant), "") << d.variant;
    const auto caches = square->device_caches(d.variant);
    EXPECT_EQ(caches.has_value(), d.IsGpu()) << d.variant;
    if (caches) {
      EXPECT_EQ(caches->l2, d.global_mem_cache_bytes);
    }
  }
  EXPECT_EQ(square->unavailable_reason("99.99"), "no OpenCL device '99.99'");
}

// Another process, whose ICD loader finds no platform: both backends stay, unavailable, saying why.
TEST(Devices, WithoutAPlatformTheBackendsSayWhy) {
  const std::string env = "OCL_ICD_VENDORS=/nonexistent/sqb-no-icd ";
  const std::string list = Output(env + SQB_BINARY " list");
  const std::string why = "no OpenCL platform: clGetPlatformIDs returned -1001";
  for (const char* name : {"\nopencl ", "\nopencl+memcpy "}) {
    const std::size_t at = list.find(name);
    ASSERT_NE(at, npos) << list;
    // The backend's line and the "not here" line under it.
    const std::size_t end = list.find('\n', list.find('\n', at + 1) + 1);
    const std::string lines = list.substr(at + 1, end - at - 1);
    EXPECT_NE(lines.find("not here: " + why), npos) << lines;
  }
  EXPECT_NE(list.find("opencl devices:\n  " + why), npos) << list;
  const std::string run = Output(env + SQB_BINARY " --backends opencl --sizes 16 --no-save");
  EXPECT_NE(run.find("backend 'opencl' cannot run here: " + why), npos) << run;
}

TEST(Program, FlattensTheBuildLogToOneLine) {
  EXPECT_EQ(FlattenLog("  a.cl:2:8: error: no\n\n   y = z;\r\n       ^\n"),
            "a.cl:2:8: error: no | y = z; | ^");
  EXPECT_EQ(FlattenLog("\n \n"), "");
  EXPECT_EQ(FlattenLog(std::string_view("x:\terror\n\0", 11)), "x: error");
  const std::string cut = FlattenLog(std::string(5000, 'x'), 100);
  EXPECT_EQ(cut.size(), 100u);
  EXPECT_EQ(cut.substr(97), "...");
}

TEST(Program, BrokenSourceIsAOneLineErrorWithTheBuildLog) {
  SQB_NEED_DEVICE(d);
  const std::string_view broken =
      "__kernel void Broken(__global float* y) {\n  y[0] = sqb_no_such_name;\n}\n";
  try {
    BuildProgram(SharedContext(*d), d->id, {broken}, "");
    ADD_FAILURE() << "a broken kernel built";
  } catch (const CellError& e) {
    const std::string m = e.what();
    EXPECT_EQ(m.rfind("OpenCL program build failed: CL_BUILD_PROGRAM_FAILURE (-11): ", 0), 0u) << m;
    EXPECT_NE(m.find("sqb_no_such_name"), npos) << m;  // the compiler's words, from the log
    EXPECT_EQ(m.find('\n'), npos) << m;
    EXPECT_LT(m.size(), 2000u);
  }
}

TEST(Program, SquareProgramIsBuiltOncePerDeviceAndType) {
  SQB_NEED_DEVICE(d);
  const cl_program f32 = SquareProgram(*d, DType::kF32);
  EXPECT_EQ(SquareProgram(*d, DType::kF32), f32);
  cl_int status = CL_SUCCESS;
  Kernel kernel(clCreateKernel(f32, SquareKernelName(DType::kF32), &status));
  EXPECT_EQ(status, CL_SUCCESS) << ErrorName(status);
  // Built with SQB_NO_F64: no f64 kernel in the f32 program.
  Kernel none(clCreateKernel(f32, SquareKernelName(DType::kF64), &status));
  EXPECT_EQ(status, CL_INVALID_KERNEL_NAME) << ErrorName(status);
  if (d->double_fp_config == 0) return;
  const cl_program f64 = SquareProgram(*d, DType::kF64);
  EXPECT_NE(f64, f32);
  EXPECT_EQ(SquareProgram(*d, DType::kF64), f64);
}

TEST(Fp64, NoDoubleConfigMeansNoF64) {
  EXPECT_NE(Fp64UnsupportedReason(0).find("device has no fp64"), npos);
  EXPECT_EQ(Fp64UnsupportedReason(CL_FP_FMA | CL_FP_ROUND_TO_NEAREST | CL_FP_ROUND_TO_ZERO |
                                  CL_FP_ROUND_TO_INF | CL_FP_INF_NAN | CL_FP_DENORM),
            "");
  for (const DeviceInfo& d : Devices().devices)
    EXPECT_EQ(Fp64UnsupportedReason(d.double_fp_config).empty(), d.double_fp_config != 0)
        << d.variant;
}

// Setup leaves y on the device as the fill wrote it (the warm-up launch is undone), for both.
TEST(Cell, YIsPoisonUntilRun) {
  SQB_NEED_DEVICE(d);
  for (const char* backend : {"opencl", "opencl+memcpy"}) {
    const auto cell =
        FindBackend(backend)->make_cell(Params(backend, d->variant, DType::kF32, 1000, 1));
    cell->Setup(TimedFill(DType::kF32));
    const HostArrays a = cell->ReadBack();
    ASSERT_EQ(a.n, 1000u);
    const auto* y = static_cast<const float*>(a.y);
    for (std::size_t i = 0; i < a.n; ++i)
      ASSERT_EQ(std::bit_cast<std::uint32_t>(y[i]), std::bit_cast<std::uint32_t>(Poison<float>()))
          << backend << " y[" << i << "]";
  }
}

TEST(Cell, HandsBackTheKernelTimeOfItsCalls) {
  SQB_NEED_DEVICE(d);
  for (const char* backend : {"opencl", "opencl+memcpy"}) {
    const BackendInfo* b = FindBackend(backend);
    const auto cell = b->make_cell(Params(backend, d->variant, DType::kF32, 1 << 20));
    cell->Setup(TimedFill(DType::kF32));
    ASSERT_TRUE(cell->HasKernelTime());
    EXPECT_EQ(cell->TakeKernelSeconds(), 0.0) << backend << ": Setup's launch is not counted";
    cell->Run();
    cell->Run();
    EXPECT_GT(cell->TakeKernelSeconds(), 0.0) << backend;
    EXPECT_EQ(cell->TakeKernelSeconds(), 0.0) << backend;
    const auto bad = FindMismatch(DType::kF32, b->operation, cell->ReadBack());
    EXPECT_FALSE(bad.has_value()) << backend << ": " << bad->Describe();
  }
}

TEST(Cell, RuntimeErrorsAreOneLineWithTheErrorName) {
  SQB_NEED_DEVICE(d);
  // More than one buffer may hold: refused before any host memory is taken.
  const std::uint64_t n = d->max_alloc_bytes / sizeof(float) + 1;
  const auto cell = FindBackend("opencl")->make_cell(Params("opencl", d->variant, DType::kF32, n));
  try {
    cell->Setup(TimedFill(DType::kF32));
    ADD_FAILURE() << "a buffer over CL_DEVICE_MAX_MEM_ALLOC_SIZE was made";
  } catch (const CellError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("clCreateBuffer: CL_"), npos) << m;
    EXPECT_EQ(m.find('\n'), npos) << m;
  }
  EXPECT_THROW(FindBackend("opencl")->make_cell(Params("opencl", "99.99", DType::kF32, 16)),
               CellError);
}

}  // namespace
}  // namespace sqb::opencl
