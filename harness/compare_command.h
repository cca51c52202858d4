// `squarebench compare A B` or `compare A1 A2 -- B1 B2`: what changed between two sides, each one
// report or several (files or folders) read as repetitions, and whether CI may pass.
#pragma once

#include <string>
#include <vector>

#include "harness/compare.h"

namespace sqb {

struct CompareCommand {
  std::vector<std::string> a, b;  // files and folders (every *.json under it), per side
  CompareOptions options;
  Format format = Format::kTable;
  std::string out;  // "" = stdout
  bool fail_on_regression = false;
  bool details = false;  // the table with every cell (md and json always have every cell)
};

// Returns 0, or 1 when fail_on_regression and a cell is "slower". Throws UsageError (exit 2) when
// a report cannot be read or the two have no cell in common, OutputError when the result cannot be
// written.
int CompareReports(const CompareCommand& command);

}  // namespace sqb
