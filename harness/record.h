// The result record: one struct per cell, and the report that holds them with the fingerprint.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "harness/stats.h"
#include "squarebench/backend.h"
#include "squarebench/cell_params.h"

namespace sqb {

inline constexpr int kSchemaVersion = 1;

enum class CellStatus {
  kOk,       // measured and verified bitwise
  kFailed,   // measured, but y differs from the reference: never ranked
  kError,    // the backend failed (setup or run threw): message says why
  kSkipped,  // cannot run here, or does not fit: message says why
};
std::string_view Name(CellStatus s);

// One timing series: per-call seconds of each sample and their summary.
struct Timing {
  std::vector<double> samples;
  SampleStats stats;
};

// One MPI rank's part of a cell: its own samples (its batch, not the maximum over the ranks).
struct RankRecord {
  int rank = 0;
  std::string host;
  std::string cpus;    // the rank's process CPU set, e.g. "0-3"
  std::string device;  // the device variant this rank used; "" when the cell runs on no device
  std::uint64_t elements = 0;  // this rank's share per array
  CellStatus status = CellStatus::kOk;
  std::string message;  // why FAILED / ERROR / SKIPPED on this rank
  Timing wall;          // this rank's per-call seconds, one per sample of the cell
};

struct CellRecord {
  CellParams params;
  std::string level;  // "L1", "L2", "L3", "L3+", "DRAM": where the working set lives
  // How the work is spread (executor, device, threads, binding, spreading knobs): a cell's
  // ceiling is the fastest verified copy of the same size in the same set.
  std::string ceiling_set;
  // Ran on a device (the variant names it, e.g. OpenCL "0.0"), not on `threads` CPU threads.
  bool on_device = false;
  Operation operation = Operation::kSquare;
  CellStatus status = CellStatus::kOk;
  std::string message;               // why FAILED / ERROR / SKIPPED
  std::string placement;             // where it ran, e.g. "cpus 0,1"
  std::string summary;               // what ran, as resolved, e.g. "AVX3 x16, streaming stores"
  std::vector<std::string> choices;  // what it chose by measuring, and why (Cell::Choices)
  std::uint64_t calls_per_sample = 0;
  // Samples per repetition, in the order taken: wall (and kernel_only) samples are these runs of
  // consecutive samples. Their sum is the number of samples; empty when none were taken.
  std::vector<std::size_t> repetitions;
  Timing wall;                        // end-to-end, timed by the harness
  std::optional<Timing> kernel_only;  // device-side, reported by device backends
  std::vector<EventCount> events;     // counted by the backend per call, e.g. coroutine switches
  std::vector<std::string> flags;     // e.g. "noisy: err 7.1% > 5%"
  // MPI: one row per rank, by rank (params.ranks of them); empty when one process ran alone. The
  // cell's own samples are then the ranks' agreed time: the maximum over the ranks ("together") or
  // their sum ("each": the ranks ran one after another), for the bytes of all ranks.
  std::vector<RankRecord> ranks;
};

// Ordered key/value facts about the machine and build; compared field by field between reports.
struct Fingerprint {
  std::vector<std::pair<std::string, std::string>> fields;
  std::vector<std::string> warnings;  // what a benchmarker must know (VM, governor, load, ...)
  const std::string* Find(const std::string& key) const;
};

struct Report {
  int schema_version = kSchemaVersion;
  std::string tool_version;
  bool complete = true;     // false when interrupted
  std::string started_utc;  // ISO 8601, e.g. 2026-11-24T22:05:00Z
  double wall_seconds = 0;
  std::vector<std::string> command_line;
  // Set variables whose names start with a prefix the run's backends declared (e.g. OMP_*).
  std::vector<std::pair<std::string, std::string>> environment;
  std::vector<std::pair<std::string, std::string>> settings;  // samples, min-time, ...
  Fingerprint fingerprint;
  std::vector<std::string> notes;  // run-level facts, e.g. a size measured sequentially
  // MPI: a rank, or a host, whose median rate is below this fraction of the median rank's (host's)
  // is flagged as slow.
  double slow_below = 0.90;
  std::vector<CellRecord> cells;
  std::vector<std::string> images;  // plots drawn from this report, embedded by the Markdown
};

// Throughput of a cell at a per-call time, in GB/s (1e9 bytes, STREAM counting) and G elements/s.
double GigabytesPerSecond(const CellParams& p, double seconds_per_call);
double GigaElementsPerSecond(const CellParams& p, double seconds_per_call);
// One rank's own throughput, for its share of the cell's elements.
double RankGigabytesPerSecond(const CellRecord& c, const RankRecord& r, double seconds_per_call);

// An event's rate and, when its cost is calibrated, the share of the median call it takes (%).
double EventsPerSecond(const CellRecord& c, const EventCount& e);
double EventTimePercent(const CellRecord& c, const EventCount& e);

}  // namespace sqb
