// Verification: y compared bitwise with the reference operation applied to x on the host.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "squarebench/backend.h"
#include "squarebench/dtype.h"

namespace sqb {

struct Mismatch {
  std::uint64_t index = 0;
  std::string got;               // e.g. "0x7f80dead (nan)"
  std::string expected;          // e.g. "0x3f800000 (1)"
  std::string Describe() const;  // "y[5] = 0x7f80dead (nan), expected 0x3f800000 (1)"
};

// The first element where y differs from op(x) bit for bit; nullopt when all match. With
// any_nan_matches (a backend that declares canonical NaNs), any quiet NaN matches an
// expected NaN.
std::optional<Mismatch> FindMismatch(DType t, Operation op, const HostArrays& a,
                                     bool any_nan_matches = false);

}  // namespace sqb
