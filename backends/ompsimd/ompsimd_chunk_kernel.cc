// The ompsimd chunk kernel: the plain loop under `#pragma omp simd`, compiled per x86 level at
// Highway's flags (ompsimd_square-inl.h), the level chosen at run time.
#include "ompsimd_isa_kernels.h"
#include "squarebench/isa.h"
#include "squarebench/registration.h"

namespace sqb {
namespace {

SQB_REGISTER_CHUNK_KERNEL(PerIsaChunkKernel("ompsimd", "#pragma omp simd",
                                            ompsimd_isa::Compiled()));

}  // namespace
}  // namespace sqb
