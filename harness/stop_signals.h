// SIGINT, SIGTERM and SIGHUP ask the program to stop: the first one is noted and what was measured
// is saved; a second one ends the process at once, removing any half-written output file.
#pragma once

#include <atomic>
#include <string>

namespace sqb {

// Installs the handlers; call first thing in main. A signal that arrived ignored (a background
// job's SIGINT, nohup's SIGHUP) stays ignored. SIGPIPE is ignored too, so that a closed pipe is a
// write error the program reports rather than a silent death.
void InstallStopHandlers();

// Set by the first stop signal; the measurement loops poll it.
const std::atomic<bool>& StopRequested();

// The first stop signal's number, or 0 when none arrived.
int StopSignal();

// "SIGTERM" for 15, and so on.
std::string SignalName(int signal);

// The temporary file an output writer is filling, removed by a second signal before the process
// dies; "" clears it. One at a time (outputs are written one after another).
void SetPendingTemporary(const std::string& path);

}  // namespace sqb
