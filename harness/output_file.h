// The one output writer: every file the program writes, and standard output, go through it.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace sqb {

// An output that could not be written: one line naming the file and the reason.
struct OutputError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Writes `content` to `path`, decided by what the path names once symlinks are followed:
// - a regular file, or nothing yet: written whole or not at all, to a temporary file in the final
//   target's own folder (write, fsync, rename), so a symlink is written through and kept, and an
//   existing file keeps its mode and owner;
// - anything else (a character device, a FIFO, a pipe, a terminal): written directly, never
//   renamed over.
// Every write, fsync and close is checked. Throws OutputError; leaves no partial regular file.
void WriteOutput(const std::string& path, std::string_view content);

// Writes `content` to `stem + suffix` as a new file, never replacing one: when that name exists,
// to `stem-2 + suffix`, `stem-3 + suffix`, ... (a no-replace rename, so two runs cannot both take
// a name). Returns the stem used. Throws OutputError.
std::string WriteNewOutput(const std::string& stem, const std::string& suffix,
                           std::string_view content);

// Writes all of `content` to standard output. Throws OutputError (e.g. a full disk, a closed pipe).
void WriteStdout(std::string_view content);

// Checks, before any measuring, that `path` could be written as WriteOutput would (a new file's
// folder exists and accepts files; a directory or a socket never). Returns "" when it can, else a
// one-line reason. Creates nothing that outlives the call.
std::string CheckWritable(const std::string& path);

}  // namespace sqb
