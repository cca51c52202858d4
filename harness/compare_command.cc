// `squarebench compare A B` or `compare A1 A2 -- B1 B2`: what changed between two sides, each one
// report or several (files or folders) read as repetitions, and whether CI may pass.
#include "harness/compare_command.h"

#include <fmt/format.h>

#include <algorithm>

#include "harness/cli.h"
#include "harness/merge_reports.h"
#include "harness/plan.h"
#include "harness/report_inputs.h"

namespace sqb {
namespace {

struct Side {
  Report merged;
  std::string name;  // "a.json", or "3 reports: a1.json, a2.json, a3.json"
};

// Every report of one side, read and merged: each report's cells are repetitions of its cells.
Side ReadSide(const std::vector<std::string>& inputs) {
  std::vector<std::string> paths;
  for (const std::string& input : inputs) {
    if (!IsFolder(input)) {
      paths.push_back(input);
      continue;
    }
    const std::vector<std::string> found = JsonFilesUnder(input);
    if (found.empty()) throw UsageError(input + ": no report (*.json) in this folder");
    paths.insert(paths.end(), found.begin(), found.end());
  }
  std::vector<Report> reports;
  for (const std::string& path : paths) reports.push_back(ReadSavedReport(path).report);
  return {MergeReports(reports),
          paths.size() == 1 ? paths[0]
                            : fmt::format("{} reports: {}", paths.size(), fmt::join(paths, ", "))};
}

}  // namespace

int CompareReports(const CompareCommand& command) {
  const Side a = ReadSide(command.a);
  const Side b = ReadSide(command.b);
  Comparison comparison;
  try {
    comparison = Compare(a.merged, b.merged, command.options);
  } catch (const CompareError& e) {
    throw UsageError(a.name + " vs " + b.name + ": " + e.what());
  }
  comparison.path_a = a.name;
  comparison.path_b = b.name;
  WriteResult(command.out, RenderComparison(comparison, command.format, command.details));
  const bool regressed = std::any_of(comparison.cells.begin(), comparison.cells.end(),
                                     [](const auto& c) { return c.verdict == Verdict::kSlower; });
  return command.fail_on_regression && regressed ? kExitRegression : kExitOk;
}

}  // namespace sqb
