// The backend interface: what the harness asks of every way of running the kernel.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "squarebench/caches.h"
#include "squarebench/cell_params.h"
#include "squarebench/lazy_list.h"

namespace sqb {

// What a cell computes; the reference it is verified against follows from it.
enum class Operation {
  kSquare,  // y[i] = Square(x[i])
  kCopy,    // y[i] = x[i]: the copy ceilings every table is read against
};

// Host views of a cell's arrays after read-back. y already includes the offset.
struct HostArrays {
  const void* x = nullptr;
  const void* y = nullptr;
  std::size_t n = 0;
};

// Writes x[begin, end) with the inputs and y[begin, end) with a poison value. The harness passes it
// to Setup; the backend calls it from its own threads, so pages are first touched where they run.
using FillFn = std::function<void(std::size_t begin, std::size_t end, void* x, void* y)>;

// A backend throws this (or any std::exception) to fail one cell with a message; the run goes on.
struct CellError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Thrown from make_cell or Setup when this cell cannot run here although the backend can (e.g. f64
// on a device without fp64): the cell is reported SKIPPED with the message, not as an error.
struct CellUnsupported : CellError {
  using CellError::CellError;
};

// Who ran one call: distinct OS threads that executed ranges, and the CPUs they were seen on.
struct Participation {
  int threads = 0;
  std::vector<int> cpus;  // ascending; empty when not observed
};

// Something a backend counts while it runs, per call of Run() (e.g. coroutine switches). With a
// cost per event calibrated by the backend, the report gives the share of each call it takes.
struct EventCount {
  std::string name;     // plural noun, e.g. "switches"
  double per_call = 0;  // events in one call
  double cost_s = 0;    // seconds per event, calibrated by the backend; 0 = not calibrated
};

// One backend instance measuring one cell. The harness owns the clock: it calls Run() in timed
// batches and never asks a backend to time itself, except for device-side kernel time.
class Cell {
 public:
  virtual ~Cell() = default;

  // Untimed: allocate, first-touch with the backend's own thread layout (calling fill), copy to a
  // device, compile, ... Leaves the cell ready for Run().
  virtual void Setup(const FillFn& fill) = 0;

  // Untimed, around every timed batch: pin workers as params.binding asks, and undo it afterwards,
  // so that pinning never leaks into another cell.
  virtual void Bind() {}
  virtual void Unbind() {}

  // Timed: compute the whole of y from x; returns only when y is complete.
  virtual void Run() = 0;

  // Untimed: bring y back to the host (a no-op on the CPU) and expose both arrays.
  virtual HostArrays ReadBack() = 0;

  // Device backends: seconds of kernel-only time accumulated since the last call (e.g. from
  // profiling events); the harness then reports it, labelled, next to the end-to-end wall time.
  virtual bool HasKernelTime() const { return false; }
  virtual double TakeKernelSeconds() { return 0.0; }

  // Where the work ran, for the report (e.g. "cpus 0,1"). Valid after Setup.
  virtual std::string Placement() const { return ""; }

  // What ran, as resolved here, in a few words (e.g. "AVX3 x16, streaming stores"). Valid after
  // Setup; "" when the name says it all.
  virtual std::string Summary() const { return ""; }

  // What the cell chose by measuring during Setup, each with the figures it chose by (e.g.
  // "streaming stores: 54.4 GB/s vs 24.0 with regular stores (best of 3 probe rounds)"); empty
  // when it chose nothing.
  virtual std::vector<std::string> Choices() const { return {}; }

  // Events of the last call of Run(), read untimed after the samples; empty when none are counted.
  virtual std::vector<EventCount> Events() const { return {}; }

  // Which threads the last call of Run() actually ran on, read untimed after the samples; nullopt
  // when the backend does not track it. The report flags a cell that ran on fewer threads than
  // its params asked for.
  virtual std::optional<Participation> LastParticipation() const { return std::nullopt; }

  // Untimed, after each timed batch: a cell whose work spans processes (MPI ranks) agrees on the
  // batch's seconds with the others here, in one collective (e.g. the maximum over ranks), which
  // also lines the next batch up. Returns the seconds the harness records.
  virtual double AgreeOnSample(double batch_seconds) { return batch_seconds; }
};

// A backend-specific option: each value the user lists becomes its own cell (and part of its key).
// A knob takes either one of `values`, or, when `values` is empty, a count in
// [min_count, max_count] written as --sizes counts are (4096, 4Ki) and recorded in decimal.
struct KnobInfo {
  std::string name;                 // as on the command line without "--", e.g. "stores"
  std::vector<std::string> values;  // the accepted values; empty for a count
  std::string default_value;
  std::string description;  // one line for --help
  std::uint64_t min_count = 0;
  std::uint64_t max_count = 0;
};

// A copy measured next to the cells of a backend as their ceiling: a copy backend by name (the same
// variant when the variant names a device), with knob values that replace the rated cell's.
struct CeilingSpec {
  std::string backend;                       // e.g. "openmp+copy"
  std::map<std::string, std::string> knobs;  // e.g. {"stores", "streaming"}
};

// Lines a backend adds to every report's fingerprint, e.g. {"lib.tbb", "2021.8.0 (header 2021.8)"}:
// library versions, runtimes, devices. Keys are "<area>.<name>"; a key two backends give (one
// library under two backends) is reported once.
using FingerprintLines = std::vector<std::pair<std::string, std::string>>;

// What a backend adds to a report besides its cells.
struct Provenance {
  // Called when a run uses the backend, and by `squarebench info`; may start a device runtime.
  std::function<FingerprintLines()> fingerprint;
  // Environment variables whose names start with one of these change how the backend runs
  // (e.g. "OMP_"); a report records each one that is set.
  std::vector<std::string> environment_prefixes;
};

// A compiled backend as the registry knows it.
struct BackendInfo {
  std::string name;          // "<executor>[+<chunk kernel>]", without a variant
  std::string executor;      // the executor part of the name
  std::string chunk_kernel;  // "scalar" when the name has no '+' part
  std::string description;   // one line for `squarebench list`
  Operation operation = Operation::kSquare;
  bool parallel = false;        // honours --threads; otherwise every cell runs on one thread
  bool in_default_run = false;  // part of `squarebench` with no arguments
  // Declared deviation, per dtype: the dtypes for which it returns one canonical NaN for every NaN
  // input (NVIDIA GPUs do for f32). Verification then accepts any NaN where a NaN is expected, for
  // those dtypes only.
  std::vector<DType> canonical_nan_dtypes;
  bool CanonicalizesNan(DType t) const {
    for (DType d : canonical_nan_dtypes)
      if (d == t) return true;
    return false;
  }
  // Empty when the backend has none; [0] is the default. Device backends pass a function that
  // enumerates their devices: it runs only when a command needs this backend's variants.
  LazyList variants;
  std::vector<KnobInfo> knobs;  // every cell carries a value for each
  // How the work is spread, which a ceiling must share with the cells it rates: these knobs'
  // values (an executor's knobs), and the variant when it names a device.
  std::vector<std::string> spread_knobs;
  bool variant_is_device = false;
  // Measured next to every cell of this backend in the same rounds (square backends only);
  // composed backends get their executor composed with every copy-ceiling chunk kernel.
  std::vector<CeilingSpec> ceilings;
  // Device backends: the caches the level sizes follow for `variant` (a GPU's own L2, as l2);
  // unset or nullopt: the CPU's.
  std::function<std::optional<CacheSizes>(const std::string& variant)> device_caches;
  // Device backends whose arrays live in the device's own memory: the bytes free for them on
  // `variant` (e.g. cudaMemGetInfo), which the planner budgets as it budgets host memory; unset or
  // nullopt: host memory.
  std::function<std::optional<std::uint64_t>(const std::string& variant)> device_memory;
  // `squarebench list`: one line per device this backend can use, or one line saying why none.
  std::function<std::vector<std::string>()> list_devices;
  // Cheap, no side effects: "" when `variant` can run here, else the reason why not.
  std::function<std::string(const std::string& variant)> unavailable_reason;
  Provenance provenance;
  // Makes the cell for fully resolved params (backend, variant, dtype, size, threads, ...).
  std::function<std::unique_ptr<Cell>(const CellParams&)> make_cell;
};

}  // namespace sqb
