// The command line: `squarebench [run|list|info] [options]`, and the exit codes it returns.
#pragma once

namespace sqb {

inline constexpr int kExitOk = 0;             // every row verified
inline constexpr int kExitUsage = 2;          // bad input, before anything runs
inline constexpr int kExitFailed = 3;         // some row FAILED or ERROR
inline constexpr int kExitInterrupted = 130;  // Ctrl-C: what was measured is written, incomplete

int Main(int argc, char** argv);

}  // namespace sqb
