// Reading a saved JSON report back (for `squarebench compare`), refusing anything malformed.
#pragma once

#include <stdexcept>
#include <string>

#include "harness/record.h"

namespace sqb {

// A report that cannot be read: the message is one line naming the file and the problem.
struct ReportError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Reads and validates a report written by RenderJson (docs/report-schema.md). Statistics are
// recomputed from the raw samples. Throws ReportError for a missing, empty, truncated or non-JSON
// file, JSON of another schema, a newer schema_version, or a cell missing a required field.
Report ReadReport(const std::string& path);

}  // namespace sqb
