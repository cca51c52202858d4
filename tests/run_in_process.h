// Runs squarebench's Main in this process (so backends registered only in a test binary take
// part) and reads back the JSON report it wrote.
#pragma once

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "harness/cli.h"

namespace sqb::testing {

inline int RunMain(std::vector<std::string> args) {
  args.insert(args.begin(), "squarebench");
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  return Main(static_cast<int>(args.size()), argv.data());
}

// `run --sizes 1000 --no-save --max-time 0.01 --format json` over `backends`, plus `extra`.
inline nlohmann::json RunToJson(const std::vector<std::string>& backends, int* code,
                                const std::vector<std::string>& extra = {}) {
  const auto out = std::filesystem::temp_directory_path() /
                   ("sqb_in_process_" + std::to_string(::getpid()) + ".json");
  std::vector<std::string> args = {"run",        "--sizes",    "1000",      "--no-save",
                                   "--max-time", "0.01",       "--format",  "json",
                                   "--out",      out.string(), "--backends"};
  std::string list;
  for (const auto& b : backends) list += (list.empty() ? "" : ",") + b;
  args.push_back(list);
  args.insert(args.end(), extra.begin(), extra.end());
  *code = RunMain(args);
  std::ifstream in(out);
  nlohmann::json j = nlohmann::json::parse(in);
  std::filesystem::remove(out);
  return j;
}

inline const nlohmann::json& FindCell(const nlohmann::json& report, const std::string& backend) {
  for (const auto& c : report["cells"])
    if (c["backend"] == backend) return c;
  throw std::runtime_error("no cell " + backend);
}

}  // namespace sqb::testing
