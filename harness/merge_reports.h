// Several reports of one setup read as one: each report's cells become a repetition of one cell.
#pragma once

#include <vector>

#include "harness/record.h"

namespace sqb {

// One report whose cells are those of `reports` matched by CellKey (size included): a cell's
// samples are those of every report that has it, in the order given, each report's one
// repetition (a report's own repetitions share its process, and what varies between processes
// does not vary between them: measured in docs/aa-study.md), its stats recomputed from them. A cell
// is OK only when it is OK in every report that has it; else it takes the first other status and
// message. Flags, warnings and notes are kept once each; the rest (fingerprint, settings, command
// line, start) comes from the first report. `complete` only when every report is. `reports` must
// not be empty.
Report MergeReports(const std::vector<Report>& reports);

}  // namespace sqb
