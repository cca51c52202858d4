// The Highway chunk kernels, highway (square) and copy: square-inl.h compiled for every
// target (foreach_target.h), dispatched at run time (HWY_EXPORT / HWY_DYNAMIC_DISPATCH) or run as
// one named target.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "highway_chunk_kernel.cc"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
// clang-format off: the includes above must come first.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <memory>

#include "highway_targets.h"
#include "hwy/highway.h"
#include "hwy/targets.h"
#include "square-inl.h"
#include "squarebench/registration.h"
// clang-format on

namespace sqb {
// Defined once below; called by every target's static initialiser, in target order.
bool AddHighwayTarget(HighwayTarget target);
}  // namespace sqb

HWY_BEFORE_NAMESPACE();
namespace sqb {
namespace HWY_NAMESPACE {

// One non-template function per operation, store policy and type: Highway 1.0.3 has no
// HWY_EXPORT_T.
#ifndef SQB_HWY_KERNELS
#define SQB_HWY_KERNELS(Name, kOp, kStream, kFence)           \
  void Name##F32(const float* x, float* y, std::size_t n) {   \
    ApplyWithStores<kOp, kStream, kFence>(x, y, n);           \
  }                                                           \
  void Name##F64(const double* x, double* y, std::size_t n) { \
    ApplyWithStores<kOp, kStream, kFence>(x, y, n);           \
  }
#endif
SQB_HWY_KERNELS(Square, ElementOp::kSquare, false, false)
SQB_HWY_KERNELS(StreamSquare, ElementOp::kSquare, true, true)
SQB_HWY_KERNELS(UnfencedStreamSquare, ElementOp::kSquare, true, false)
SQB_HWY_KERNELS(Copy, ElementOp::kCopy, false, false)
SQB_HWY_KERNELS(StreamCopy, ElementOp::kCopy, true, true)
SQB_HWY_KERNELS(UnfencedStreamCopy, ElementOp::kCopy, true, false)
std::int64_t Target() { return HWY_TARGET; }
// Not inlined: the static initialiser below lacks this target's code generation attributes.
HWY_NOINLINE std::size_t LanesF32() { return hn::Lanes(hn::ScalableTag<float>()); }
HWY_NOINLINE std::size_t LanesF64() { return hn::Lanes(hn::ScalableTag<double>()); }

const bool kTargetAdded = AddHighwayTarget({
    .bit = HWY_TARGET,
    .name = hwy::TargetName(HWY_TARGET),
    .lanes_f32 = LanesF32(),
    .lanes_f64 = LanesF64(),
    .square = {{SquareF32, SquareF64},
               {StreamSquareF32, StreamSquareF64},
               {UnfencedStreamSquareF32, UnfencedStreamSquareF64}},
    .copy = {{CopyF32, CopyF64},
             {StreamCopyF32, StreamCopyF64},
             {UnfencedStreamCopyF32, UnfencedStreamCopyF64}},
});

}  // namespace HWY_NAMESPACE
}  // namespace sqb
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace sqb {
namespace {

HWY_EXPORT(Target);

std::vector<HighwayTarget>& TargetTable() {
  static std::vector<HighwayTarget> targets;
  return targets;
}

// Calls that dispatch to the best target this CPU supports, one per exported function.
#define SQB_HWY_DISPATCH(Name)                                          \
  HWY_EXPORT(Name##F32);                                                \
  HWY_EXPORT(Name##F64);                                                \
  void Dispatch##Name##F32(const float* x, float* y, std::size_t n) {   \
    HWY_DYNAMIC_DISPATCH(Name##F32)(x, y, n);                           \
  }                                                                     \
  void Dispatch##Name##F64(const double* x, double* y, std::size_t n) { \
    HWY_DYNAMIC_DISPATCH(Name##F64)(x, y, n);                           \
  }
SQB_HWY_DISPATCH(Square)
SQB_HWY_DISPATCH(StreamSquare)
SQB_HWY_DISPATCH(UnfencedStreamSquare)
SQB_HWY_DISPATCH(Copy)
SQB_HWY_DISPATCH(StreamCopy)
SQB_HWY_DISPATCH(UnfencedStreamCopy)

constexpr char kDispatchVariant[] = "auto";

std::string Lowercase(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

const HighwayTarget* FindTarget(const std::string& variant) {
  for (const auto& t : CompiledHighwayTargets())
    if (Lowercase(t.name) == variant) return &t;
  return nullptr;
}

std::vector<std::string> Variants() {
  std::vector<std::string> v = {kDispatchVariant};
  for (const auto& t : CompiledHighwayTargets()) v.push_back(Lowercase(t.name));
  return v;
}

std::string UnavailableReason(const std::string& variant) {
  if (variant == kDispatchVariant) return "";
  const HighwayTarget* t = FindTarget(variant);
  if (t == nullptr) return "not compiled in";
  if ((hwy::SupportedTargets() & t->bit) == 0) return "this CPU does not support " + t->name;
  return "";
}

const KnobInfo kStoresKnob{"stores",
                           {"auto", "regular", "streaming"},
                           "auto",
                           "Store policy of SIMD chunk kernels (streaming = non-temporal; auto = "
                           "the faster of the two in a probe on the cell's own arrays)"};

// One store policy's kernels of `target` (or of the dispatched target).
ChunkFns KernelsWithStores(const HighwayTarget& target, const HighwayKernelSet& kernels,
                           bool streaming, DType dtype, bool automatic) {
  const HighwayKernels& k = streaming ? kernels.streaming : kernels.regular;
  const std::size_t lanes = dtype == DType::kF32 ? target.lanes_f32 : target.lanes_f64;
  ChunkFns fns{k.f32, k.f64,
               fmt::format("{} x{}, {} stores{}", target.name, lanes,
                           streaming ? "streaming" : "regular", automatic ? " (auto)" : "")};
  fns.label = streaming ? "streaming stores" : "regular stores";
  if (streaming) {
    fns.f32_unfenced = kernels.streaming_unfenced.f32;
    fns.f64_unfenced = kernels.streaming_unfenced.f64;
    fns.fence = FenceStreams;
  }
  return fns;
}

// auto: which policy wins depends on the size, the threads and what else shares the caches (on a
// VM, streaming stores can win well inside the measured L3), so the cell measures both
// (ChunkFns::alternative) and keeps the faster.
ChunkFns Resolve(const CellParams& p, Operation op) {
  const std::string stores = KnobValue(p, kStoresKnob.name);
  const bool dispatch = p.variant == kDispatchVariant;
  const HighwayTarget* target = dispatch ? &DispatchedHighwayTarget() : FindTarget(p.variant);
  if (target == nullptr) throw CellError("unknown Highway target '" + p.variant + "'");
  const HighwayKernelSet kernels = dispatch                   ? DispatchedHighwayKernels(op)
                                   : op == Operation::kSquare ? target->square
                                                              : target->copy;
  if (stores != "auto")
    return KernelsWithStores(*target, kernels, stores == "streaming", p.dtype, false);
  ChunkFns fns = KernelsWithStores(*target, kernels, false, p.dtype, true);
  fns.alternative =
      std::make_shared<const ChunkFns>(KernelsWithStores(*target, kernels, true, p.dtype, true));
  return fns;
}

// Highway's version, and the targets compiled in that this CPU runs, best first.
FingerprintLines Fingerprint() {
  std::vector<std::string> names;
  for (std::int64_t t : hwy::SupportedAndGeneratedTargets()) names.emplace_back(hwy::TargetName(t));
  return {{"lib.highway", fmt::format("{}.{}.{}", HWY_MAJOR, HWY_MINOR, HWY_PATCH)},
          {"simd.highway_targets",
           fmt::format("{} (dispatch picks the first)", fmt::join(names, " "))}};
}

// The square, and its copy twin: the same loop and stores without the multiply, a copy ceiling.
ChunkKernelInfo Info(Operation op) {
  const HighwayTarget& chosen = DispatchedHighwayTarget();
  const bool square = op == Operation::kSquare;
  return {
      .name = square ? "highway" : "copy",
      .description = fmt::format("{}; auto = runtime dispatch, here {} ({} f32 lanes)",
                                 square ? "Highway SIMD" : "Highway SIMD copy loop (copy ceiling)",
                                 chosen.name, chosen.lanes_f32),
      .operation = op,
      .in_default_run = square,
      .variants = Variants(),
      .knobs = {kStoresKnob},
      .copy_ceiling = !square,
      .ceiling_knobs =
          square ? std::vector<std::map<std::string, std::string>>{}
                 : std::vector<std::map<std::string, std::string>>{{{"stores", "regular"}},
                                                                   {{"stores", "streaming"}}},
      .provenance = {.fingerprint = Fingerprint},
      .unavailable_reason = UnavailableReason,
      .resolve = [op](const CellParams& p) { return Resolve(p, op); },
  };
}

SQB_REGISTER_CHUNK_KERNEL(Info(Operation::kSquare));
SQB_REGISTER_CHUNK_KERNEL(Info(Operation::kCopy));

}  // namespace

bool AddHighwayTarget(HighwayTarget target) {
  auto& table = TargetTable();
  table.push_back(std::move(target));
  // Highway's target bits: a lower bit is a better target.
  std::sort(table.begin(), table.end(), [](const auto& a, const auto& b) { return a.bit < b.bit; });
  return true;
}

const std::vector<HighwayTarget>& CompiledHighwayTargets() { return TargetTable(); }

HighwayKernelSet DispatchedHighwayKernels(Operation op) {
  if (op == Operation::kCopy) {
    return {{DispatchCopyF32, DispatchCopyF64},
            {DispatchStreamCopyF32, DispatchStreamCopyF64},
            {DispatchUnfencedStreamCopyF32, DispatchUnfencedStreamCopyF64}};
  }
  return {{DispatchSquareF32, DispatchSquareF64},
          {DispatchStreamSquareF32, DispatchStreamSquareF64},
          {DispatchUnfencedStreamSquareF32, DispatchUnfencedStreamSquareF64}};
}

void FenceStreams() { hwy::FlushStream(); }

const HighwayTarget& DispatchedHighwayTarget() {
  const std::int64_t bit = HWY_DYNAMIC_DISPATCH(Target)();
  for (const auto& t : CompiledHighwayTargets())
    if (t.bit == bit) return t;
  return CompiledHighwayTargets().back();  // unreachable: dispatch only picks compiled targets
}

}  // namespace sqb
#endif  // HWY_ONCE
