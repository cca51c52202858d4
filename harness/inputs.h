// The values timed runs square: deterministic, normal, and with normal squares.
#pragma once

#include <cstdint>

#include "squarebench/backend.h"
#include "squarebench/dtype.h"

namespace sqb {

// +-[1, 2) with hashed mantissa bits: no denormals, no overflow, so no microcode assists are timed.
// A pure function of the index, so any thread layout fills the same values.
template <typename T>
T TimedInput(std::uint64_t i);

// A signalling NaN: arithmetic never produces one, so an element the backend did not write is
// caught by verification even when the expected value is a NaN.
template <typename T>
T Poison();

// x[i] = TimedInput(i), y[i] = Poison().
FillFn TimedFill(DType t);

}  // namespace sqb
