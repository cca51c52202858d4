// Registering a backend: one macro line at namespace scope, run before main by a static
// initialiser.
#pragma once

#include "squarebench/backend.h"
#include "squarebench/executor.h"

namespace sqb {

// Called from static initialisers, through the macros below. Registering after the first query of
// the registry (after main has started) is a programming error and aborts with a message.
bool RegisterExecutor(ExecutorInfo info);
bool RegisterChunkKernel(ChunkKernelInfo info);
bool RegisterBackend(BackendInfo info);  // a backend that is not an executor x chunk composition

}  // namespace sqb

#define SQB_REGISTRY_CONCAT_(a, b) a##b
#define SQB_REGISTRY_NAME_(line) SQB_REGISTRY_CONCAT_(sqb_registered_, line)
// Each takes an expression yielding the Info; use at namespace scope, one per line. The file must
// be in an OBJECT library (squarebench_add_backend does this) so the linker keeps it.
#define SQB_REGISTER_EXECUTOR(info) \
  [[maybe_unused]] static const bool SQB_REGISTRY_NAME_(__LINE__) = ::sqb::RegisterExecutor(info)
#define SQB_REGISTER_CHUNK_KERNEL(info) \
  [[maybe_unused]] static const bool SQB_REGISTRY_NAME_(__LINE__) = ::sqb::RegisterChunkKernel(info)
#define SQB_REGISTER_BACKEND(info) \
  [[maybe_unused]] static const bool SQB_REGISTRY_NAME_(__LINE__) = ::sqb::RegisterBackend(info)
