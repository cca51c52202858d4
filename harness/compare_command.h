// `squarebench compare A.json B.json`: what changed between two reports, and whether CI may pass.
#pragma once

#include <string>

#include "harness/compare.h"

namespace sqb {

struct CompareCommand {
  std::string a, b;
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
