// The scalar chunk kernel: the plain loop over Square(), as the compiler makes of it with the
// project's flags (no -march; auto-vectorisation allowed). The honest compiler baseline.
#include "squarebench/executor.h"
#include "squarebench/registration.h"
#include "squarebench/square.h"

namespace sqb {
namespace {

template <typename T>
void SquareChunk(const T* x, T* y, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) y[i] = Square<T>(x[i]);
}

SQB_REGISTER_CHUNK_KERNEL((ChunkKernelInfo{
    .name = kScalarChunkKernel,
    .description = "plain loop over Square()",
    .operation = Operation::kSquare,
    .in_default_run = true,
    .default_executors = {},
    .variants = {},
    .unavailable_reason = [](const std::string&) { return std::string(); },
    .resolve =
        [](const CellParams&) {
          return ChunkFns{SquareChunk<float>, SquareChunk<double>};
        },
}));

}  // namespace
}  // namespace sqb
