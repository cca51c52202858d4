// Reading a saved JSON report back (for `squarebench compare`), refusing anything malformed.
#include "harness/report_reader.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <limits>

#include "harness/checked_json.h"
#include "harness/sizes.h"

namespace sqb {
namespace {

constexpr JsonLimits kLimits{.max_depth = kMaxReportDepth,
                             .max_values = kMaxReportValues,
                             .max_string_bytes = kMaxReportStringBytes};

// Indexed by the OneOf() calls below, whose names (those RenderJson writes) come in this order.
constexpr std::array kStatuses = {CellStatus::kOk, CellStatus::kFailed, CellStatus::kError,
                                  CellStatus::kSkipped};
constexpr std::array kBindings = {Binding::kNone, Binding::kCores};
constexpr std::array kOperations = {Operation::kSquare, Operation::kCopy};
constexpr std::array kDTypes = {DType::kF32, DType::kF64};

std::string OptionalString(const CheckedJson& j, std::string_view key) {
  const auto field = j.OptionalField(key);
  return field ? field->String() : "";
}

Timing ReadTiming(const CheckedJson& j) {
  Timing t;
  for (const CheckedJson& s : j.Field("samples_s").Elements(kMaxSamplesPerSeries))
    t.samples.push_back(s.Positive());
  if (!t.samples.empty()) t.stats = Summarize(t.samples);
  return t;
}

// The rows of a cell measured across MPI ranks: one per rank 0..ranks-1 (kept by rank), each with
// as many samples as the cell (a rank that is not OK may have none), their elements summing to
// the cell's.
void ReadRankRows(const CheckedJson& rows, CellRecord& c) {
  const std::vector<CheckedJson> elements = rows.Elements(kMaxReportRanks);
  const auto ranks = static_cast<std::size_t>(c.params.ranks);
  if (elements.size() != ranks)
    rows.Fail(fmt::format("holds {} rows, but ranks is {}", elements.size(), ranks));
  std::vector<std::size_t> row_of(ranks, ranks);
  std::uint64_t total = 0;
  for (std::size_t i = 0; i < elements.size(); ++i) {
    const CheckedJson& row = elements[i];
    RankRecord r;
    const CheckedJson rank = row.Field("rank");
    r.rank = static_cast<int>(rank.Integer(0, ranks - 1));
    if (row_of[r.rank] != ranks)
      rank.Fail(fmt::format("rank {} is also rank_rows[{}]", r.rank, row_of[r.rank]));
    row_of[r.rank] = i;
    r.host = row.Field("host").String();
    r.cpus = row.Field("cpus").String();
    r.device = row.Field("device").String();
    r.status = kStatuses[row.Field("status").OneOf({"OK", "FAILED", "ERROR", "SKIPPED"})];
    r.message = row.Field("message").String();
    const CheckedJson wall = row.Field("wall");
    r.wall = ReadTiming(wall);
    const std::size_t samples = r.wall.samples.size(), cell_samples = c.wall.samples.size();
    if (samples != cell_samples && !(samples == 0 && r.status != CellStatus::kOk))
      wall.Field("samples_s")
          .Fail(fmt::format("holds {} samples, but the cell's wall.samples_s holds {}", samples,
                            cell_samples));
    const CheckedJson n = row.Field("elements");
    r.elements = n.Integer(0, kMaxElements);
    if (r.elements == 0 && samples > 0) n.Fail("must be >= 1 when wall.samples_s is not empty");
    total += r.elements;  // at most 2^48 more each time: stops long before it could wrap
    if (total > c.params.elements)
      n.Fail(fmt::format("the rows' elements so far sum to {}, more than the cell's {}", total,
                         c.params.elements));
    c.ranks.push_back(std::move(r));
  }
  if (total != c.params.elements)
    rows.Fail(
        fmt::format("elements sum to {}, but the cell's elements is {}", total, c.params.elements));
  std::sort(c.ranks.begin(), c.ranks.end(),
            [](const RankRecord& a, const RankRecord& b) { return a.rank < b.rank; });
}

CellRecord ReadCell(const CheckedJson& j) {
  CellRecord c;
  CellParams& p = c.params;
  p.backend = j.Field("backend").String();
  if (p.backend.empty()) j.Field("backend").Fail("must not be empty");
  p.executor = j.Field("executor").String();
  p.chunk_kernel = j.Field("chunk_kernel").String();
  p.variant = j.Field("variant").String();
  c.operation = kOperations[j.Field("operation").OneOf({"square", "copy"})];
  p.dtype = kDTypes[j.Field("dtype").OneOf({"f32", "f64"})];
  c.status = kStatuses[j.Field("status").OneOf({"OK", "FAILED", "ERROR", "SKIPPED"})];
  // A backend that cannot run on this machine is recorded before any size is chosen.
  const CheckedJson elements = j.Field("elements");
  p.elements = elements.Integer(0, kMaxElements);
  if (p.elements == 0 && c.status != CellStatus::kSkipped)
    elements.Fail("must be >= 1 (0 only in a SKIPPED cell)");
  p.offset = j.Field("offset").Integer(0, kMaxReportOffset);
  const CheckedJson level = j.Field("level");
  c.level = level.String();
  if (p.elements == 0) {
    if (!c.level.empty()) level.Fail("must be \"\" when elements is 0");
  } else {
    level.OneOf({"L1", "L2", "L3", "L1+", "L2+", "L3+", "DRAM"});
  }
  c.ceiling_set = OptionalString(j, "ceiling_set");
  p.threads = static_cast<int>(j.Field("threads").Integer(1, kMaxReportThreads));
  p.binding = kBindings[j.Field("binding").OneOf({"none", "cores"})];
  for (auto& [k, v] : j.Field("knobs").StringMap()) p.knobs.emplace(std::move(k), std::move(v));
  // Both present in a cell measured across MPI ranks, both absent otherwise.
  const auto ranks = j.OptionalField("ranks");
  const auto mpi_mode = j.OptionalField("mpi_mode");
  if (ranks && !mpi_mode) ranks->Fail("needs mpi_mode beside it (a cell measured across ranks)");
  if (mpi_mode && !ranks) mpi_mode->Fail("needs ranks beside it (a cell measured across ranks)");
  if (ranks) {
    p.ranks = static_cast<int>(ranks->Integer(1, kMaxReportRanks));
    p.mpi_mode = std::array{"together", "each"}[mpi_mode->OneOf({"together", "each"})];
  }
  c.message = j.Field("message").String();
  c.placement = OptionalString(j, "placement");
  if (const auto on_device = j.OptionalField("on_device")) c.on_device = on_device->Bool();
  c.summary = OptionalString(j, "summary");
  const CheckedJson calls = j.Field("calls_per_sample");
  c.calls_per_sample = calls.Integer(0, kMaxCallsPerSample);
  c.wall = ReadTiming(j.Field("wall"));
  if (c.calls_per_sample == 0 && !c.wall.samples.empty())
    calls.Fail("must be >= 1 when wall.samples_s is not empty");
  if (const auto kernel_only = j.OptionalField("kernel_only"))
    c.kernel_only = ReadTiming(*kernel_only);
  // Absent in reports of one repetition: all samples are one.
  if (const auto repetitions = j.OptionalField("repetitions")) {
    std::size_t sum = 0;
    for (const CheckedJson& n : repetitions->Elements(kMaxSamplesPerSeries)) {
      c.repetitions.push_back(n.Integer(1, kMaxSamplesPerSeries));
      sum += c.repetitions.back();
    }
    if (sum != c.wall.samples.size())
      repetitions->Fail(fmt::format("sums to {}, but wall.samples_s holds {} samples", sum,
                                    c.wall.samples.size()));
  } else if (!c.wall.samples.empty()) {
    c.repetitions = {c.wall.samples.size()};
  }
  if (const auto events = j.OptionalField("events")) {
    for (const CheckedJson& e : events->Elements())
      c.events.push_back({e.Field("name").String(), e.Field("per_call").NonNegative(),
                          e.Field("cost_s").NonNegative()});
  }
  c.flags = j.Field("flags").Strings();
  if (const auto choices = j.OptionalField("choices")) c.choices = choices->Strings();
  if (const auto rows = j.OptionalField("rank_rows")) {
    if (!mpi_mode) rows->Fail("only a cell with mpi_mode has rank rows");
    ReadRankRows(*rows, c);
  }
  return c;
}

Report ReadDocument(const nlohmann::json& j) {
  const CheckedJson root(j);
  const bool ours = j.is_object() && j.contains("schema_version") && j.find("tool") != j.end() &&
                    *j.find("tool") == "squarebench";
  if (!ours) root.Fail("not a squarebench report");
  Report r;
  const std::uint64_t version =
      root.Field("schema_version").Integer(1, std::numeric_limits<int>::max());
  if (version > static_cast<std::uint64_t>(kSchemaVersion))
    root.Fail(fmt::format("schema_version {} is newer than this squarebench reads ({})", version,
                          kSchemaVersion));
  r.schema_version = static_cast<int>(version);
  r.tool_version = root.Field("tool_version").String();
  r.complete = root.Field("complete").Bool();
  r.started_utc = root.Field("started_utc").String();
  r.wall_seconds = root.Field("wall_seconds").NonNegative();
  r.command_line = root.Field("command_line").Strings();
  r.environment = root.Field("environment").StringMap();
  r.settings = root.Field("settings").StringMap();
  const CheckedJson fingerprint = root.Field("fingerprint");
  r.fingerprint.fields = fingerprint.Field("fields").StringMap();
  r.fingerprint.warnings = fingerprint.Field("warnings").Strings();
  r.notes = root.Field("notes").Strings();
  if (const auto slow_below = root.OptionalField("slow_below")) {
    r.slow_below = slow_below->Positive();
    if (r.slow_below > 1)
      slow_below->Fail(fmt::format("must be a number in (0, 1] (got {})", r.slow_below));
  }
  for (const CheckedJson& cell : root.Field("cells").Elements()) r.cells.push_back(ReadCell(cell));
  return r;
}

// Closes a file descriptor when it goes out of scope.
struct FdCloser {
  int fd;
  ~FdCloser() { close(fd); }
};

std::string_view FileKind(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISCHR(mode) || S_ISBLK(mode)) return "a device";
  return "not a regular file";
}

// The whole file, refusing anything but a regular file of at most kMaxReportBytes. O_NONBLOCK:
// opening a FIFO must not wait for a writer; it is then refused like any non-regular file.
std::string ReadCapped(const std::string& path, const std::string& name) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) throw ReportError(fmt::format("{}: cannot open ({})", name, std::strerror(errno)));
  const FdCloser closer{fd};
  struct stat st {};
  if (fstat(fd, &st) != 0)
    throw ReportError(fmt::format("{}: cannot open ({})", name, std::strerror(errno)));
  if (!S_ISREG(st.st_mode))
    throw ReportError(fmt::format("{}: not a regular file ({})", name, FileKind(st.st_mode)));
  const auto too_large = [&](std::uint64_t bytes) {
    return ReportError(fmt::format("{}: too large ({} bytes; a report is at most {} MiB)", name,
                                   bytes, kMaxReportBytes >> 20));
  };
  if (static_cast<std::uint64_t>(st.st_size) > kMaxReportBytes) throw too_large(st.st_size);
  // One byte more than the size: a full buffer means the file grew since fstat.
  std::string text(static_cast<std::size_t>(st.st_size) + 1, '\0');
  std::size_t used = 0;
  for (;;) {
    if (used == text.size()) {
      if (used > kMaxReportBytes) throw too_large(used);
      text.resize(std::min<std::size_t>(2 * used, kMaxReportBytes + 1));
    }
    const ssize_t n = read(fd, text.data() + used, text.size() - used);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw ReportError(fmt::format("{}: cannot read ({})", name, std::strerror(errno)));
    if (n == 0) break;
    used += static_cast<std::size_t>(n);
  }
  text.resize(used);
  return text;
}

}  // namespace

Report ParseReport(std::string_view text, const std::string& name) {
  const std::string who = OneLine(name);
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos)
    throw ReportError(fmt::format("{}: empty file", who));
  try {
    return ReadDocument(ParseJson(text, kLimits));
  } catch (const JsonCheckError& e) {
    throw ReportError(fmt::format("{}: {}", who, e.what()));
  } catch (const nlohmann::json::exception& e) {
    // Not expected (every read above is checked), but never let one escape.
    throw ReportError(fmt::format("{}: cannot read ({})", who, OneLine(e.what())));
  }
}

Report ReadReport(const std::string& path) {
  return ParseReport(ReadCapped(path, OneLine(path)), path);
}

}  // namespace sqb
