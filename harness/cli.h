// The command line: `squarebench [run|scaling|sweep|compare|list|info] [options]`, the exit codes
// it returns, and where a command's result goes.
#pragma once

#include <string>
#include <string_view>

namespace sqb {

// When several apply, the first in this order wins: a stop signal, a failed output, a FAILED or
// ERROR row (docs/options.md, "Outputs, signals and exit codes").
inline constexpr int kExitOk = 0;          // every row verified
inline constexpr int kExitRegression = 1;  // compare --fail-on-regression: some cell is slower
inline constexpr int kExitUsage = 2;       // bad input, before anything runs
inline constexpr int kExitFailed = 3;      // some row FAILED or ERROR
inline constexpr int kExitOutput = 4;      // an output could not be written; the others were
inline constexpr int kExitSignal = 128;    // + the signal that stopped the run (SIGINT: 130)

int Main(int argc, char** argv);

// A command's result: to the file `out` (--out), or to standard output when `out` is "". Throws
// OutputError.
void WriteResult(const std::string& out, std::string_view text);

}  // namespace sqb
