// The Highway chunk kernel: kernels/square-inl.h compiled for every target (foreach_target.h),
// dispatched at run time (HWY_EXPORT / HWY_DYNAMIC_DISPATCH) or run as one named target.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "backends/highway/highway_chunk_kernel.cc"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
// clang-format off: the includes above must come first.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "backends/highway/highway_targets.h"
#include "harness/registry.h"
#include "harness/topology.h"
#include "hwy/highway.h"
#include "kernels/square-inl.h"
// clang-format on

namespace sqb {
// Defined once below; called by every target's static initialiser, in target order.
bool AddHighwayTarget(HighwayTarget target);
}  // namespace sqb

HWY_BEFORE_NAMESPACE();
namespace sqb {
namespace HWY_NAMESPACE {

// One non-template function per type and policy: Highway 1.0.3 has no HWY_EXPORT_T.
void SquareF32(const float* x, float* y, std::size_t n) { SquareRegular(x, y, n); }
void SquareF64(const double* x, double* y, std::size_t n) { SquareRegular(x, y, n); }
void StreamSquareF32(const float* x, float* y, std::size_t n) { SquareStream(x, y, n); }
void StreamSquareF64(const double* x, double* y, std::size_t n) { SquareStream(x, y, n); }
void UnfencedStreamSquareF32(const float* x, float* y, std::size_t n) {
  SquareStreamUnfenced(x, y, n);
}
void UnfencedStreamSquareF64(const double* x, double* y, std::size_t n) {
  SquareStreamUnfenced(x, y, n);
}
std::int64_t Target() { return HWY_TARGET; }
// Not inlined: the static initialiser below lacks this target's code generation attributes.
HWY_NOINLINE std::size_t LanesF32() { return hn::Lanes(hn::ScalableTag<float>()); }
HWY_NOINLINE std::size_t LanesF64() { return hn::Lanes(hn::ScalableTag<double>()); }

const bool kTargetAdded = AddHighwayTarget({
    .bit = HWY_TARGET,
    .name = hwy::TargetName(HWY_TARGET),
    .lanes_f32 = LanesF32(),
    .lanes_f64 = LanesF64(),
    .regular = {SquareF32, SquareF64},
    .streaming = {StreamSquareF32, StreamSquareF64},
    .streaming_unfenced = {UnfencedStreamSquareF32, UnfencedStreamSquareF64},
});

}  // namespace HWY_NAMESPACE
}  // namespace sqb
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace sqb {
namespace {

HWY_EXPORT(SquareF32);
HWY_EXPORT(SquareF64);
HWY_EXPORT(StreamSquareF32);
HWY_EXPORT(StreamSquareF64);
HWY_EXPORT(UnfencedStreamSquareF32);
HWY_EXPORT(UnfencedStreamSquareF64);
HWY_EXPORT(Target);

std::vector<HighwayTarget>& TargetTable() {
  static std::vector<HighwayTarget> targets;
  return targets;
}

void DispatchSquareF32(const float* x, float* y, std::size_t n) {
  HWY_DYNAMIC_DISPATCH(SquareF32)(x, y, n);
}
void DispatchSquareF64(const double* x, double* y, std::size_t n) {
  HWY_DYNAMIC_DISPATCH(SquareF64)(x, y, n);
}
void DispatchStreamSquareF32(const float* x, float* y, std::size_t n) {
  HWY_DYNAMIC_DISPATCH(StreamSquareF32)(x, y, n);
}
void DispatchStreamSquareF64(const double* x, double* y, std::size_t n) {
  HWY_DYNAMIC_DISPATCH(StreamSquareF64)(x, y, n);
}
void DispatchUnfencedStreamSquareF32(const float* x, float* y, std::size_t n) {
  HWY_DYNAMIC_DISPATCH(UnfencedStreamSquareF32)(x, y, n);
}
void DispatchUnfencedStreamSquareF64(const double* x, double* y, std::size_t n) {
  HWY_DYNAMIC_DISPATCH(UnfencedStreamSquareF64)(x, y, n);
}

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

// auto: streaming stores when x and y together exceed the last-level cache, where stores that
// bypass the caches save the read-for-ownership of y and evict nothing useful.
ChunkFns Resolve(const CellParams& p) {
  const std::string stores = KnobValue(p, "stores");
  const bool beyond_llc = 2 * p.BytesPerArray() > MachineTopology().LastLevelBytes();
  const StorePolicy policy = stores == "streaming" || (stores == "auto" && beyond_llc)
                                 ? StorePolicy::kStreaming
                                 : StorePolicy::kRegular;
  const bool dispatch = p.variant == kDispatchVariant;
  const HighwayTarget* target = dispatch ? &DispatchedHighwayTarget() : FindTarget(p.variant);
  if (target == nullptr) throw CellError("unknown Highway target '" + p.variant + "'");
  const bool streaming = policy == StorePolicy::kStreaming;
  const auto kernels = [&](StorePolicy policy) {
    if (dispatch) return DispatchedHighwayKernels(policy);
    if (policy == StorePolicy::kStreaming) return target->streaming;
    if (policy == StorePolicy::kStreamingUnfenced) return target->streaming_unfenced;
    return target->regular;
  };
  const HighwayKernels k = kernels(policy);
  const std::size_t lanes = p.dtype == DType::kF32 ? target->lanes_f32 : target->lanes_f64;
  ChunkFns fns{k.f32, k.f64,
               fmt::format("{} x{}, {} stores{}", target->name, lanes,
                           streaming ? "streaming" : "regular", stores == "auto" ? " (auto)" : "")};
  if (streaming) {
    const HighwayKernels unfenced = kernels(StorePolicy::kStreamingUnfenced);
    fns.f32_unfenced = unfenced.f32;
    fns.f64_unfenced = unfenced.f64;
    fns.fence = FenceStreams;
  }
  return fns;
}

ChunkKernelInfo Info() {
  const HighwayTarget& chosen = DispatchedHighwayTarget();
  return {
      .name = "highway",
      .description = fmt::format("Highway SIMD; auto = runtime dispatch, here {} ({} f32 lanes)",
                                 chosen.name, chosen.lanes_f32),
      .operation = Operation::kSquare,
      .in_default_run = true,
      .variants = Variants(),
      .knobs = {{"stores",
                 {"auto", "regular", "streaming"},
                 "auto",
                 "Store policy of SIMD chunk kernels (streaming = non-temporal; auto = streaming "
                 "when the working set exceeds the last-level cache)"}},
      .unavailable_reason = UnavailableReason,
      .resolve = Resolve,
  };
}

SQB_REGISTER_CHUNK_KERNEL(Info());

}  // namespace

bool AddHighwayTarget(HighwayTarget target) {
  auto& table = TargetTable();
  table.push_back(std::move(target));
  // Highway's target bits: a lower bit is a better target.
  std::sort(table.begin(), table.end(), [](const auto& a, const auto& b) { return a.bit < b.bit; });
  return true;
}

const std::vector<HighwayTarget>& CompiledHighwayTargets() { return TargetTable(); }

HighwayKernels DispatchedHighwayKernels(StorePolicy stores) {
  switch (stores) {
    case StorePolicy::kRegular:
      return {DispatchSquareF32, DispatchSquareF64};
    case StorePolicy::kStreaming:
      return {DispatchStreamSquareF32, DispatchStreamSquareF64};
    case StorePolicy::kStreamingUnfenced:
      return {DispatchUnfencedStreamSquareF32, DispatchUnfencedStreamSquareF64};
  }
  return {};
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
