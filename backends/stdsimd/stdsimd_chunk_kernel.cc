// The stdsimd chunk kernel: std::experimental::simd compiled per x86 level at Highway's flags
// (stdsimd_square-inl.h), the level chosen at run time; rows give the lanes.
#include "squarebench/isa.h"
#include "squarebench/registration.h"
#include "stdsimd_isa_kernels.h"

namespace sqb {
namespace {

// In the default run on one core and under OpenMP, as `clones`: the C++ standard's own SIMD
// type, next to Highway and to the compiler's dispatch of the plain loop.
ChunkKernelInfo Info() {
  ChunkKernelInfo info =
      PerIsaChunkKernel("stdsimd", "std::experimental::native_simd", stdsimd_isa::Compiled());
  info.in_default_run = true;
  info.default_executors = {kSerialExecutor, "openmp"};
  return info;
}

SQB_REGISTER_CHUNK_KERNEL(Info());

}  // namespace
}  // namespace sqb
