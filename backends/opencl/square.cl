/* The OpenCL kernels: y[offset + i] = square(x[i]), compiled after kernels/square.h's text. */

/* One element per work-item; the global size is rounded up to whole work-groups, hence i < n. */
__kernel void SquareF32(__global const float* restrict x, __global float* restrict y,
                        const ulong offset, const ulong n) {
  const size_t i = get_global_id(0);
  if (i < n) y[offset + i] = SqbSquareF32(x[i]);
}

#if !defined(SQB_NO_F64)
__kernel void SquareF64(__global const double* restrict x, __global double* restrict y,
                        const ulong offset, const ulong n) {
  const size_t i = get_global_id(0);
  if (i < n) y[offset + i] = SqbSquareF64(x[i]);
}
#endif
