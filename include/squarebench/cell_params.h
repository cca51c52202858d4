// Everything that defines one measured cell: the backend as named, the data and the knobs.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "squarebench/dtype.h"

namespace sqb {

// The most elements per array any count (--sizes, a count knob) may name.
inline constexpr std::uint64_t kMaxElements = std::uint64_t{1} << 48;

enum class Binding { kNone, kCores };
std::string_view Name(Binding b);

struct CellParams {
  std::string backend;       // full name, e.g. "openmp" or "openmp+highway@avx2"
  std::string executor;      // how work is spread, e.g. "openmp"
  std::string chunk_kernel;  // how one chunk is computed, e.g. "scalar"
  std::string variant;       // "" when the backend has none
  DType dtype = DType::kF32;
  // Per array, as --sizes counts them. In a cell measured across MPI ranks, the harness records the
  // total over the ranks, and hands each rank's backend its own share.
  std::uint64_t elements = 0;
  std::uint64_t offset = 0;  // elements added to y's start (STREAM's OFFSET)
  int threads = 1;
  Binding binding = Binding::kCores;
  std::map<std::string, std::string> knobs;  // backend-specific, each value its own cell
  // MPI: the processes measuring this cell, each on its own arrays, and how they are timed
  // ("together": all at once; "each": one rank at a time). "" when one process ran alone.
  int ranks = 1;
  std::string mpi_mode;

  // Bytes one call moves, counted as STREAM does: read x once, write y once (2 * sizeof(T) * n).
  std::uint64_t BytesPerCall() const { return 2 * SizeOf(dtype) * elements; }
  std::uint64_t BytesPerArray() const { return SizeOf(dtype) * elements; }
};

// The value of a knob in a cell's params; "" when the cell has no such knob.
inline std::string KnobValue(const CellParams& p, const std::string& knob) {
  const auto it = p.knobs.find(knob);
  return it == p.knobs.end() ? "" : it->second;
}

}  // namespace sqb
