// The unrolled chunk kernel: the reference element op, four independent elements per iteration.
#include <cstddef>

#include "squarebench/executor.h"
#include "squarebench/registration.h"
#include "squarebench/square.h"

namespace example {
namespace {

template <typename T>
void SquareUnrolled(const T* x, T* y, std::size_t n) {
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    const T a = x[i], b = x[i + 1], c = x[i + 2], d = x[i + 3];
    y[i] = sqb::Square(a);
    y[i + 1] = sqb::Square(b);
    y[i + 2] = sqb::Square(c);
    y[i + 3] = sqb::Square(d);
  }
  for (; i < n; ++i) y[i] = sqb::Square(x[i]);
}

SQB_REGISTER_CHUNK_KERNEL((sqb::ChunkKernelInfo{
    .name = "unrolled",
    .description = "scalar loop unrolled by four",
    .resolve =
        [](const sqb::CellParams&) {
          return sqb::ChunkFns{SquareUnrolled<float>, SquareUnrolled<double>, "x4"};
        },
}));

}  // namespace
}  // namespace example
