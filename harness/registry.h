// The registry's queries: every backend the binary was built with, composed and sorted.
#pragma once

#include <string_view>
#include <vector>

#include "squarebench/backend.h"
#include "squarebench/executor.h"
#include "squarebench/registration.h"

namespace sqb {

// Every backend: each executor composed with each chunk kernel, plus the whole backends; sorted
// by name. Built on first use, after all static registration is done.
const std::vector<BackendInfo>& Backends();
// A name two registered backends share (a project's own backend named as a built-in one), or "".
std::string SharedBackendName();
const BackendInfo* FindBackend(std::string_view name);
const ExecutorInfo* FindExecutor(std::string_view name);
const ChunkKernelInfo* FindChunkKernel(std::string_view name);

}  // namespace sqb
