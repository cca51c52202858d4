// The stdsimd chunk kernel: std::experimental::simd compiled per x86 level at Highway's flags
// (stdsimd_square-inl.h), the level chosen at run time; rows give the lanes.
#include "squarebench/registration.h"
#include "stdsimd_isa_kernels.h"

namespace sqb {
namespace {

SQB_REGISTER_CHUNK_KERNEL(PerIsaChunkKernel("stdsimd", "std::experimental::native_simd",
                                            stdsimd_isa::Compiled()));

}  // namespace
}  // namespace sqb
