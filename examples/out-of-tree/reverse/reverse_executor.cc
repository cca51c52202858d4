// The reverse executor: one thread, blocks of the range from the last to the first, so that the
// hardware prefetcher meets a descending stream.
#include <algorithm>
#include <memory>
#include <string>

#include "squarebench/executor.h"
#include "squarebench/registration.h"

namespace example {
namespace {

constexpr std::size_t kBlock = 4096;  // elements per range; a multiple of sqb::kSplitAlign

class ReverseExecutor final : public sqb::Executor {
 public:
  void ForEachRange(std::size_t n, sqb::RangeFn body, sqb::RangeFn) override {
    for (std::size_t end = n; end > 0;) {
      const std::size_t begin = end > kBlock ? (end - 1) / kBlock * kBlock : 0;
      body(begin, end);
      end = begin;
    }
  }
  std::string Placement() const override { return "calling thread"; }
  bool OnCallingThreadOnly() const override { return true; }
  std::string Summary() const override { return "blocks of 4Ki, last first"; }
};

SQB_REGISTER_EXECUTOR((sqb::ExecutorInfo{
    .name = "reverse",
    .description = "one thread, blocks from the end of the range to its start",
    .make = [](const sqb::CellParams&) -> std::unique_ptr<sqb::Executor> {
      return std::make_unique<ReverseExecutor>();
    },
}));

}  // namespace
}  // namespace example
