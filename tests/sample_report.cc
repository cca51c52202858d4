// The hand-made report every reporter test renders: nine cells of every status and kind, with
// their statistics filled in by hand.
#include "tests/sample_report.h"

#include <fmt/format.h>

#include <string>
#include <utility>
#include <vector>

namespace sqb::testing {

CellRecord SampleCell(std::string backend, std::string executor, std::string chunk_kernel,
                      std::uint64_t elements, int threads, Operation op) {
  CellRecord c;
  c.params.backend = std::move(backend);
  c.params.executor = std::move(executor);
  c.params.chunk_kernel = std::move(chunk_kernel);
  c.params.dtype = DType::kF32;
  c.params.elements = elements;
  c.params.threads = threads;
  c.params.binding = Binding::kCores;
  c.level = elements == 3072 ? "L1" : "L3";
  c.operation = op;
  c.placement = threads == 1 ? "cpus 0" : "cpus 0,1";
  return c;
}

namespace {

// Per-call seconds of nine samples, in the order taken, and their summary (filled by hand:
// best, median, ci = 0-based order statistics [1, 7] of 9, mean, max, err% = MAD / median).
Timing Times(std::vector<double> samples, SampleStats stats) { return {std::move(samples), stats}; }

}  // namespace

Report SampleReport() {
  Report r;
  r.tool_version = "0.1.0";
  r.started_utc = "2026-11-24T22:05:00Z";
  r.wall_seconds = 12.34;
  r.command_line = {"squarebench", "run", "--sizes", "3Ki,1Mi", "--label", "two words"};
  r.environment = {{"OMP_PROC_BIND", "close"}, {"OMP_WAIT_POLICY", "passive"}};
  r.settings = {{"samples", "9"}, {"min-sample-time", "1ms"}, {"rounds", "interleaved"}};
  r.fingerprint.fields = {{"cpu.model", "Intel(R) Xeon(R) Platinum 8481C CPU @ 2.70GHz"},
                          {"cpu.cores", "2"},
                          {"cache.l1d", "48 KiB"},
                          {"host.name", "bench-01"},
                          {"host.hypervisor", "KVM"},
                          {"build.type", "Release"},
                          {"build.compiler", "GNU 12.2.0"},
                          {"build.flags", "-O3 -DNDEBUG"}};
  r.fingerprint.warnings = {"running under a hypervisor (KVM): timings vary with the host"};
  r.notes = {"cells of one size run interleaved in rounds"};

  constexpr std::uint64_t kSmall = 3072, kLarge = 1 << 20;
  CellRecord copy_a = SampleCell("openmp+memcpy", "openmp", "memcpy", kSmall, 2, Operation::kCopy);
  copy_a.calls_per_sample = 4096;
  copy_a.wall = Times(
      {0.452e-6, 0.449e-6, 0.455e-6, 0.450e-6, 0.451e-6, 0.460e-6, 0.448e-6, 0.453e-6, 0.450e-6},
      {9, 0.448e-6, 0.451e-6, 0.449e-6, 0.455e-6, 0.452e-6, 0.46e-6, 0.4435, 0});
  r.cells.push_back(copy_a);

  CellRecord serial_a = SampleCell("serial", "serial", "scalar", kSmall, 1);
  serial_a.calls_per_sample = 2048;
  serial_a.wall = Times(
      {0.801e-6, 0.798e-6, 0.805e-6, 0.799e-6, 0.800e-6, 0.812e-6, 0.797e-6, 0.803e-6, 0.802e-6},
      {9, 0.797e-6, 0.801e-6, 0.798e-6, 0.805e-6, 0.801889e-6, 0.812e-6, 0.2497, 0});
  r.cells.push_back(serial_a);

  CellRecord openmp_a = SampleCell("openmp", "openmp", "scalar", kSmall, 2);
  openmp_a.calls_per_sample = 4096;
  openmp_a.wall = Times(
      {0.550e-6, 0.548e-6, 0.520e-6, 0.585e-6, 0.511e-6, 0.590e-6, 0.500e-6, 0.600e-6, 0.620e-6},
      {9, 0.5e-6, 0.55e-6, 0.511e-6, 0.6e-6, 0.558222e-6, 0.62e-6, 7.0909, 0});
  openmp_a.flags = {"noisy: err 7.1% > 5%"};
  r.cells.push_back(openmp_a);

  CellRecord tbb_a = SampleCell("tbb", "tbb", "scalar", kSmall, 2);
  tbb_a.params.knobs = {{"grain", "1024"}};
  tbb_a.summary = "grain 1024";
  tbb_a.status = CellStatus::kFailed;
  tbb_a.message = "y[5] = 0x00000000 expected 0x41c80000 (x = 5)";
  tbb_a.calls_per_sample = 4096;
  tbb_a.wall = Times(
      {0.530e-6, 0.528e-6, 0.533e-6, 0.529e-6, 0.531e-6, 0.540e-6, 0.527e-6, 0.532e-6, 0.530e-6},
      {9, 0.527e-6, 0.53e-6, 0.528e-6, 0.533e-6, 0.531111e-6, 0.54e-6, 0.3774, 0});
  r.cells.push_back(tbb_a);

  CellRecord copy_b = SampleCell("openmp+memcpy", "openmp", "memcpy", kLarge, 2, Operation::kCopy);
  copy_b.calls_per_sample = 8;
  copy_b.wall = Times(
      {190.2e-6, 189.8e-6, 190.5e-6, 191.0e-6, 189.9e-6, 190.1e-6, 192.4e-6, 190.3e-6, 190.0e-6},
      {9, 189.8e-6, 190.2e-6, 189.9e-6, 191.0e-6, 190.466667e-6, 192.4e-6, 0.1577, 0});
  r.cells.push_back(copy_b);

  CellRecord serial_copy_b =
      SampleCell("serial+memcpy", "serial", "memcpy", kLarge, 1, Operation::kCopy);
  serial_copy_b.calls_per_sample = 4;
  serial_copy_b.wall = Times(
      {280.1e-6, 279.5e-6, 281.0e-6, 280.4e-6, 279.9e-6, 280.2e-6, 280.6e-6, 283.0e-6, 280.0e-6},
      {9, 279.5e-6, 280.2e-6, 279.9e-6, 281.0e-6, 280.522222e-6, 283.0e-6, 0.1071, 0});
  r.cells.push_back(serial_copy_b);

  CellRecord serial_b = SampleCell("serial", "serial", "scalar", kLarge, 1);
  serial_b.calls_per_sample = 4;
  serial_b.wall = Times(
      {330.5e-6, 329.8e-6, 331.2e-6, 330.1e-6, 330.0e-6, 345.0e-6, 329.9e-6, 330.4e-6, 330.2e-6},
      {9, 329.8e-6, 330.2e-6, 329.9e-6, 331.2e-6, 331.9e-6, 345.0e-6, 0.0909, 1});
  serial_b.flags = {"outliers: 1 of 9 samples (modified z-score > 10)"};
  r.cells.push_back(serial_b);

  CellRecord opencl_b = SampleCell("opencl@pocl", "opencl", "scalar", kLarge, 1);
  opencl_b.params.variant = "pocl";
  opencl_b.params.binding = Binding::kNone;
  opencl_b.on_device = true;
  opencl_b.placement = "pocl: cpu-haswell-Intel(R) Xeon(R) Platinum 8481C";
  opencl_b.calls_per_sample = 4;
  opencl_b.wall = Times(
      {402.0e-6, 398.5e-6, 400.3e-6, 401.1e-6, 399.8e-6, 400.0e-6, 400.6e-6, 399.5e-6, 400.9e-6},
      {9, 398.5e-6, 400.3e-6, 399.5e-6, 401.1e-6, 400.3e-6, 402.0e-6, 0.1499, 0});
  opencl_b.kernel_only = Times(
      {300.2e-6, 299.8e-6, 300.5e-6, 300.1e-6, 299.9e-6, 300.0e-6, 300.3e-6, 299.7e-6, 300.4e-6},
      {9, 299.7e-6, 300.1e-6, 299.8e-6, 300.4e-6, 300.1e-6, 300.5e-6, 0.0666, 0});
  r.cells.push_back(opencl_b);

  CellRecord cuda_b = SampleCell("cuda", "cuda", "scalar", kLarge, 1);
  cuda_b.params.binding = Binding::kNone;
  cuda_b.on_device = true;
  cuda_b.status = CellStatus::kError;
  cuda_b.placement = "";
  cuda_b.message = "no CUDA device\ncudaGetDeviceCount: \"no CUDA-capable device\", code 100";
  r.cells.push_back(cuda_b);

  CellRecord avx3_b = SampleCell("openmp+highway@avx3", "openmp", "highway", kLarge, 2);
  avx3_b.params.variant = "avx3";
  avx3_b.status = CellStatus::kSkipped;
  avx3_b.placement = "";
  avx3_b.message = "this CPU lacks AVX3 (AVX-512F/BW/DQ/VL)";
  r.cells.push_back(avx3_b);

  // Last so that the indices above hold; laid out in the small group, with its counted events.
  CellRecord interleaved_a = SampleCell("interleaved", "interleaved", "scalar", kSmall, 1);
  interleaved_a.params.knobs = {{"prefetch", "off"}, {"quantum", "1024"}, {"tasks", "4"}};
  interleaved_a.summary = "4 tasks x 1Ki, cpu 0, prefetch off";
  interleaved_a.calls_per_sample = 2048;
  interleaved_a.wall = Times(
      {0.901e-6, 0.898e-6, 0.905e-6, 0.899e-6, 0.900e-6, 0.912e-6, 0.897e-6, 0.903e-6, 0.902e-6},
      {9, 0.897e-6, 0.901e-6, 0.898e-6, 0.905e-6, 0.901889e-6, 0.912e-6, 0.2220, 0});
  interleaved_a.events = {{"switches", 3, 0}, {"resumes", 7, 4.5e-9}};
  r.cells.push_back(interleaved_a);
  for (CellRecord& c : r.cells)  // as the planner sets them (these executors have no knobs)
    c.ceiling_set =
        fmt::format("{} x{} {}", c.params.executor, c.params.threads, Name(c.params.binding));
  return r;
}

}  // namespace sqb::testing
