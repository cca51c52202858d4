// The planner's inputs checked against the registry: backends as named, the default ones, knobs.
#include "harness/plan_inputs.h"

#include <fmt/format.h>

#include <algorithm>

#include "harness/plan.h"
#include "harness/registry.h"
#include "harness/sizes.h"

namespace sqb {
namespace {

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
}

// One value as the knob records it: a listed value as given, a count in decimal.
std::string CanonicalKnobValue(const KnobInfo& knob, const std::string& value) {
  if (!knob.values.empty()) {
    if (std::find(knob.values.begin(), knob.values.end(), value) == knob.values.end())
      throw UsageError(fmt::format("invalid --{} value '{}' (valid: {})", knob.name, value,
                                   fmt::join(knob.values, ", ")));
    return value;
  }
  const std::string what = "--" + knob.name;
  std::string error;
  const auto n = ParseWholeNumber(
      value, {.what = what, .min = knob.min_count, .max = knob.max_count, .suffixes = true},
      &error);
  if (!n)  // one message for every way a value misses, naming the range
    throw UsageError(fmt::format("invalid --{} value '{}': must be a whole number in {}..{}",
                                 knob.name, value, knob.min_count, knob.max_count));
  return std::to_string(*n);
}

// The record of a default backend that cannot run here: listed as SKIPPED with the reason.
CellRecord SkippedRecord(const BackendInfo& b, const std::string& why) {
  CellRecord skipped;
  skipped.params.backend = b.name;
  skipped.params.executor = b.executor;
  skipped.params.chunk_kernel = b.chunk_kernel;
  skipped.operation = b.operation;
  skipped.on_device = b.variant_is_device;
  skipped.status = CellStatus::kSkipped;
  skipped.message = why;
  return skipped;
}

}  // namespace

ResolvedBackend ResolveBackend(const std::string& text) {
  const std::size_t at = text.find('@');
  const std::string base = text.substr(0, at);
  const std::size_t plus = base.find('+');
  const std::string executor = base.substr(0, plus);
  const std::string chunk = plus == std::string::npos ? kScalarChunkKernel : base.substr(plus + 1);
  const bool well_formed = !executor.empty() && !chunk.empty() &&
                           std::all_of(executor.begin(), executor.end(), IsNameChar) &&
                           std::all_of(chunk.begin(), chunk.end(), IsNameChar);
  const BackendInfo* info = well_formed ? FindBackend(ComposeName(executor, chunk)) : nullptr;
  if (info == nullptr)
    throw UsageError(fmt::format("unknown backend '{}' (valid: {})", text, ValidBackendNames()));
  if (at == std::string::npos) return {info, DefaultVariant(*info)};
  const std::string variant = text.substr(at + 1);
  if (info->variants.empty())
    throw UsageError(
        fmt::format("backend '{}' has no variants (asked for '{}')", info->name, text));
  if (std::find(info->variants.begin(), info->variants.end(), variant) == info->variants.end())
    throw UsageError(fmt::format("unknown variant '{}' of backend '{}' (valid: {})", variant,
                                 info->name, fmt::join(info->variants, ", ")));
  return {info, variant};
}

KnobValues CanonicalKnobs(const KnobValues& given) {
  const std::vector<const KnobInfo*> all = AllKnobs();
  KnobValues out;
  for (const auto& [name, values] : given) {
    const auto knob =
        std::find_if(all.begin(), all.end(), [&](const KnobInfo* k) { return k->name == name; });
    if (knob == all.end()) throw UsageError(fmt::format("unknown option --{}", name));
    auto& list = out[name];
    for (const auto& v : values) {
      std::string canonical = CanonicalKnobValue(**knob, v);
      if (std::find(list.begin(), list.end(), canonical) != list.end())
        throw UsageError(fmt::format("--{}: '{}' repeats a value given before it", name, v));
      list.push_back(std::move(canonical));
    }
  }
  return out;
}

std::vector<ResolvedBackend> DefaultBackends(std::vector<CellRecord>* skipped) {
  std::vector<ResolvedBackend> backends;
  for (const auto& b : Backends()) {
    if (!b.in_default_run) continue;
    const std::string variant = DefaultVariant(b);
    const std::string why = b.unavailable_reason(variant);
    if (why.empty())
      backends.push_back({&b, variant});
    else
      skipped->push_back(SkippedRecord(b, why));
  }
  return backends;
}

std::vector<ResolvedBackend> NamedBackends(const std::vector<std::string>& names) {
  std::vector<ResolvedBackend> backends;
  for (const auto& name : names) {
    const ResolvedBackend r = ResolveBackend(name);
    const std::string why = r.info->unavailable_reason(r.variant);
    if (!why.empty()) throw UsageError(fmt::format("backend '{}' cannot run here: {}", name, why));
    const bool seen = std::any_of(backends.begin(), backends.end(), [&](const auto& b) {
      return b.info == r.info && b.variant == r.variant;
    });
    if (seen)
      throw UsageError(fmt::format("--backends: '{}' names a backend given before it", name));
    backends.push_back(r);
  }
  return backends;
}

std::string ValidBackendNames() {
  std::vector<std::string> names;
  for (const auto& b : Backends()) names.push_back(b.name);
  return fmt::format("{}", fmt::join(names, ", "));
}

std::string DefaultVariant(const BackendInfo& b) {
  return b.variants.empty() ? "" : b.variants.front();
}

std::vector<const KnobInfo*> AllKnobs() {
  std::vector<const KnobInfo*> knobs;
  for (const auto& b : Backends())
    for (const KnobInfo& k : b.knobs)
      if (std::none_of(knobs.begin(), knobs.end(),
                       [&](const KnobInfo* seen) { return seen->name == k.name; }))
        knobs.push_back(&k);
  return knobs;
}

}  // namespace sqb
