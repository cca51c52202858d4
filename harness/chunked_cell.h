// The cell of every composed backend: an executor spreading a chunk kernel over host arrays.
#pragma once

#include <memory>

#include "squarebench/backend.h"
#include "squarebench/executor.h"

namespace sqb {

// Knobs every composed backend has: transparent huge pages for its arrays.
inline const KnobInfo kHugePagesKnob{
    "hugepages", {"off", "on"}, "off", "madvise(MADV_HUGEPAGE) on the arrays"};

// out_of_process: the executor's ranges run in other processes (ExecutorInfo::out_of_process), so
// the arrays go to shared memory and the work reaches it as ChunkJobs.
std::unique_ptr<Cell> MakeChunkedCell(const CellParams& params, std::unique_ptr<Executor> executor,
                                      const ChunkFns& fns, bool out_of_process = false);

}  // namespace sqb
