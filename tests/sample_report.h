// The hand-made report every reporter test renders (tests/golden holds what each format makes
// of it).
#pragma once

#include <cstdint>
#include <string>

#include "harness/record.h"

namespace sqb::testing {

// An f32 cell as the planner makes it, without timings: its level is L1 at 3072 elements, else L3.
CellRecord SampleCell(std::string backend, std::string executor, std::string chunk_kernel,
                      std::uint64_t elements, int threads, Operation op = Operation::kSquare);

Report SampleReport();

}  // namespace sqb::testing
