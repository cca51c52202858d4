// Thread pinning that never leaks: pin a thread for a batch, then give it back its original mask.
#pragma once

#include <string>
#include <vector>

namespace sqb {

// Records the mask the process started with; main() calls it before any runtime creates threads
// (a thread's mask is inherited by the threads it creates).
void CaptureOriginalAffinity();

// Pins the calling thread to one CPU (OS index) / restores it to the original mask.
void PinCurrentThread(int cpu);
void RestoreCurrentThread();

// The CPU thread `index` of a team is pinned to under --bind cores: one per core, cycling.
int BindingCpu(int index);

// "cpus 0,1" for a team of `threads` under binding cores; "unpinned" otherwise.
std::string DescribePlacement(bool pinned, int threads);

}  // namespace sqb
