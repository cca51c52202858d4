// SIGINT, SIGTERM and SIGHUP ask the program to stop: the first one is noted and what was measured
// is saved; a second one ends the process at once, removing any half-written output file.
#include "harness/stop_signals.h"

#include <limits.h>
#include <signal.h>
#include <unistd.h>

#include <cstring>
#include <iterator>

#include "harness/ranks.h"

namespace sqb {
namespace {

constexpr int kStopSignals[] = {SIGINT, SIGTERM, SIGHUP};

std::atomic<bool> g_stop{false};
std::atomic<int> g_signal{0};

// Written by the main thread, read by the handler: the path is complete before `g_pending` is set.
char g_pending_path[PATH_MAX];
std::atomic<bool> g_pending{false};

// Which stop signals arrived ignored, read before any other static initialiser runs: a library
// started before main (PoCL's LLVM) installs handlers of its own over an ignored SIGINT.
bool g_ignored_at_start[std::size(kStopSignals)];
__attribute__((constructor(101))) void NoteIgnoredSignals() {
  for (std::size_t i = 0; i < std::size(kStopSignals); ++i) {
    struct sigaction old {};
    g_ignored_at_start[i] =
        sigaction(kStopSignals[i], nullptr, &old) == 0 && old.sa_handler == SIG_IGN;
  }
}

// "squarebench: SIGTERM: stopping ...", with only async-signal-safe calls.
void SayStopping(int signal) {
  char line[160];
  std::size_t n = 0;
  const auto append = [&](const char* text) {
    while (*text != '\0' && n < sizeof line) line[n++] = *text++;
  };
  const char* abbrev = sigabbrev_np(signal);
  append("squarebench: SIG");
  append(abbrev ? abbrev : "?");
  append(": stopping after the current step to save what was measured (again: stop at once)\n");
  [[maybe_unused]] const ssize_t ignored = write(STDERR_FILENO, line, n);
}

// Under an MPI launcher, which forwards a signal to every rank, rank 0 alone says so.
bool g_quiet = false;

extern "C" void OnStopSignal(int signal) {
  int none = 0;
  if (g_signal.compare_exchange_strong(none, signal)) {
    g_stop = true;
    if (!g_quiet) SayStopping(signal);
    return;
  }
  // The second: no partial file, then die by the signal so the parent sees which one.
  if (g_pending) unlink(g_pending_path);
  ::signal(signal, SIG_DFL);
  raise(signal);
}

}  // namespace

void InstallStopHandlers() {
  g_quiet = LaunchFromEnvironment().rank > 0;
  for (std::size_t i = 0; i < std::size(kStopSignals); ++i) {
    const int signal = kStopSignals[i];
    if (g_ignored_at_start[i]) {
      ::signal(signal, SIG_IGN);
      continue;
    }
    struct sigaction action {};
    action.sa_handler = OnStopSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;  // backends' runtimes do not expect EINTR
    sigaction(signal, &action, nullptr);
  }
  ::signal(SIGPIPE, SIG_IGN);
}

const std::atomic<bool>& StopRequested() { return g_stop; }

int StopSignal() { return g_signal; }

std::string SignalName(int signal) {
  const char* abbrev = sigabbrev_np(signal);
  return abbrev ? std::string("SIG") + abbrev : "signal " + std::to_string(signal);
}

void SetPendingTemporary(const std::string& path) {
  g_pending = false;
  if (path.empty() || path.size() >= sizeof g_pending_path) return;
  std::memcpy(g_pending_path, path.c_str(), path.size() + 1);
  g_pending = true;
}

}  // namespace sqb
