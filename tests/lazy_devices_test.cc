// Nothing starts a device before it is needed: --help, compare and a run of CPU backends open no
// OpenCL vendor list, no PoCL and no CUDA driver (the linked libOpenCL and libcudart stubs may
// load), as strace sees the real binary's file opens.
#include <gtest/gtest.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "tests/cli_fixture.h"

namespace sqb::testing {
namespace {

constexpr const char* kStrace = "/usr/bin/strace";
constexpr const char* kDeviceFiles[] = {"/etc/OpenCL/vendors", "libpocl", "libcuda.so"};

class LazyDevicesTest : public CliTest {
 protected:
  // The files squarebench `args` opened, one openat line each; skips when strace cannot trace.
  std::string OpenedFiles(const std::vector<std::string>& args) {
    if (access(kStrace, X_OK) != 0) {
      skip_ = "no strace at /usr/bin/strace (scripts/install-deps installs it)";
      return "";
    }
    const std::string trace = (dir_ / "trace").string();
    // LeakSanitizer cannot run under a tracer: a sanitized binary checks leaks elsewhere.
    std::vector<std::string> all = {"-f",      "-qq", "-e", "trace=openat",
                                    "-o",      trace, "-E", "ASAN_OPTIONS=detect_leaks=0",
                                    SQB_BINARY};
    all.insert(all.end(), args.begin(), args.end());
    const BinaryResult r = WaitBinary(StartBinary(kStrace, all, dir_), dir_);
    const std::string opened = Slurp(trace);
    if (opened.find("openat(") == std::string::npos) {
      skip_ = "strace could not trace here: " + r.err;
      return "";
    }
    EXPECT_EQ(r.code, 0) << r.err;
    return opened;
  }

  static std::string DeviceFileIn(const std::string& opened) {
    for (const char* file : kDeviceFiles)
      if (opened.find(file) != std::string::npos) return file;
    return "";
  }

  std::string skip_;
};

TEST_F(LazyDevicesTest, HelpCompareAndCpuRunsStartNoDevice) {
  const std::string report = std::string(SQB_SOURCE_DIR) + "/tests/data/small_report.json";
  const std::vector<std::vector<std::string>> commands = {
      {"--help"},
      {"compare", report, report},
      {"run", "--backends", "openmp,highway", "--sizes", "1000", "--max-time", "0.01", "--no-save"},
  };
  for (const auto& args : commands) {
    const std::string opened = OpenedFiles(args);
    if (!skip_.empty()) GTEST_SKIP() << skip_;
    EXPECT_EQ(DeviceFileIn(opened), "") << args.front() << " opened a device file:\n" << opened;
  }
  // The control: a command that needs the devices does open them, so the trace can see them.
  const std::string listed = OpenedFiles({"list"});
  EXPECT_NE(DeviceFileIn(listed), "") << "list opened no device file:\n" << listed;
}

}  // namespace
}  // namespace sqb::testing
