// Planning a run: the options a user gave, expanded into size groups of fully specified cells.
#include "harness/plan.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <thread>

#include "harness/cache_probe.h"
#include "harness/cell_key.h"
#include "harness/registry.h"
#include "harness/topology.h"

namespace sqb {
namespace {

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
  // The default variant is implied: a name without '@' runs its backend's first variant.
  const bool implied = b.variant == DefaultVariant(*b.info);
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
  return CellKey(a.params, a.level) == CellKey(b.params, b.level);
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
      const std::string variant =
          info->variant_is_device ? cell.params.variant : DefaultVariant(*info);
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

// What every size group is expanded from: the user's options, checked.
struct Expansion {
  std::vector<ResolvedBackend> backends;
  KnobValues knobs;          // canonical values, by knob
  std::vector<int> threads;  // for parallel backends
};

// A size group as it is being filled, with the level its size was chosen for ("" for a count).
struct DraftGroup {
  SizeGroup group;
  std::string named_level;
};

void NoteUnusedKnobs(const Expansion& e, std::vector<std::string>* notes) {
  for (const auto& [knob, values] : e.knobs) {
    const bool used = std::any_of(e.backends.begin(), e.backends.end(), [&](const auto& b) {
      return std::any_of(b.info->knobs.begin(), b.info->knobs.end(),
                         [&](const KnobInfo& k) { return k.name == knob; });
    });
    if (!used) notes->push_back(fmt::format("--{} applies to none of the backends run", knob));
  }
}

// The thread counts of parallel backends: as given (1..64x the cores), else all cores.
std::vector<int> ThreadCounts(const RunOptions& o, const MachineLimits& m) {
  const int max_threads = 64 * m.cores;
  for (int t : o.threads)
    if (t < 1 || t > max_threads)
      throw UsageError(fmt::format("invalid thread count {}: must be 1..{} (64 x {} cores)", t,
                                   max_threads, m.cores));
  return o.threads.empty() ? std::vector<int>{m.cores} : o.threads;
}

// The group of (elements, offset) among this dtype's, made when it is the first cell there.
SizeGroup& GroupFor(DType dtype, std::uint64_t elements, std::uint64_t offset,
                    const std::string& named_level, const MachineLimits& m,
                    std::vector<DraftGroup>* drafts) {
  const auto it = std::find_if(drafts->begin(), drafts->end(), [&](const DraftGroup& d) {
    return d.group.elements == elements && d.group.offset == offset;
  });
  if (it != drafts->end()) return it->group;
  DraftGroup d;
  d.group.dtype = dtype;
  d.group.elements = elements;
  d.group.offset = offset;
  d.group.level = ClassifyLevel(2 * SizeOf(dtype) * elements, m.caches);
  d.named_level = named_level;
  drafts->push_back(std::move(d));
  return drafts->back().group;
}

// Backend `b`'s cells at every size it chooses for `dtype` and every offset: one per binding,
// thread count and combination of knob values.
void AddBackendCells(const RunOptions& o, const MachineLimits& m, const Expansion& e, DType dtype,
                     const ResolvedBackend& b, std::vector<DraftGroup>* drafts,
                     std::vector<std::string>* notes) {
  const std::optional<CacheSizes> device_caches = DeviceCaches(b);
  const CacheSizes caches = device_caches.value_or(m.caches);
  const std::string device =
      device_caches ? b.info->name + (b.variant.empty() ? "" : "@" + b.variant) : "";
  const std::vector<int> threads = b.info->parallel ? e.threads : std::vector<int>{1};
  for (const auto& [elements, named_level] : ChooseSizes(o, dtype, caches, device, notes)) {
    const std::string level = ClassifyLevel(2 * SizeOf(dtype) * elements, caches);
    for (std::uint64_t offset : o.offsets) {
      SizeGroup& g = GroupFor(dtype, elements, offset, named_level, m, drafts);
      for (Binding binding : o.bindings)
        for (int t : threads)
          for (auto& knobs : KnobCombinations(*b.info, e.knobs))
            g.cells.push_back(MakeCell(b, g, binding, t, std::move(knobs), level));
    }
  }
}

// When all cells of `g` need more memory than there is, measures them in as few batches as fit,
// of even size, so no batch is left with a straggler; says so in *notes.
void Batch(const MachineLimits& m, std::uint64_t cell_bytes, SizeGroup& g,
           std::vector<std::string>* notes) {
  const std::uint64_t all_bytes = cell_bytes * g.cells.size();
  const std::uint64_t room = m.available_memory / 10 * 8;
  g.cells_at_once = g.cells.size();
  if (all_bytes <= room) return;
  const std::size_t fit = std::max<std::size_t>(1, room / cell_bytes);
  const std::size_t batches = (g.cells.size() + fit - 1) / fit;
  g.cells_at_once = (g.cells.size() + batches - 1) / batches;
  const std::string how =
      g.cells_at_once == 1
          ? std::string("measured one after another, not in interleaved rounds")
          : fmt::format("measured in {} batches of up to {} cells, each in interleaved rounds",
                        batches, g.cells_at_once);
  notes->push_back(fmt::format("{} {} elements: all {} cells together need {} ({} available): {}",
                               Name(g.dtype), FormatCount(g.elements), g.cells.size(),
                               FormatBytes(all_bytes), FormatBytes(m.available_memory), how));
}

// Device memory, as host memory is budgeted: a device backend's cells that do not fit on their
// device one at a time leave the group (a default level, with a note) or refuse the size (asked
// for); the others bound how many cells are measured at once, 80% of the device's free memory.
// Returns that bound (the group's size when no device limits it).
std::size_t FitOnDevices(const RunOptions& o, DraftGroup& d, std::uint64_t cell_bytes,
                         std::vector<std::string>* notes) {
  SizeGroup& g = d.group;
  std::map<std::string, std::uint64_t> free_bytes;  // by device, as "backend@variant"
  for (const PlannedCell& c : g.cells)
    if (c.backend->device_memory)
      if (const auto free = c.backend->device_memory(c.params.variant))
        free_bytes.emplace(c.backend->executor + "@" + c.params.variant, *free);
  std::size_t fit = g.cells.size();
  for (const auto& [device, free] : free_bytes) {
    if (cell_bytes > free / 10 * 9) {
      const std::string why =
          fmt::format("{} {} elements: one cell needs {} but {} has only {} of device memory free",
                      Name(g.dtype), FormatCount(g.elements), FormatBytes(cell_bytes), device,
                      FormatBytes(free));
      if (d.named_level.empty() || !o.levels.empty()) throw UsageError(why);
      notes->push_back(fmt::format("level {} skipped on {}: {}", d.named_level, device, why));
      std::erase_if(g.cells, [&](const PlannedCell& c) {
        return c.backend->executor + "@" + c.params.variant == device;
      });
      continue;
    }
    const std::size_t on_device = std::max<std::uint64_t>(1, free / 10 * 8 / cell_bytes);
    if (on_device < fit) {
      fit = on_device;
      notes->push_back(fmt::format("{} {} elements: {} holds {} cells at once ({} free)",
                                   Name(g.dtype), FormatCount(g.elements), device, on_device,
                                   FormatBytes(free)));
    }
  }
  return fit;
}

// False when one cell of the group does not fit in memory and its size was a default level (it is
// skipped, with a note); throws UsageError when the size was asked for. Else batches the group.
bool FitInMemory(const RunOptions& o, const MachineLimits& m, DraftGroup& d,
                 std::vector<std::string>* notes) {
  SizeGroup& g = d.group;
  const std::uint64_t cell_bytes = (2 * g.elements + g.offset) * SizeOf(g.dtype);
  if (cell_bytes > m.available_memory / 10 * 9) {
    const std::string why = fmt::format(
        "{} {} elements: one cell needs {} but only {} of memory is available", Name(g.dtype),
        FormatCount(g.elements), FormatBytes(cell_bytes), FormatBytes(m.available_memory));
    if (d.named_level.empty() || !o.levels.empty()) throw UsageError(why);
    notes->push_back(fmt::format("level {} skipped: {}", d.named_level, why));
    return false;
  }
  const std::size_t device_fit = FitOnDevices(o, d, cell_bytes, notes);
  Batch(m, cell_bytes, g, notes);
  if (device_fit < g.cells_at_once) {
    const std::size_t batches = (g.cells.size() + device_fit - 1) / device_fit;
    g.cells_at_once = (g.cells.size() + batches - 1) / batches;
  }
  return true;
}

}  // namespace

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
  Expansion e;
  e.backends = o.backends.empty() ? DefaultBackends(&plan.skipped) : NamedBackends(o.backends);
  e.knobs = CanonicalKnobs(o.knobs);
  NoteUnusedKnobs(e, &plan.notes);
  e.threads = ThreadCounts(o, m);
  for (DType dtype : o.dtypes) {
    std::vector<DraftGroup> drafts;
    for (const ResolvedBackend& b : e.backends)
      AddBackendCells(o, m, e, dtype, b, &drafts, &plan.notes);
    // Sizes ascending within a dtype, however many backends' levels they came from.
    std::stable_sort(drafts.begin(), drafts.end(), [](const DraftGroup& a, const DraftGroup& b) {
      return a.group.elements < b.group.elements;
    });
    for (DraftGroup& d : drafts) {
      if (o.ceilings) AddCeilings(d.group);
      if (FitInMemory(o, m, d, &plan.notes) && !d.group.cells.empty())
        plan.groups.push_back(std::move(d.group));
    }
  }
  return plan;
}

}  // namespace sqb
