// The registry: storage for registrations and the composition of executors with chunk kernels.
#include "harness/registry.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "harness/chunked_cell.h"

namespace sqb {
namespace {

struct Store {
  std::vector<ExecutorInfo> executors;
  std::vector<ChunkKernelInfo> chunk_kernels;
  std::vector<BackendInfo> whole_backends;
  std::vector<BackendInfo> all;  // built on first Backends() call
  bool built = false;
};

// Function-local so registration works whatever the static-initialisation order.
Store& GetStore() {
  static Store store;
  return store;
}

void RejectLateRegistration(const std::string& name) {
  if (GetStore().built) {
    std::fprintf(stderr, "squarebench: internal error: '%s' registered after first use\n",
                 name.c_str());
    std::abort();
  }
}

// What every square backend spread by `e` is rated against: the same executor with each copy
// ceiling chunk kernel compiled in, once per knob setting the kernel asks for.
std::vector<CeilingSpec> Ceilings(const ExecutorInfo& e) {
  std::vector<CeilingSpec> specs;
  for (const ChunkKernelInfo& k : GetStore().chunk_kernels) {
    if (!k.copy_ceiling) continue;
    const std::string name = ComposeName(e.name, k.name);
    if (k.ceiling_knobs.empty()) specs.push_back({name, {}});
    for (const auto& knobs : k.ceiling_knobs) specs.push_back({name, knobs});
  }
  return specs;
}

BackendInfo Compose(const ExecutorInfo& e, const ChunkKernelInfo& k) {
  BackendInfo b;
  b.name = ComposeName(e.name, k.name);
  b.executor = e.name;
  b.chunk_kernel = k.name;
  b.description =
      k.name == kScalarChunkKernel ? e.description : e.description + ", chunks: " + k.description;
  b.operation = k.operation;
  b.parallel = e.parallel;
  const auto& only = k.default_executors;
  b.in_default_run = e.in_default_run && k.in_default_run &&
                     (only.empty() || std::find(only.begin(), only.end(), e.name) != only.end());
  b.variants = k.variants;
  b.provenance.fingerprint = [e, k] {
    FingerprintLines lines;
    if (e.provenance.fingerprint) lines = e.provenance.fingerprint();
    if (k.provenance.fingerprint)
      for (auto& line : k.provenance.fingerprint()) lines.push_back(std::move(line));
    return lines;
  };
  b.provenance.environment_prefixes = e.provenance.environment_prefixes;
  for (const std::string& p : k.provenance.environment_prefixes)
    b.provenance.environment_prefixes.push_back(p);
  b.knobs = e.knobs;
  b.knobs.insert(b.knobs.end(), k.knobs.begin(), k.knobs.end());
  b.knobs.push_back(kHugePagesKnob);
  for (const KnobInfo& knob : e.knobs) b.spread_knobs.push_back(knob.name);
  b.spread_knobs.push_back(kHugePagesKnob.name);
  if (k.operation == Operation::kSquare) b.ceilings = Ceilings(e);
  b.unavailable_reason = [e, k](const std::string& variant) {
    std::string why = e.unavailable_reason ? e.unavailable_reason() : "";
    if (why.empty() && k.unavailable_reason) why = k.unavailable_reason(variant);
    return why;
  };
  b.make_cell = [e, k](const CellParams& params) {
    return MakeChunkedCell(params, e.make(params), k.resolve(params), e.out_of_process);
  };
  return b;
}

}  // namespace

std::string ComposeName(const std::string& e, const std::string& k) {
  if (k == kScalarChunkKernel) return e;
  if (e == kSerialExecutor) return k;
  return e + "+" + k;
}

bool RegisterExecutor(ExecutorInfo info) {
  RejectLateRegistration(info.name);
  GetStore().executors.push_back(std::move(info));
  return true;
}

bool RegisterChunkKernel(ChunkKernelInfo info) {
  RejectLateRegistration(info.name);
  GetStore().chunk_kernels.push_back(std::move(info));
  return true;
}

bool RegisterBackend(BackendInfo info) {
  RejectLateRegistration(info.name);
  if (info.chunk_kernel.empty()) info.chunk_kernel = kScalarChunkKernel;
  if (info.executor.empty()) info.executor = info.name;
  GetStore().whole_backends.push_back(std::move(info));
  return true;
}

const std::vector<BackendInfo>& Backends() {
  Store& s = GetStore();
  if (!s.built) {
    for (const auto& e : s.executors)
      for (const auto& k : s.chunk_kernels) s.all.push_back(Compose(e, k));
    s.all.insert(s.all.end(), s.whole_backends.begin(), s.whole_backends.end());
    std::sort(s.all.begin(), s.all.end(),
              [](const BackendInfo& a, const BackendInfo& b) { return a.name < b.name; });
    s.built = true;
  }
  return s.all;
}

std::string SharedBackendName() {
  const auto& all = Backends();
  const auto same = std::adjacent_find(
      all.begin(), all.end(), [](const auto& a, const auto& b) { return a.name == b.name; });
  return same == all.end() ? "" : same->name;
}

const BackendInfo* FindBackend(std::string_view name) {
  for (const auto& b : Backends())
    if (b.name == name) return &b;
  return nullptr;
}

const ExecutorInfo* FindExecutor(std::string_view name) {
  for (const auto& e : GetStore().executors)
    if (e.name == name) return &e;
  return nullptr;
}

const ChunkKernelInfo* FindChunkKernel(std::string_view name) {
  for (const auto& k : GetStore().chunk_kernels)
    if (k.name == name) return &k;
  return nullptr;
}

}  // namespace sqb
