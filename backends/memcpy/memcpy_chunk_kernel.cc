// The memcpy chunk kernel: glibc memcpy over the same bytes, the copy ceiling every row is read
// against (composed with an executor, it is split over the same threads).
#include <cstring>

#include "squarebench/executor.h"
#include "squarebench/registration.h"

namespace sqb {
namespace {

template <typename T>
void CopyChunk(const T* x, T* y, std::size_t n) {
  std::memcpy(y, x, n * sizeof(T));
}

SQB_REGISTER_CHUNK_KERNEL((ChunkKernelInfo{
    .name = "memcpy",
    .description = "glibc memcpy (copy ceiling)",
    .operation = Operation::kCopy,
    .in_default_run = false,  // measured anyway, as every square backend's ceiling
    .copy_ceiling = true,
    .unavailable_reason = [](const std::string&) { return std::string(); },
    .resolve =
        [](const CellParams&) {
          return ChunkFns{CopyChunk<float>, CopyChunk<double>};
        },
}));

}  // namespace
}  // namespace sqb
