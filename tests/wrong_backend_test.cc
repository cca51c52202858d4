// A deliberately wrong chunk kernel, registered only in this test binary: the run reports its
// rows FAILED, keeps measuring the others, and exits with 3.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "run_in_process.h"
#include "squarebench/executor.h"
#include "squarebench/registration.h"

namespace sqb {
namespace {

template <typename T>
void OffByOneAtFive(const T* x, T* y, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) y[i] = x[i] * x[i] + (i == 5 ? T(1) : T(0));
}

template <typename T>
void Throws(const T*, T*, std::size_t) {
  throw CellError("kernel exploded");
}

SQB_REGISTER_CHUNK_KERNEL((ChunkKernelInfo{
    .name = "wrong",
    .description = "squares wrongly at index 5 of each chunk",
    .resolve =
        [](const CellParams&) {
          return ChunkFns{OffByOneAtFive<float>, OffByOneAtFive<double>};
        },
}));

SQB_REGISTER_CHUNK_KERNEL((ChunkKernelInfo{
    .name = "throwing",
    .description = "throws from every call",
    .resolve =
        [](const CellParams&) {
          return ChunkFns{Throws<float>, Throws<double>};
        },
}));

using testing::RunToJson;

const nlohmann::json& Cell(const nlohmann::json& report, const std::string& backend) {
  return testing::FindCell(report, backend);
}

TEST(WrongBackend, IsFailedAndTheExitCodeIsThree) {
  int code = 0;
  const auto report = RunToJson({"serial", "wrong", "openmp+wrong"}, &code);
  EXPECT_EQ(code, 3);
  EXPECT_EQ(Cell(report, "serial")["status"], "OK");
  for (const char* name : {"wrong", "openmp+wrong"}) {
    const auto& c = Cell(report, name);
    EXPECT_EQ(c["status"], "FAILED") << name;
    EXPECT_NE(c["message"].get<std::string>().find("y[5]"), std::string::npos) << c["message"];
  }
}

TEST(WrongBackend, ThrowingKernelIsAnErrorRowAndTheRunGoesOn) {
  int code = 0;
  const auto report = RunToJson({"throwing", "tbb"}, &code);
  EXPECT_EQ(code, 3);
  EXPECT_EQ(Cell(report, "throwing")["status"], "ERROR");
  EXPECT_NE(Cell(report, "throwing")["message"].get<std::string>().find("kernel exploded"),
            std::string::npos);
  EXPECT_EQ(Cell(report, "tbb")["status"], "OK");
}

// A coroutine task may not let an exception escape: the executor carries it out of the ring.
TEST(WrongBackend, ThrowingInterleavedTaskIsAnErrorRowNotACrashOrHang) {
  int code = 0;
  const auto report = RunToJson({"interleaved+throwing", "interleaved"}, &code);
  EXPECT_EQ(code, 3);
  const auto& bad = Cell(report, "interleaved+throwing");
  EXPECT_EQ(bad["status"], "ERROR");
  EXPECT_NE(bad["message"].get<std::string>().find("kernel exploded"), std::string::npos);
  EXPECT_EQ(Cell(report, "interleaved")["status"], "OK");
}

TEST(WrongBackend, AllVerifiedIsExitZero) {
  int code = -1;
  RunToJson({"serial", "openmp"}, &code);
  EXPECT_EQ(code, 0);
}

}  // namespace
}  // namespace sqb
