// The machine and build fingerprint (`squarebench info`), embedded in every report.
#pragma once

#include "harness/record.h"

namespace sqb {

// Gathers CPU, caches, memory, THP, compiler and flags, library versions, build type, git revision,
// hypervisor, governor, load average, timer resolution and overhead, plus the warnings they imply.
// Takes ~50 ms (timer calibration). Never fails: what cannot be read is "unavailable".
Fingerprint CollectFingerprint();

}  // namespace sqb
