// Reading a saved JSON report back (for `squarebench compare`), refusing anything malformed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include "harness/record.h"

namespace sqb {

// A report that cannot be read: the message is one line naming the file and the problem.
struct ReportError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// What a report may hold; docs/report-schema.md ("Reading a report: what is refused") says why.
inline constexpr std::uint64_t kMaxReportBytes = std::uint64_t{64} << 20;
inline constexpr std::size_t kMaxReportDepth = 32;
inline constexpr std::size_t kMaxReportValues = std::size_t{1} << 22;
inline constexpr std::size_t kMaxReportStringBytes = std::size_t{1} << 20;
inline constexpr std::size_t kMaxSamplesPerSeries = 10000;
inline constexpr std::uint64_t kMaxReportOffset = std::uint64_t{1} << 20;  // as --offset allows
inline constexpr std::uint64_t kMaxReportThreads = std::uint64_t{1} << 20;
inline constexpr std::uint64_t kMaxCallsPerSample = std::uint64_t{1} << 40;
inline constexpr std::uint64_t kMaxReportRanks = std::uint64_t{1} << 20;  // MPI ranks of a cell

// Validates `text`, a report written by RenderJson (docs/report-schema.md), and returns it with
// statistics recomputed from the raw samples. `name` (the file) starts every error message.
// Throws ReportError, one line, for: empty text, text that is not JSON or exceeds a limit above,
// JSON of another schema, a newer schema_version, and any field the reader uses that is missing,
// of the wrong type, out of range or not one of its known values (the message names its path).
Report ParseReport(std::string_view text, const std::string& name);

// ParseReport of the file at `path`, which must be a regular file of at most kMaxReportBytes:
// anything else (missing, unreadable, a directory, a FIFO, a device) is a ReportError.
Report ReadReport(const std::string& path);

}  // namespace sqb
