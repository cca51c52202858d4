// The self-registering registry of executors, chunk kernels and whole backends.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "harness/backend.h"
#include "harness/executor.h"

namespace sqb {

// Called from static initialisers, through the macros below.
bool RegisterExecutor(ExecutorInfo info);
bool RegisterChunkKernel(ChunkKernelInfo info);
bool RegisterBackend(BackendInfo info);  // a backend that is not an executor x chunk composition

// Every backend: each executor composed with each chunk kernel, plus the whole backends; sorted
// by name. Built on first use, after all static registration is done.
const std::vector<BackendInfo>& Backends();
const BackendInfo* FindBackend(std::string_view name);
const ExecutorInfo* FindExecutor(std::string_view name);
const ChunkKernelInfo* FindChunkKernel(std::string_view name);

}  // namespace sqb

#define SQB_REGISTRY_CONCAT_(a, b) a##b
#define SQB_REGISTRY_NAME_(line) SQB_REGISTRY_CONCAT_(sqb_registered_, line)
// Each takes an expression yielding the Info; use at namespace scope, one per line. The file must
// be in an OBJECT library (backends/CMakeLists.txt does this) so the linker keeps it.
#define SQB_REGISTER_EXECUTOR(info) \
  [[maybe_unused]] static const bool SQB_REGISTRY_NAME_(__LINE__) = ::sqb::RegisterExecutor(info)
#define SQB_REGISTER_CHUNK_KERNEL(info) \
  [[maybe_unused]] static const bool SQB_REGISTRY_NAME_(__LINE__) = ::sqb::RegisterChunkKernel(info)
#define SQB_REGISTER_BACKEND(info) \
  [[maybe_unused]] static const bool SQB_REGISTRY_NAME_(__LINE__) = ::sqb::RegisterBackend(info)
