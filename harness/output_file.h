// Output files are written whole or not at all: to a temporary file beside the target, then
// renamed.
#pragma once

#include <string>

namespace sqb {

// Throws std::runtime_error with a one-line reason (path and errno text) on failure; leaves no
// temporary file behind.
void WriteFileAtomically(const std::string& path, const std::string& content);

// Checks, before any measuring, that `path` could be written (its folder exists and accepts a new
// file). Returns "" when it can, else a one-line reason. Creates nothing that outlives the call.
std::string CheckWritable(const std::string& path);

}  // namespace sqb
