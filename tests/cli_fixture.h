// A test fixture that drives the real binary in a fresh temporary folder of its own.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "tests/spawn_binary.h"

namespace sqb::testing {

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("sqb_cli_test_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Starts squarebench with stdout/stderr to files in dir_; returns its pid.
  pid_t Start(const std::vector<std::string>& args, const SpawnOptions& options = {}) {
    return StartBinary(SQB_BINARY, args, dir_, options);
  }

  BinaryResult Wait(pid_t pid) { return WaitBinary(pid, dir_); }

  BinaryResult Run(const std::vector<std::string>& args, const SpawnOptions& options = {}) {
    return Wait(Start(args, options));
  }

  // Files the run left in dir_ (hidden ones too), other than its captured stdout/stderr.
  std::vector<std::string> LeftBehind() {
    std::vector<std::string> files;
    for (const auto& e : std::filesystem::recursive_directory_iterator(dir_))
      if (!e.is_directory() && e.path().filename() != "stdout" && e.path().filename() != "stderr")
        files.push_back(e.path().string());
    return files;
  }

  std::filesystem::path dir_;
};

}  // namespace sqb::testing
