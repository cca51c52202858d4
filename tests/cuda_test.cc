// The CUDA backends: registered as declared; without a device, skipped or refused with the
// reason; with one, a verified cell of each dtype, in-process and through the real binary.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "backends/cuda/cuda_devices.h"
#include "harness/inputs.h"
#include "harness/plan.h"
#include "harness/registry.h"
#include "harness/verify.h"
#include "tests/spawn_binary.h"

namespace sqb {
namespace {

namespace fs = std::filesystem;

using Result = testing::BinaryResult;

// Runs squarebench with `args`, stdout and stderr captured to files in a scratch folder.
Result RunBinary(const std::vector<std::string>& args) {
  const fs::path dir = fs::temp_directory_path() / ("sqb_cuda_test_" + std::to_string(getpid()));
  fs::create_directories(dir);
  Result r = testing::WaitBinary(testing::StartBinary(SQB_BINARY, args, dir), dir);
  fs::remove_all(dir);
  return r;
}

const BackendInfo& Cuda() { return *FindBackend("cuda"); }

// "" when device 0 can run here, else why not.
std::string NoDeviceReason() { return Cuda().unavailable_reason("0"); }

#define SKIP_WITH_A_DEVICE() \
  if (NoDeviceReason().empty()) GTEST_SKIP() << "a CUDA device is present"
#define SKIP_WITHOUT_A_DEVICE() \
  if (!NoDeviceReason().empty()) GTEST_SKIP() << NoDeviceReason()

TEST(CudaBackend, IsRegisteredAsDeclared) {
  ASSERT_NE(FindBackend("cuda"), nullptr);
  const BackendInfo& b = Cuda();
  EXPECT_EQ(b.operation, Operation::kSquare);
  EXPECT_TRUE(b.in_default_run);
  EXPECT_FALSE(b.parallel);
  // f32 is documented; f64 is held to the bitwise rule until a GPU's conformance run says
  // otherwise.
  EXPECT_EQ(b.canonical_nan_dtypes, std::vector<DType>{DType::kF32});
  EXPECT_TRUE(b.variant_is_device);
  ASSERT_FALSE(b.variants.get().empty());
  EXPECT_EQ(b.variants.get().front(), "0");
  // The copy kernel of the square kernel's shape, then the runtime's own device-to-device copy.
  ASSERT_EQ(b.ceilings.size(), 2u);
  EXPECT_EQ(b.ceilings[0].backend, "cuda+copy");
  EXPECT_EQ(b.ceilings[1].backend, "cuda+memcpy");
  for (const CeilingSpec& ceiling : b.ceilings) {
    const BackendInfo* copy = FindBackend(ceiling.backend);
    ASSERT_NE(copy, nullptr);
    EXPECT_EQ(copy->executor, "cuda");
    EXPECT_EQ(copy->chunk_kernel, ceiling.backend.substr(5));
    EXPECT_EQ(copy->operation, Operation::kCopy);
    EXPECT_FALSE(copy->in_default_run);
    EXPECT_TRUE(copy->canonical_nan_dtypes.empty()) << "a copy keeps NaN payloads";
    EXPECT_TRUE(copy->variant_is_device);
    EXPECT_EQ(copy->variants.get(), b.variants.get());
  }
}

TEST(CudaBackend, AVariantPastTheDevicesSaysSo) {
  const std::string why = Cuda().unavailable_reason("64");
  EXPECT_NE(why.find("no CUDA device"), std::string::npos) << why;
  EXPECT_FALSE(Cuda().device_caches("64").has_value());
}

TEST(CudaWithoutDevice, ReasonNamesTheRuntimeError) {
  SKIP_WITH_A_DEVICE();
  EXPECT_EQ(NoDeviceReason().rfind("no CUDA device: ", 0), 0u) << NoDeviceReason();
  EXPECT_GT(NoDeviceReason().size(), std::string("no CUDA device: ").size());
  EXPECT_NE(NoDeviceReason().find("; this build's runtime is CUDA "), std::string::npos)
      << "the driver's and the runtime's versions: " << NoDeviceReason();
  EXPECT_FALSE(Cuda().device_caches("0").has_value()) << "levels then follow the CPU's caches";
  EXPECT_EQ(Cuda().list_devices(), std::vector<std::string>{NoDeviceReason()});
}

TEST(CudaWithoutDevice, ListShowsWhy) {
  SKIP_WITH_A_DEVICE();
  const Result r = RunBinary({"list"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("\ncuda "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\ncuda devices:\n  no CUDA device: "), std::string::npos) << r.out;
}

TEST(CudaWithoutDevice, AskingForItIsOneLineAndExitTwo) {
  SKIP_WITH_A_DEVICE();
  for (const char* name : {"cuda", "cuda@0", "cuda+memcpy", "serial,cuda"}) {
    const Result r = RunBinary({"run", "--backends", name, "--sizes", "1Ki", "--no-save"});
    EXPECT_EQ(r.code, 2) << name << ": " << r.err;
    EXPECT_EQ(r.err.rfind("squarebench: error: ", 0), 0u) << name << ": " << r.err;
    EXPECT_NE(r.err.find("no CUDA device: "), std::string::npos) << name << ": " << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << name << ": " << r.err;
    EXPECT_TRUE(r.out.empty()) << name;
  }
}

TEST(CudaWithoutDevice, DefaultPlanSkipsItWithTheReason) {
  SKIP_WITH_A_DEVICE();
  const Plan plan = MakePlan(RunOptions{}, CurrentMachineLimits());
  const auto skipped = std::find_if(plan.skipped.begin(), plan.skipped.end(),
                                    [](const CellRecord& c) { return c.params.backend == "cuda"; });
  ASSERT_NE(skipped, plan.skipped.end());
  EXPECT_EQ(skipped->status, CellStatus::kSkipped);
  EXPECT_EQ(skipped->message, NoDeviceReason());
  for (const SizeGroup& g : plan.groups)
    for (const PlannedCell& c : g.cells) EXPECT_NE(c.backend->executor, "cuda");
}

// After a sticky error (an illegal address, an ECC error, a trap) every later call on the device
// fails with it: the device is left out, and its later cells are SKIPPED with the original error
// rather than failed with the error blamed on their first call. Another process holding the
// device is a reason to skip, too. In a child process: the lost device stays lost there.
TEST(CudaErrors, AStickyErrorLeavesTheDeviceOutWithTheOriginalError) {
  EXPECT_TRUE(cuda::IsSticky(cudaErrorIllegalAddress));
  EXPECT_TRUE(cuda::IsSticky(cudaErrorECCUncorrectable));
  EXPECT_TRUE(cuda::IsSticky(cudaErrorLaunchFailure));
  EXPECT_FALSE(cuda::IsSticky(cudaErrorMemoryAllocation)) << "the next cell may be smaller";
  EXPECT_FALSE(cuda::IsSticky(cudaErrorInvalidValue));
  EXPECT_TRUE(cuda::IsBusy(cudaErrorDevicesUnavailable));
  EXPECT_FALSE(cuda::IsBusy(cudaErrorIllegalAddress));
  const std::string error =
      "kernel launch on CUDA device 0: an illegal memory access was "
      "encountered (cudaErrorIllegalAddress)";
  EXPECT_EXIT(
      {
        cuda::MarkLost(0, error);
        const std::string why = cuda::UnavailableReason("0");
        CellParams p;
        p.backend = "cuda@0";
        p.executor = "cuda";
        p.variant = "0";
        p.elements = 16;
        bool skipped = false;
        try {
          FindBackend("cuda")->make_cell(p);
        } catch (const CellUnsupported& e) {
          skipped = e.what() == why;
        }
        std::exit(why == "CUDA device 0 was lost earlier in this run: " + error && skipped ? 0 : 1);
      },
      ::testing::ExitedWithCode(0), "");
}

TEST(CudaWithDevice, ListShowsEachDevice) {
  SKIP_WITHOUT_A_DEVICE();
  const Result r = RunBinary({"list"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("\ncuda devices:\n  0: "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("compute capability"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(", PCI 0000"), std::string::npos) << "as nvidia-smi: " << r.out;
  EXPECT_NE(r.out.find(", GPU-"), std::string::npos) << "the UUID, as nvidia-smi -L: " << r.out;
  const auto caches = Cuda().device_caches("0");
  ASSERT_TRUE(caches.has_value());
  EXPECT_GT(caches->l2, 0u);
}

// One cell of each dtype, driven as the harness does: set up, run, read back, verify; the
// kernel-only time is positive and taken once.
TEST(CudaWithDevice, OneCellOfEachDtypeIsVerified) {
  SKIP_WITHOUT_A_DEVICE();
  for (const char* name : {"cuda", "cuda+copy", "cuda+memcpy"}) {
    const BackendInfo& b = *FindBackend(name);
    for (DType t : {DType::kF32, DType::kF64}) {
      CellParams p;
      p.backend = b.name;
      p.executor = b.executor;
      p.chunk_kernel = b.chunk_kernel;
      p.variant = "0";
      p.dtype = t;
      p.elements = 1'000'003;
      p.offset = 1;
      auto cell = b.make_cell(p);
      cell->Setup(TimedFill(t));
      EXPECT_EQ(cell->TakeKernelSeconds(), 0.0) << "set-up is never timed";
      cell->Run();
      ASSERT_TRUE(cell->HasKernelTime());
      EXPECT_GT(cell->TakeKernelSeconds(), 0.0) << name;
      EXPECT_EQ(cell->TakeKernelSeconds(), 0.0) << name;
      const auto bad = FindMismatch(t, b.operation, cell->ReadBack(), b.CanonicalizesNan(t));
      EXPECT_FALSE(bad.has_value()) << name << " " << Name(t) << ": " << bad->Describe();
    }
  }
  // This process's context must not hold the device from the binaries the next tests start (a
  // GPU in exclusive-process compute mode takes one process at a time).
  EXPECT_EQ(cudaDeviceReset(), cudaSuccess);
}

TEST(CudaWithDevice, RunReportsBothFiguresAndBothCeilings) {
  SKIP_WITHOUT_A_DEVICE();
  const Result r = RunBinary({"run", "--backends", "cuda", "--dtype", "f32,f64", "--sizes", "1Mi",
                              "--max-time", "0.05", "--format", "json", "--no-save"});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  int squares = 0, copy_kernels = 0, memcpys = 0;
  for (const auto& c : j["cells"]) {
    EXPECT_EQ(c["status"], "OK") << c.dump();
    EXPECT_TRUE(c.contains("kernel_only")) << c.dump();
    squares += c["backend"] == "cuda";
    copy_kernels += c["backend"] == "cuda+copy";
    memcpys += c["backend"] == "cuda+memcpy";
  }
  EXPECT_EQ(squares, 2);
  EXPECT_EQ(copy_kernels, 2);
  EXPECT_EQ(memcpys, 2);
}

}  // namespace
}  // namespace sqb
