// Planning a run: the options a user gave, expanded into size groups of fully specified cells.
#include "harness/plan.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <thread>

#include "harness/cache_probe.h"
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

// The device's own caches when the backend's level sizes follow them (a GPU's), else nullopt.
std::optional<CacheSizes> DeviceCaches(const ResolvedBackend& b) {
  if (!b.info->device_caches) return std::nullopt;
  return b.info->device_caches(b.variant);
}

// Each backend and dtype chooses its sizes, so the same fact may come up more than once.
void NoteOnce(std::vector<std::string>* notes, std::string note) {
  if (std::find(notes->begin(), notes->end(), note) == notes->end())
    notes->push_back(std::move(note));
}

// Elements per array with the level each was chosen for ("" when given as a count). `device`
// names a backend whose levels follow its own caches ("" for the CPU's).
std::vector<std::pair<std::uint64_t, std::string>> ChooseSizes(const RunOptions& o, DType t,
                                                               const CacheSizes& caches,
                                                               const std::string& device,
                                                               std::vector<std::string>* notes) {
  std::vector<std::pair<std::uint64_t, std::string>> sizes;
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
    if (const auto n = ElementsForLevel(level, caches, t)) {
      sizes.emplace_back(*n, level);
    } else if (!device.empty()) {
      NoteOnce(notes,
               fmt::format("level {} skipped for {}: its device has no such cache", level, device));
    } else if (defaults) {
      NoteOnce(notes, fmt::format("level {} skipped: this machine reports no such cache", level));
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
// (whether or not a backend run uses it) and written the way cell keys record them; a value given
// twice, in any spelling (`--tasks 1024,1Ki`), is refused.
std::map<std::string, std::vector<std::string>> CanonicalKnobs(const RunOptions& o) {
  std::map<std::string, std::vector<std::string>> out;
  for (const auto& [name, values] : o.knobs) {
    const KnobInfo* knob = nullptr;
    for (const auto& b : Backends())
      for (const KnobInfo& k : b.knobs)
        if (k.name == name) knob = &k;
    if (knob == nullptr) throw UsageError(fmt::format("unknown option --{}", name));
    auto& list = out[name];
    for (const auto& v : values) {
      std::string canonical = CanonicalKnobValue(*knob, v);
      if (std::find(list.begin(), list.end(), canonical) != list.end())
        throw UsageError(fmt::format("--{}: '{}' repeats a value given before it", name, v));
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

// The cell of backend `b` for one (dtype, size, offset, binding, threads, knobs).
PlannedCell MakeCell(const ResolvedBackend& b, const SizeGroup& g, Binding binding, int threads,
                     std::map<std::string, std::string> knobs, std::string level) {
  PlannedCell c{b.info, {}, std::move(level), ""};
  // The default variant is implied: "highway" runs highway@auto.
  const bool implied = b.variant.empty() || b.variant == b.info->variants.front();
  c.params.backend = b.info->name + (implied ? "" : "@" + b.variant);
  c.params.executor = b.info->executor;
  c.params.chunk_kernel = b.info->chunk_kernel;
  c.params.variant = b.variant;
  c.params.dtype = g.dtype;
  c.params.elements = g.elements;
  c.params.offset = g.offset;
  c.params.threads = threads;
  c.params.binding = binding;
  c.params.knobs = std::move(knobs);
  return c;
}

// How a cell's work is spread, which its ceilings share: executor, device, threads, binding and
// the spreading knobs, e.g. "openmp x2 cores" or "interleaved x1 cores prefetch=off quantum=4096".
std::string CeilingSet(const PlannedCell& c) {
  const BackendInfo& b = *c.backend;
  std::string set = c.params.executor;
  if (b.variant_is_device) set += "@" + c.params.variant;
  set += fmt::format(" x{} {}", c.params.threads, Name(c.params.binding));
  for (const auto& [knob, value] : c.params.knobs)
    if (std::find(b.spread_knobs.begin(), b.spread_knobs.end(), knob) != b.spread_knobs.end())
      set += fmt::format(" {}={}", knob, value);
  return set;
}

bool SameCell(const PlannedCell& a, const PlannedCell& b) {
  return a.backend == b.backend && a.params.variant == b.params.variant &&
         a.params.threads == b.params.threads && a.params.binding == b.params.binding &&
         a.params.knobs == b.params.knobs;
}

// Adds, for every square cell, the copies its backend is rated against (spread the same way, on
// the same device), each once; then labels every cell with its ceiling set.
void AddCeilings(SizeGroup& g) {
  const std::size_t rated = g.cells.size();
  for (std::size_t i = 0; i < rated; ++i) {
    for (const CeilingSpec& spec : g.cells[i].backend->ceilings) {
      const PlannedCell& cell = g.cells[i];  // re-read: push_back below may move the cells
      const BackendInfo* info = FindBackend(spec.backend);
      if (info == nullptr) continue;
      const std::string variant = info->variant_is_device  ? cell.params.variant
                                  : info->variants.empty() ? ""
                                                           : info->variants.front();
      if (!info->unavailable_reason(variant).empty()) continue;
      std::map<std::string, std::string> knobs;
      for (const KnobInfo& knob : info->knobs) {
        const auto given = spec.knobs.find(knob.name);
        const std::string rated_value = KnobValue(cell.params, knob.name);
        knobs[knob.name] = given != spec.knobs.end() ? given->second
                           : !rated_value.empty()    ? rated_value
                                                     : knob.default_value;
      }
      PlannedCell ceiling =
          MakeCell({info, variant}, g, cell.params.binding,
                   info->parallel ? cell.params.threads : 1, std::move(knobs), cell.level);
      const bool present = std::any_of(g.cells.begin(), g.cells.end(),
                                       [&](const PlannedCell& c) { return SameCell(c, ceiling); });
      if (!present) g.cells.push_back(std::move(ceiling));
    }
  }
  for (PlannedCell& c : g.cells) c.ceiling_set = CeilingSet(c);
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
  m.caches = {t.l1d_bytes, t.l2_bytes, t.l3_bytes ? EffectiveLastLevelBytes() : 0};
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
      const std::string variant = b.variants.get().empty() ? "" : b.variants.get().front();
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
      if (seen)
        throw UsageError(fmt::format("--backends: '{}' names a backend given before it", name));
      backends.push_back(r);
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

  std::vector<SizeGroup> groups;
  std::vector<std::string> named_levels;  // per group: the level its size was chosen for, or ""
  for (DType dtype : o.dtypes) {
    const std::size_t first_group = groups.size();
    for (const auto& b : backends) {
      const std::optional<CacheSizes> device_caches = DeviceCaches(b);
      const CacheSizes caches = device_caches.value_or(m.caches);
      const std::string device =
          device_caches ? b.info->name + (b.variant.empty() ? "" : "@" + b.variant) : "";
      for (const auto& [elements, named_level] :
           ChooseSizes(o, dtype, caches, device, &plan.notes)) {
        const std::string level = ClassifyLevel(2 * SizeOf(dtype) * elements, caches);
        for (std::uint64_t offset : o.offsets) {
          auto it = std::find_if(groups.begin() + first_group, groups.end(), [&](const auto& g) {
            return g.elements == elements && g.offset == offset;
          });
          if (it == groups.end()) {
            SizeGroup g;
            g.dtype = dtype;
            g.elements = elements;
            g.offset = offset;
            g.level = ClassifyLevel(2 * SizeOf(dtype) * elements, m.caches);
            groups.push_back(std::move(g));
            named_levels.push_back(named_level);
            it = groups.end() - 1;
          }
          for (Binding binding : o.bindings)
            for (int t : b.info->parallel ? threads : std::vector<int>{1})
              for (auto& knobs : KnobCombinations(*b.info, knobs_given))
                it->cells.push_back(MakeCell(b, *it, binding, t, std::move(knobs), level));
        }
      }
    }
    // Sizes ascending within a dtype, however many backends' levels they came from.
    std::vector<std::size_t> order(groups.size() - first_group);
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = first_group + i;
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return std::pair(groups[a].elements, a) < std::pair(groups[b].elements, b);
    });
    for (std::size_t i : order) {
      SizeGroup& g = groups[i];
      if (o.ceilings) AddCeilings(g);
      const std::uint64_t cell_bytes = (2 * g.elements + g.offset) * SizeOf(dtype);
      const std::uint64_t all_bytes = cell_bytes * g.cells.size();
      const std::string what = fmt::format("{} {} elements", Name(dtype), FormatCount(g.elements));
      if (cell_bytes > m.available_memory / 10 * 9) {
        const std::string why =
            fmt::format("{}: one cell needs {} but only {} of memory is available", what,
                        FormatBytes(cell_bytes), FormatBytes(m.available_memory));
        if (!named_levels[i].empty() && o.levels.empty()) {
          plan.notes.push_back(fmt::format("level {} skipped: {}", named_levels[i], why));
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
  return plan;
}

}  // namespace sqb
