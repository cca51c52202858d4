// `squarebench compare A.json B.json`: what changed between two reports, and whether CI may pass.
#include "harness/compare_command.h"

#include <algorithm>

#include "harness/cli.h"
#include "harness/plan.h"
#include "harness/report_reader.h"

namespace sqb {

int CompareReports(const CompareCommand& command) {
  Report a, b;
  Comparison comparison;
  try {
    a = ReadReport(command.a);
    b = ReadReport(command.b);
    comparison = Compare(a, b, command.options);
  } catch (const ReportError& e) {
    throw UsageError(e.what());
  } catch (const CompareError& e) {
    throw UsageError(command.a + " vs " + command.b + ": " + e.what());
  }
  comparison.path_a = command.a;
  comparison.path_b = command.b;
  WriteResult(command.out, RenderComparison(comparison, command.format, command.details));
  const bool regressed = std::any_of(comparison.cells.begin(), comparison.cells.end(),
                                     [](const auto& c) { return c.verdict == Verdict::kSlower; });
  return command.fail_on_regression && regressed ? kExitRegression : kExitOk;
}

}  // namespace sqb
