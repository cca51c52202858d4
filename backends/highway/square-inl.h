// The kernel as Highway SIMD, per target: y = Square(x) with regular or streaming stores, and the
// same loop copying (y = x) for the copy ceilings.
// Included once per target by foreach_target.h (see highway_chunk_kernel.cc).

// Per-target include guard, as in Highway's hwy/examples/skeleton-inl.h.
#if defined(SQB_KERNELS_SQUARE_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef SQB_KERNELS_SQUARE_INL_H_
#undef SQB_KERNELS_SQUARE_INL_H_
#else
#define SQB_KERNELS_SQUARE_INL_H_
#endif

#include <cstddef>
#include <cstdint>

#include "hwy/cache_control.h"
#include "hwy/highway.h"
#include "squarebench/square.h"

HWY_BEFORE_NAMESPACE();
namespace sqb {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// Software prefetch of x this far ahead, one line per 128 bytes (the L2 streamer brings the
// adjacent line of each pair). Measured at the DRAM size with streaming stores: +13% on 2 cores,
// +17% on 1 over the hardware prefetchers alone; every line, or 16-64 KiB ahead, gained less.
inline constexpr std::size_t kStreamPrefetchBytes = 8192;
inline constexpr std::size_t kPrefetchStrideBytes = 128;

template <bool kStream, class D, class V, typename T>
HWY_INLINE void StoreVector(V v, D d, T* HWY_RESTRICT p) {
  if constexpr (kStream) {
    hn::Stream(v, d, p);
  } else {
    hn::StoreU(v, d, p);
  }
}

// What a kernel does to each element: the square, or the identity of the copy ceiling (the same
// loop and stores, so that the two differ only by the multiply).
enum class ElementOp { kSquare, kCopy };

// Templates, not lambdas: a lambda would not carry the target's code generation attributes.
template <ElementOp kOp, class V>
HWY_INLINE V ApplyOp(V v) {
  if constexpr (kOp == ElementOp::kSquare) {
    return hn::Mul(v, v);
  } else {
    return v;
  }
}
template <ElementOp kOp, typename T>
HWY_INLINE T ApplyScalar(T v) {
  if constexpr (kOp == ElementOp::kSquare) {
    return Square<T>(v);
  } else {
    return v;
  }
}

// Four vectors per iteration keep enough loads in flight; the remainder is scalar (Highway 1.0.3
// has no LoadN/StoreN, and its SSE4 BlendedStore would touch bytes past the end).
//
// kStream: non-temporal stores bypass the caches (no read-for-ownership of y). They need y
// aligned to the vector size, so the head is peeled with scalar code up to alignment; with kFence
// the stores are fenced before returning, so y is complete when the caller's timer stops.
// Without it the caller fences, once for many chunks on its thread: a fence waits for the
// write-combining buffers to drain, which costs about 5% of a 16 KiB chunk at DRAM speed here.
template <ElementOp kOp, bool kStream, bool kFence, typename T>
HWY_INLINE void ApplyWithStores(const T* HWY_RESTRICT x, T* HWY_RESTRICT y, std::size_t n) {
  const hn::ScalableTag<T> d;
  const std::size_t lanes = hn::Lanes(d);
  const std::size_t vector_bytes = lanes * sizeof(T);
  std::size_t i = 0;
  if constexpr (kStream) {
    const std::size_t misaligned = reinterpret_cast<std::uintptr_t>(y) % vector_bytes;
    const std::size_t head = misaligned == 0 ? 0 : (vector_bytes - misaligned) / sizeof(T);
    for (; i < head && i < n; ++i) y[i] = ApplyScalar<kOp>(x[i]);
  }
  for (; i + 4 * lanes <= n; i += 4 * lanes) {
    if constexpr (kStream) {
      const char* ahead = reinterpret_cast<const char*>(x + i) + kStreamPrefetchBytes;
      for (std::size_t b = 0; b < 4 * vector_bytes; b += kPrefetchStrideBytes)
        hwy::Prefetch(ahead + b);
    }
    const auto v0 = hn::LoadU(d, x + i);
    const auto v1 = hn::LoadU(d, x + i + lanes);
    const auto v2 = hn::LoadU(d, x + i + 2 * lanes);
    const auto v3 = hn::LoadU(d, x + i + 3 * lanes);
    StoreVector<kStream>(ApplyOp<kOp>(v0), d, y + i);
    StoreVector<kStream>(ApplyOp<kOp>(v1), d, y + i + lanes);
    StoreVector<kStream>(ApplyOp<kOp>(v2), d, y + i + 2 * lanes);
    StoreVector<kStream>(ApplyOp<kOp>(v3), d, y + i + 3 * lanes);
  }
  for (; i + lanes <= n; i += lanes)
    StoreVector<kStream>(ApplyOp<kOp>(hn::LoadU(d, x + i)), d, y + i);
  for (; i < n; ++i) y[i] = ApplyScalar<kOp>(x[i]);
  if constexpr (kStream && kFence) hwy::FlushStream();
}

}  // namespace HWY_NAMESPACE
}  // namespace sqb
HWY_AFTER_NAMESPACE();

#endif  // SQB_KERNELS_SQUARE_INL_H_
