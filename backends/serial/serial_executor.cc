// The serial executor: the whole range on the calling thread (the single-core baseline).
#include "squarebench/affinity.h"
#include "squarebench/executor.h"
#include "squarebench/registration.h"

namespace sqb {
namespace {

class SerialExecutor final : public Executor {
 public:
  explicit SerialExecutor(const CellParams& p) : pin_(p.binding == Binding::kCores) {}

  void ForEachRange(std::size_t n, RangeFn body, RangeFn) override { body(0, n); }
  void Bind() override {
    if (pin_) PinCurrentThread(BindingCpu(0));
  }
  void Unbind() override {
    if (pin_) RestoreCurrentThread();
  }
  std::string Placement() const override { return DescribePlacement(pin_, 1); }
  bool OnCallingThreadOnly() const override { return true; }

 private:
  bool pin_;
};

SQB_REGISTER_EXECUTOR((ExecutorInfo{
    .name = kSerialExecutor,
    .description = "one thread: the calling one",
    .parallel = false,
    .in_default_run = true,
    .unavailable_reason = [] { return std::string(); },
    .make = [](const CellParams& p) -> std::unique_ptr<Executor> {
      return std::make_unique<SerialExecutor>(p);
    },
}));

}  // namespace
}  // namespace sqb
