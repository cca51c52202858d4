/* The one kernel: the element operation y = x * x, valid C++, CUDA C++ and OpenCL C. */
#ifndef SQB_KERNELS_SQUARE_H_
#define SQB_KERNELS_SQUARE_H_

/* No templates or overloads here: OpenCL C has neither. C++ callers use sqb::Square<T> below. */
#if defined(__OPENCL_VERSION__)
#define SQB_KERNEL_FN static inline
#elif defined(__CUDACC__)
#define SQB_KERNEL_FN __host__ __device__ constexpr inline
#else
/* Always inlined, never emitted: a copy compiled in a per-ISA translation unit (-mavx512f) would
   otherwise be one the linker may pick for every caller, on CPUs without that ISA. */
#define SQB_KERNEL_FN constexpr inline __attribute__((always_inline))
#endif

SQB_KERNEL_FN float SqbSquareF32(float x) { return x * x; }

/* OpenCL devices without fp64 compile this header with SQB_NO_F64 defined. */
#if !defined(SQB_NO_F64)
SQB_KERNEL_FN double SqbSquareF64(double x) { return x * x; }
#endif

#if defined(__cplusplus) && !defined(__OPENCL_VERSION__)
namespace sqb {
template <typename T>
constexpr T Square(T x);
template <>
[[gnu::always_inline]] constexpr float Square<float>(float x) {
  return SqbSquareF32(x);
}
#if !defined(SQB_NO_F64)
template <>
[[gnu::always_inline]] constexpr double Square<double>(double x) {
  return SqbSquareF64(x);
}
#endif
}  // namespace sqb
#endif

#endif /* SQB_KERNELS_SQUARE_H_ */
