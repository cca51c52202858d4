// Planning a run: the options a user gave, expanded into size groups of fully specified cells.
#include "harness/plan.h"

#include <fmt/format.h>

#include <algorithm>
#include <thread>

#include "harness/registry.h"
#include "harness/topology.h"

namespace sqb {
namespace {

struct ResolvedBackend {
  const BackendInfo* info;
  std::string variant;
};

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
}

// <executor>[+<chunk kernel>][@<variant>]
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
  if (at == std::string::npos) return {info, info->variants.empty() ? "" : info->variants.front()};
  const std::string variant = text.substr(at + 1);
  if (info->variants.empty())
    throw UsageError(
        fmt::format("backend '{}' has no variants (asked for '{}')", info->name, text));
  if (std::find(info->variants.begin(), info->variants.end(), variant) == info->variants.end())
    throw UsageError(fmt::format("unknown variant '{}' of backend '{}' (valid: {})", variant,
                                 info->name, fmt::join(info->variants, ", ")));
  return {info, variant};
}

std::vector<std::pair<std::uint64_t, std::string>> ChooseSizes(const RunOptions& o, DType t,
                                                               const MachineLimits& m,
                                                               std::vector<std::string>* notes) {
  std::vector<std::pair<std::uint64_t, std::string>> sizes;  // elements, level named by the user
  if (const auto it = o.sizes_by_dtype.find(t); it != o.sizes_by_dtype.end()) {
    for (auto n : it->second) sizes.emplace_back(n, "");
    return sizes;
  }
  if (!o.sizes.empty()) {
    for (auto n : o.sizes) sizes.emplace_back(n, "");
    return sizes;
  }
  const bool defaults = o.levels.empty();
  const std::vector<std::string> levels =
      defaults ? std::vector<std::string>(std::begin(kLevelNames), std::end(kLevelNames))
               : o.levels;
  for (const auto& level : levels) {
    if (std::find(std::begin(kLevelNames), std::end(kLevelNames), level) == std::end(kLevelNames))
      throw UsageError(fmt::format("unknown level '{}' (valid: L1, L2, L3, DRAM)", level));
    const auto n = ElementsForLevel(level, m.caches, t);
    if (n) {
      sizes.emplace_back(*n, level);
    } else if (defaults) {
      notes->push_back(fmt::format("level {} skipped: this machine reports no such cache", level));
    } else {
      throw UsageError(fmt::format("level {}: this machine reports no such cache", level));
    }
  }
  return sizes;
}

// One value as the knob records it: a listed value as given, a count in decimal.
std::string CanonicalKnobValue(const KnobInfo& knob, const std::string& value) {
  if (!knob.values.empty()) {
    if (std::find(knob.values.begin(), knob.values.end(), value) == knob.values.end())
      throw UsageError(fmt::format("invalid --{} value '{}' (valid: {})", knob.name, value,
                                   fmt::join(knob.values, ", ")));
    return value;
  }
  std::string error;
  const auto n = ParseCount(value, &error);
  if (!n || *n < knob.min_count || *n > knob.max_count)
    throw UsageError(fmt::format("invalid --{} value '{}': must be a whole number in {}..{}",
                                 knob.name, value, knob.min_count, knob.max_count));
  return std::to_string(*n);
}

// The knob values the user gave, checked against every backend's declaration of that knob
// (whether or not a backend run uses it) and written the way cell keys record them.
std::map<std::string, std::vector<std::string>> CanonicalKnobs(const RunOptions& o) {
  std::map<std::string, std::vector<std::string>> out;
  for (const auto& [name, values] : o.knobs) {
    const KnobInfo* knob = nullptr;
    for (const auto& b : Backends())
      for (const KnobInfo& k : b.knobs)
        if (k.name == name) knob = &k;
    if (knob == nullptr) throw UsageError(fmt::format("unknown option --{}", name));
    for (const auto& v : values) {
      std::string canonical = CanonicalKnobValue(*knob, v);
      auto& list = out[name];
      if (std::find(list.begin(), list.end(), canonical) == list.end())
        list.push_back(std::move(canonical));
    }
  }
  return out;
}

// Every combination of the backend's knob values: the user's lists, else each knob's default.
std::vector<std::map<std::string, std::string>> KnobCombinations(
    const BackendInfo& b, const std::map<std::string, std::vector<std::string>>& given_knobs) {
  std::vector<std::map<std::string, std::string>> combos = {{}};
  for (const KnobInfo& knob : b.knobs) {
    const auto given = given_knobs.find(knob.name);
    const std::vector<std::string> values =
        given == given_knobs.end() ? std::vector<std::string>{knob.default_value} : given->second;
    std::vector<std::map<std::string, std::string>> next;
    for (const auto& combo : combos) {
      for (const auto& v : values) {
        next.push_back(combo);
        next.back()[knob.name] = v;
      }
    }
    combos = std::move(next);
  }
  return combos;
}

}  // namespace

std::string ValidBackendNames() {
  std::vector<std::string> names;
  for (const auto& b : Backends()) names.push_back(b.name);
  return fmt::format("{}", fmt::join(names, ", "));
}

MachineLimits CurrentMachineLimits() {
  const Topology& t = MachineTopology();
  MachineLimits m;
  m.caches = {t.l1d_bytes, t.l2_bytes, t.l3_bytes};
  m.cores =
      t.cores > 0 ? t.cores : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  m.available_memory = AvailableMemoryBytes();
  return m;
}

Plan MakePlan(const RunOptions& o, const MachineLimits& m) {
  Plan plan;
  std::vector<ResolvedBackend> backends;
  if (o.backends.empty()) {
    for (const auto& b : Backends()) {
      if (!b.in_default_run) continue;
      const std::string variant = b.variants.empty() ? "" : b.variants.front();
      const std::string why = b.unavailable_reason(variant);
      if (why.empty()) {
        backends.push_back({&b, variant});
        continue;
      }
      CellRecord skipped;
      skipped.params.backend = b.name;
      skipped.params.executor = b.executor;
      skipped.params.chunk_kernel = b.chunk_kernel;
      skipped.operation = b.operation;
      skipped.status = CellStatus::kSkipped;
      skipped.message = why;
      plan.skipped.push_back(std::move(skipped));
    }
  } else {
    for (const auto& name : o.backends) {
      const ResolvedBackend r = ResolveBackend(name);
      const std::string why = r.info->unavailable_reason(r.variant);
      if (!why.empty())
        throw UsageError(fmt::format("backend '{}' cannot run here: {}", name, why));
      const bool seen = std::any_of(backends.begin(), backends.end(), [&](const auto& b) {
        return b.info == r.info && b.variant == r.variant;
      });
      if (!seen) backends.push_back(r);
    }
  }

  const auto knobs_given = CanonicalKnobs(o);
  for (const auto& [knob, values] : knobs_given) {
    const bool used = std::any_of(backends.begin(), backends.end(), [&](const auto& b) {
      return std::any_of(b.info->knobs.begin(), b.info->knobs.end(),
                         [&](const KnobInfo& k) { return k.name == knob; });
    });
    if (!used) plan.notes.push_back(fmt::format("--{} applies to none of the backends run", knob));
  }

  const int max_threads = 64 * m.cores;
  for (int t : o.threads)
    if (t < 1 || t > max_threads)
      throw UsageError(fmt::format("invalid thread count {}: must be 1..{} (64 x {} cores)", t,
                                   max_threads, m.cores));
  const std::vector<int> threads = o.threads.empty() ? std::vector<int>{m.cores} : o.threads;

  for (DType dtype : o.dtypes) {
    for (const auto& [elements, named_level] : ChooseSizes(o, dtype, m, &plan.notes)) {
      for (std::uint64_t offset : o.offsets) {
        SizeGroup g;
        g.dtype = dtype;
        g.elements = elements;
        g.offset = offset;
        g.level = ClassifyLevel(2 * SizeOf(dtype) * elements, m.caches);
        for (const auto& b : backends) {
          const auto knob_combinations = KnobCombinations(*b.info, knobs_given);
          for (Binding binding : o.bindings) {
            std::vector<int> cell_threads = b.info->parallel ? threads : std::vector<int>{1};
            for (int t : cell_threads) {
              for (const auto& knobs : knob_combinations) {
                PlannedCell c{b.info, {}};
                // The default variant is implied: "highway" runs highway@auto.
                const bool implied = b.variant.empty() || b.variant == b.info->variants.front();
                c.params.backend = b.info->name + (implied ? "" : "@" + b.variant);
                c.params.executor = b.info->executor;
                c.params.chunk_kernel = b.info->chunk_kernel;
                c.params.variant = b.variant;
                c.params.dtype = dtype;
                c.params.elements = elements;
                c.params.offset = offset;
                c.params.threads = t;
                c.params.binding = binding;
                c.params.knobs = knobs;
                g.cells.push_back(std::move(c));
              }
            }
          }
        }
        const std::uint64_t cell_bytes = (2 * elements + offset) * SizeOf(dtype);
        const std::uint64_t all_bytes = cell_bytes * g.cells.size();
        const std::string what = fmt::format("{} {} elements", Name(dtype), FormatCount(elements));
        if (cell_bytes > m.available_memory / 10 * 9) {
          const std::string why =
              fmt::format("{}: one cell needs {} but only {} of memory is available", what,
                          FormatBytes(cell_bytes), FormatBytes(m.available_memory));
          if (!named_level.empty() && o.levels.empty()) {
            plan.notes.push_back(fmt::format("level {} skipped: {}", named_level, why));
            continue;
          }
          throw UsageError(why);
        }
        const std::uint64_t room = m.available_memory / 10 * 8;
        g.cells_at_once = g.cells.size();
        if (all_bytes > room) {
          // As few batches as fit, of even size, so no batch is left with a straggler.
          const std::size_t fit = std::max<std::size_t>(1, room / cell_bytes);
          const std::size_t batches = (g.cells.size() + fit - 1) / fit;
          g.cells_at_once = (g.cells.size() + batches - 1) / batches;
          const std::string how =
              g.cells_at_once == 1
                  ? std::string("measured one after another, not in interleaved rounds")
                  : fmt::format(
                        "measured in {} batches of up to {} cells, each in interleaved rounds",
                        batches, g.cells_at_once);
          plan.notes.push_back(fmt::format("{}: all {} cells together need {} ({} available): {}",
                                           what, g.cells.size(), FormatBytes(all_bytes),
                                           FormatBytes(m.available_memory), how));
        }
        if (!g.cells.empty()) plan.groups.push_back(std::move(g));
      }
    }
  }
  return plan;
}

}  // namespace sqb
