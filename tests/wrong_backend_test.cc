// A deliberately wrong chunk kernel, registered only in this test binary: the run reports its
// rows FAILED, keeps measuring the others, and exits with 3.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "harness/cli.h"
#include "harness/executor.h"
#include "harness/registry.h"

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

int RunMain(std::vector<std::string> args) {
  args.insert(args.begin(), "squarebench");
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  return Main(static_cast<int>(args.size()), argv.data());
}

nlohmann::json RunToJson(const std::vector<std::string>& backends, int* code) {
  const auto out = std::filesystem::temp_directory_path() / "sqb_wrong_backend_test.json";
  std::vector<std::string> args = {"run",        "--sizes",    "1000",      "--no-save",
                                   "--max-time", "0.01",       "--format",  "json",
                                   "--out",      out.string(), "--backends"};
  std::string list;
  for (const auto& b : backends) list += (list.empty() ? "" : ",") + b;
  args.push_back(list);
  *code = RunMain(args);
  std::ifstream in(out);
  nlohmann::json j = nlohmann::json::parse(in);
  std::filesystem::remove(out);
  return j;
}

const nlohmann::json& Cell(const nlohmann::json& report, const std::string& backend) {
  for (const auto& c : report["cells"])
    if (c["backend"] == backend) return c;
  throw std::runtime_error("no cell " + backend);
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
